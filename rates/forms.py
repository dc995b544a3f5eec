from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RATE_CURRENCY_CHOICES
from .services import MAX_IMPORT_BYTES


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class RateFilterForm(forms.Form):
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", _("All currencies")), *RATE_CURRENCY_CHOICES], required=False
    )


class RateForm(forms.Form):
    """One day's official rate of one currency, typed from the NBU's site; saving it again corrects it."""

    currency = forms.ChoiceField(label=_("Currency"), choices=RATE_CURRENCY_CHOICES)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    uah_per_unit = forms.DecimalField(
        label=_("Hryvnias for 1 unit"),
        max_digits=14,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "0.000001", "min": "0.000001", "inputmode": "decimal"}),
        help_text=_(
            "The official rate for one unit, for example 44.9571 for 1 EUR. A rate for 100 units is divided by 100."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future: enter a rate the NBU has already set."))
        return day

    def clean_uah_per_unit(self):
        rate = self.cleaned_data["uah_per_unit"]
        if rate <= 0:
            raise forms.ValidationError(_("The rate must be more than zero."))
        return rate


class RateImportForm(forms.Form):
    file = forms.FileField(
        label=_("NBU file (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
        help_text=_(
            "An export of the NBU's official rates, with the columns exchangedate, cc and rate "
            "(or Дата, Код літерний, Кількість одиниць валюти and Офіційний курс)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)d MB.") % {"size": MAX_IMPORT_BYTES >> 20})
        return upload
