"""Forms of the decision pages and of the public verification page: validation only, the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus, Region
from grants.enums import DeclineReason

WAITING = (ApplicationStatus.RECOMMENDED, ApplicationStatus.WAITLISTED)  # DECIDABLE, in the page's order


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


class DecisionFilterForm(forms.Form):
    """The decisions page's filters of the applications waiting for a decision; invalid values are ignored."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *((status, ApplicationStatus(status).label) for status in WAITING)],
    )
    region = forms.ChoiceField(label=_("Oblast"), required=False, choices=[("", _("All")), *Region.choices])
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=100)

    def filters(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value} if self.is_valid() else {}
