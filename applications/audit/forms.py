"""The reason asked before any export of personal data, and the search form of the access log."""

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .actions import AccessAction


class ExportReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this export?"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “budget check with the donor's auditor, March 2025”. It is kept in the access log."),
    )


def export_reason(request, *, what: str, back: str) -> str | HttpResponse:
    """For a view that exports personal data: the reason posted with the request, or the page asking for it.

        reason = export_reason(request, what=_("the ranking of this call"), back=reverse(...))
        if isinstance(reason, HttpResponse):
            return reason
        access_log_many(user=request.user, applications=..., action=..., reason=reason)

    A GET shows the form (and writes nothing); a POST with a valid reason returns the reason; an invalid
    POST shows the form again with its errors. The form posts back to the same URL."""
    posted = request.method == "POST"
    form = ExportReasonForm(request.POST if posted else None)
    if posted and form.is_valid():
        return form.cleaned_data["reason"]
    return render(request, "audit/export_reason.html", {"form": form, "what": what, "back": back})


class AccessLogSearchForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Who"), queryset=get_user_model().objects.none(), required=False)
    reference = forms.CharField(label=_("Application reference"), max_length=30, required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any action")), *AccessAction.choices], required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].empty_label = _("Anyone")
        self.fields["user"].label_from_instance = lambda user: f"{user.get_full_name() or user.email} ({user.email})"

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date cannot be before the start date."))
        return cleaned
