"""Forms of the decision pages and of the public verification page: validation only, the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import DeclineReason, LetterKind


class NoteForm(forms.Form):
    """Approve, keep on the waiting list or promote: an optional note for the record."""

    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    # Not required here: grants.services.grant_decline says what is missing, in the programme's words.
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *DeclineReason.choices], required=False)
    note = forms.CharField(
        label=_("Note (required for another reason)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkApproveForm(forms.Form):
    include_waitlisted = forms.BooleanField(label=_("Include waitlisted applications"), required=False)


class LetterBatchForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the letter, for example ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
