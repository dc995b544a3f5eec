"""The reports' filters and export requests: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Call

from .enums import ExportFormat, ExportKind, MapMeasure


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Call) -> str:
        return f"{obj.title} ({obj.cycle_year})"


class ScopeForm(forms.Form):
    """Which call the dashboard shows; none chosen is every call."""

    call = CallChoiceField(
        label=_("Call"), queryset=Call.objects.order_by("-opens_at"), required=False, empty_label=_("All calls")
    )


class MapForm(ScopeForm):
    measure = forms.ChoiceField(label=_("Show"), choices=MapMeasure.choices, required=False)


class ExportForm(ScopeForm):
    kind = forms.ChoiceField(label=_("What"), choices=[c for c in ExportKind.choices if c[0] != ExportKind.IATI])
    file_format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX)


class FullExportForm(ExportForm):
    """A full export carries personal data: the reason is recorded with it."""

    kind = forms.ChoiceField(
        label=_("What"), choices=[c for c in ExportKind.choices if c[0] not in (ExportKind.DASHBOARD, ExportKind.IATI)]
    )
    reason = forms.CharField(
        label=_("Why do you need the personal data?"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the access log with your name and the time, for example: audit of call 2021."),
    )

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data["reason"].split())


class IatiForm(forms.Form):
    call = CallChoiceField(label=_("Call"), queryset=Call.objects.order_by("-opens_at"), empty_label=_("Choose a call"))
