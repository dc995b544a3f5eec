"""Forms of the consultation pages: validation and crispy layout only."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.models import Call
from plans.enums import PlanSection, SessionMode
from plans.models import ConsultationSession

from . import selectors


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ConsultantChoiceField(forms.ModelChoiceField):
    """A consultant, labelled with how many applicants they are helping now (the `load` annotation)."""

    def label_from_instance(self, consultant) -> str:
        name = consultant.get_full_name() or consultant.email
        return ngettext("%(name)s (%(count)d applicant)", "%(name)s (%(count)d applicants)", consultant.load) % {
            "name": name,
            "count": consultant.load,
        }


class ConsultantAssignForm(forms.Form):
    """Officers pick shortlisted applications of one call and the consultant who will help them."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    consultant = ConsultantChoiceField(label=_("Consultant"), queryset=None, empty_label=_("Choose a consultant"))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        applications = self.fields["applications"]
        applications.queryset = selectors.applications_for_assignment(call)
        applications.error_messages["required"] = _("Select at least one application.")
        applications.error_messages["invalid_choice"] = _(
            "Only shortlisted applications of this call can get a consultant; reload the page and try again."
        )
        consultant = self.fields["consultant"]
        consultant.queryset = selectors.consultants_with_load()
        consultant.error_messages["required"] = _("Choose the consultant to assign.")
        consultant.error_messages["invalid_choice"] = _(
            "That person is not a consultant. Choose one of the consultants in the list."
        )


class SessionForm(forms.ModelForm):
    """A consultation session as the consultant logs it, on the day or afterwards, never ahead."""

    mode = forms.ChoiceField(label=_("Mode"), choices=SessionMode.choices, widget=forms.RadioSelect)

    class Meta:
        model = ConsultationSession
        fields = ["held_on", "mode", "duration_minutes", "topics", "notes", "next_steps"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "duration_minutes": forms.NumberInput(attrs={"min": 5, "max": 480, "step": 5, "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "duration_minutes": _("From 5 to 480 minutes."),
            "topics": _("What you worked on, in a few words."),
            "notes": _("The applicant sees these notes."),
            "next_steps": _("What the applicant does before the next session."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be logged ahead: the date cannot be in the future."))
        return held_on


class CommentForm(forms.Form):
    """A comment on the latest version of the plan; the applicant sees it unless it is marked internal."""

    section = forms.ChoiceField(
        label=_("Section"), choices=[("", _("The plan as a whole")), *PlanSection.choices], required=False
    )
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Write the comment.")},
    )
    to_applicant = forms.BooleanField(label=_("Visible to the applicant"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
