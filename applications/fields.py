"""Form fields for call settings that a plain widget would show badly."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MonthListField(forms.Field):
    """Months typed as "6, 12", kept as [6, 12]; the model's validator judges the list."""

    widget = forms.TextInput

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        kwargs.setdefault("help_text", _("Comma-separated, for example 6, 12."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(month) for month in value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list):
            return value
        parts = [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(
                _("Type whole numbers of months separated by commas, for example 6, 12."), code="not_months"
            )
        return [int(part) for part in parts]
