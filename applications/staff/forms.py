"""Forms of the programme staff's pages: calls, screening, messages. Validation and layout only."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import Currency, OfficerCheck, Region, RejectionReason, Sector
from applications.fields import MonthListField
from applications.models import Application, Call, PriorityGroup


class CallForm(forms.ModelForm):
    eligible_sectors = forms.MultipleChoiceField(
        label=_("Eligible sectors"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    eligible_regions = forms.MultipleChoiceField(
        label=_("Eligible regions"), choices=Region.choices, widget=forms.CheckboxSelectMultiple
    )
    currencies = forms.MultipleChoiceField(
        label=_("Accepted currencies"), choices=Currency.choices, widget=forms.CheckboxSelectMultiple
    )
    priority_groups = forms.ModelMultipleChoiceField(
        label=_("Priority groups"),
        queryset=PriorityGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "programme",
            "title_uk",
            "title_en",
            "description_uk",
            "description_en",
            "cycle_year",
            "track",
            "reference_prefix",
            "cap",
            "match_ratio",
            "min_grant",
            "budget_envelope",
            "two_person_rule",
            "retention_months",
            "in_kind_allowed",
            "in_kind_max_share",
            "cost_tolerance",
            "equipment_retention_months",
            "monitoring_months",
            "currencies",
            "opens_at",
            "closes_at",
            "eligible_sectors",
            "eligible_regions",
            "priority_groups",
        ]
        field_classes = {"monitoring_months": MonthListField}
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description_uk": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "opens_at": _("Kyiv time."),
            "closes_at": _("Kyiv time."),
            "cap": _("Usually USD 4,000 for individuals and USD 20,000 for community projects."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if not self.instance.pk:
            self.initial.setdefault("cycle_year", timezone.localdate().year)
            self.initial.setdefault("currencies", list(Currency.values))
            self.initial.setdefault("eligible_sectors", list(Sector.values))
            self.initial.setdefault("eligible_regions", list(Region.values))
            self.initial.setdefault("priority_groups", list(PriorityGroup.objects.all()))
        # Left empty, the retention period is the programme's default (Call.retention_months).
        self.fields["retention_months"].required = False

    def clean_retention_months(self):
        months = self.cleaned_data.get("retention_months")
        return Call._meta.get_field("retention_months").default if months is None else months

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        cap, minimum = cleaned.get("cap"), cleaned.get("min_grant")
        if cap is not None and cap <= 0:
            self.add_error("cap", _("The cap must be more than zero."))
        if cap is not None and minimum is not None and minimum > cap:
            self.add_error("min_grant", _("The minimum grant cannot be above the cap."))
        share = cleaned.get("in_kind_max_share")
        if share is not None and not Decimal("0") <= share <= Decimal("1"):
            self.add_error("in_kind_max_share", _("Enter a share between 0 and 1, for example 0.3 for 30%."))
        ratio = cleaned.get("match_ratio")
        if ratio is not None and ratio <= 0:
            self.add_error("match_ratio", _("The match ratio must be more than zero."))
        budget = cleaned.get("budget_envelope")
        if budget is not None and budget < 0:
            self.add_error("budget_envelope", _("The budget cannot be negative."))
        return cleaned


class OfficerChecksForm(forms.Form):
    checks = forms.MultipleChoiceField(
        label=_("Officer checks"),
        choices=OfficerCheck.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ShortlistForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the applicant (optional)"),
        help_text=_("Visible to the applicant: it is emailed to them word for word with the news of the shortlisting."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "shortlist_%s")  # shares a page with RejectForm: ids must differ
        super().__init__(*args, **kwargs)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *RejectionReason.choices])
    note = forms.CharField(
        label=_("Explanation for the applicant"),
        help_text=_("Visible to the applicant: it is emailed to them and shown on their application page."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reject_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RejectionReason.OTHER and not cleaned.get("note"):
            self.add_error("note", _("Explain the reason when you choose “other”."))
        return cleaned


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_("Visible to the applicant on their application page."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class BulkScreeningForm(forms.Form):
    ACTIONS = (("shortlist", _("Shortlist")), ("reject", _("Reject")))
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.ChoiceField(
        label=_("Reason (for rejection)"),
        choices=[("", "---------"), *RejectionReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the applicants"),
        help_text=_("Visible to the applicants: it is emailed to each of them with the decision."),
        required=False,
    )
    applications = forms.ModelMultipleChoiceField(queryset=Application.objects.none(), widget=forms.MultipleHiddenInput)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = Application.objects.filter(call=call).submitted()
        self.fields["applications"].error_messages["required"] = _("Select at least one application.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", _("Give a reason for the rejection."))
        return cleaned
