from django import forms
from django.utils.translation import gettext_lazy as _

from grants.enums import LetterKind


class LetterBatchForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the letter, for example ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
