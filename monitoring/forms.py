"""Forms of monitoring: validation and layout only; the services decide."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Call

from .enums import CASE_DECISIONS, AgeBand, CaseStatus, JobGender, ReportStatus, RevenueBand

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YesNoField(forms.TypedChoiceField):
    """Yes or no as radio buttons; unanswered is None (a draft may leave it)."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


def job_field_name(gender: str, band: str) -> str:
    return f"jobs_{gender}_{band}"


JOB_CELLS = [(gender, band) for gender in JobGender.values for band in AgeBand.values]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleaned to a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    """A monitoring report. Every field is optional here, so a draft saves whatever is filled in;
    monitoring.services.report_missing says what submitting still needs."""

    business_operating = YesNoField(label=_("Is your business operating?"))
    equipment_in_use = YesNoField(label=_("Is the equipment from the programme in your business and in use?"))
    equipment_note = forms.CharField(
        label=_("About the equipment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If it is not in use, tell us what happened."),
    )
    revenue_band = forms.ChoiceField(
        label=_("Revenue since the handover"), required=False, choices=[("", "—"), *RevenueBand.choices]
    )
    revenue_uah = forms.DecimalField(
        label=_("Revenue since the handover, UAH (if you know it)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    story = forms.CharField(
        label=_("Your story in a few sentences"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What changed for you, your family or your community."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for gender, band in JOB_CELLS:
            self.fields[job_field_name(gender, band)] = forms.IntegerField(
                label=f"{JobGender(gender).label}, {AgeBand(band).label}",
                required=False,
                min_value=0,
                max_value=500,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "jobs-cell"}),
            )

    def report_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in (
                "business_operating",
                "equipment_in_use",
                "equipment_note",
                "revenue_band",
                "revenue_uah",
                "story",
            )
        }

    def jobs(self) -> dict[tuple[str, str], int]:
        return {(gender, band): self.cleaned_data.get(job_field_name(gender, band)) or 0 for gender, band in JOB_CELLS}

    def job_rows(self):
        """The jobs grid: one row per gender, one cell per age band."""
        return [
            (JobGender(gender).label, [self[job_field_name(gender, band)] for band in AgeBand.values])
            for gender in JobGender.values
        ]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Add a photo"),
        required=False,
        help_text=_("JPEG or PNG, at most 10 MB. Location and camera data are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )


class ReviewForm(forms.Form):
    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept the report")), (RETURN, _("Return it for correction"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the participant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning."),
    )


class ReportFilterForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *ReportStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(grants__monitoring_reports__isnull=False).distinct()


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE, initial=timezone.localdate)
    equipment_present = forms.TypedChoiceField(
        label=_("Is the equipment there?"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    equipment_in_use = forms.TypedChoiceField(
        label=_("Is it in use?"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    business_operating = forms.TypedChoiceField(
        label=_("Is the business operating?"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    discrepancy = forms.BooleanField(label=_("Something does not match the records"), required=False)
    discrepancy_note = forms.CharField(
        label=_("What does not match"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(
        label=_("Photos"), required=False, help_text=_("Up to 6 photos; location and camera data are removed.")
    )

    def clean(self):
        data = super().clean()
        if data.get("discrepancy") and not (data.get("discrepancy_note") or "").strip():
            self.add_error("discrepancy_note", _("Describe the discrepancy."))
        return data


class CaseOpenForm(forms.Form):
    reason = forms.CharField(label=_("What was found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CaseDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(status, CaseStatus(status).label) for status in CASE_DECISIONS],
        widget=forms.RadioSelect,
    )
    transfer_to = forms.CharField(
        label=_("Transfer to (application reference)"),
        required=False,
        max_length=30,
        help_text=_("Only when transferring, for example 1P1-2025-0003."),
    )
    note = forms.CharField(
        label=_("Reasons for the decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SampleForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none())
    confidence = forms.TypedChoiceField(
        label=_("Confidence level"),
        coerce=Decimal,
        choices=[("0.90", "90 %"), ("0.95", "95 %"), ("0.99", "99 %")],
        initial="0.95",
    )
    margin = forms.TypedChoiceField(
        label=_("Margin of error"),
        coerce=Decimal,
        choices=[("0.05", "± 5 %"), ("0.10", "± 10 %"), ("0.15", "± 15 %")],
        initial="0.10",
    )
    seed = forms.IntegerField(
        label=_("Seed (optional)"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_("Leave empty for a new random seed; give a stored seed to draw that sample again."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(grants__monitoring_schedule__isnull=False).distinct()
