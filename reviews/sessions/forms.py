"""Forms of the officers' defense-session pages: validation and crispy layout only."""

from datetime import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import DefenseSession

from .selectors import reviewers


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.email


class ReviewerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.email


class SessionForm(forms.ModelForm):
    """A defense session's details and its panel; the chair always sits on the panel."""

    online_link = forms.URLField(label=_("Online link"), max_length=200, required=False, assume_scheme="https")
    chair = ReviewerChoiceField(label=_("Chair"), queryset=None, empty_label=_("Choose the chair"))
    members = ReviewerMultipleChoiceField(
        label=_("Panel members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The chair is on the panel whether ticked or not."),
    )

    class Meta:
        model = DefenseSession
        fields = ["date", "starts_at", "ends_at", "venue", "online_link", "region", "slot_minutes", "capacity", "chair"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "starts_at": _("Kyiv time."),
            "venue": _("The address, or leave empty for an online session."),
            "region": _("Applicants from this oblast are scheduled here first."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = reviewers()
        self.fields["chair"].error_messages["invalid_choice"] = _("The chair must be one of the reviewers.")
        self.fields["members"].queryset = reviewers()
        self.fields["members"].error_messages["invalid_choice"] = _("Only reviewers can sit on a panel.")
        if self.instance.pk and not self.is_bound:
            self.initial["members"] = list(self.instance.members.values_list("reviewer_id", flat=True))
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The session must end after it starts."))
        if not (data.get("venue") or data.get("online_link")) and not self.has_error("online_link"):
            self.add_error(None, _("Give the venue, the online link, or both."))
        return data


class SlotChoiceField(forms.ChoiceField):
    """A free slot of one of the call's sessions, as "<session pk>|<ISO start>"; cleans to the pair."""

    def __init__(self, *args, free: list, **kwargs):
        choices = [
            (f"{session.pk}|{starts_at.isoformat()}", f"{timezone.localtime(starts_at):%d.%m.%Y %H:%M} · {session}")
            for session, starts_at in free
        ]
        super().__init__(*args, choices=choices, **kwargs)
        self.sessions = {str(session.pk): session for session, _starts_at in free}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        session_pk, starts_at = value.split("|", 1)
        return self.sessions[session_pk], datetime.fromisoformat(starts_at)


class MoveForm(forms.Form):
    def __init__(self, *args, free: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = SlotChoiceField(label=_("Move to"), free=free)
        self.fields["target"].error_messages["required"] = _("Choose the slot to move to.")
        self.fields["target"].error_messages["invalid_choice"] = _(
            "That slot is no longer free; reload the page and choose another."
        )


class ScheduleForm(forms.Form):
    """One waiting application into a slot of this session; no time means the earliest free one."""

    application = forms.ModelChoiceField(label=_("Application"), queryset=None, empty_label=_("Choose an application"))
    starts_at = forms.ChoiceField(label=_("Slot"), required=False)

    def __init__(self, *args, applications, times: list[datetime], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = applications
        field.label_from_instance = lambda application: f"{application.reference} · {application.full_name}"
        field.error_messages["required"] = _("Choose the application to schedule.")
        field.error_messages["invalid_choice"] = _(
            "That application is no longer waiting for a slot; reload the page and choose another."
        )
        self.fields["starts_at"].choices = [("", _("The earliest free slot"))] + [
            (t.isoformat(), f"{timezone.localtime(t):%H:%M}") for t in times
        ]
        self.fields["starts_at"].error_messages["invalid_choice"] = _(
            "That slot is no longer free; reload the page and choose another."
        )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        return datetime.fromisoformat(value) if value else None


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ConflictClearForm(forms.Form):
    reason = forms.CharField(label=_("Why the conflict is cleared"), max_length=1000)


class MemberAddForm(forms.Form):
    reviewer = ReviewerChoiceField(label=_("Reviewer"), queryset=None, empty_label=_("Choose a reviewer"))

    def __init__(self, *args, session: DefenseSession, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        field.queryset = reviewers().exclude(pk__in=session.members.values("reviewer_id"))
        field.error_messages["required"] = _("Choose the reviewer to add.")
        field.error_messages["invalid_choice"] = _("That person is not a reviewer, or is already on the panel.")
