"""Forms of the decision pages and of the public verification page: validation only, the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.enums import DeclineReason


class NoteForm(forms.Form):
    """Approve, keep on the waiting list or promote: an optional note for the record."""

    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    # Not required here: grants.decisions.services.grant_decline says what is missing, in the programme's words.
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *DeclineReason.choices], required=False)
    note = forms.CharField(
        label=_("Note (required for another reason)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkApproveForm(forms.Form):
    include_waitlisted = forms.BooleanField(label=_("Include waitlisted applications"), required=False)
