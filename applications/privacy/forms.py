from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ConsentPurpose


class ConsentChangeForm(forms.Form):
    ACTIONS = (("give", _("Give")), ("withdraw", _("Withdraw")))
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    action = forms.ChoiceField(choices=ACTIONS)


class ErasureRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Anything we should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and my applications can no longer continue."),
        error_messages={"required": _("Confirm that you understand what erasure means.")},
    )


class ErasureDecisionForm(forms.Form):
    DECISIONS = (("erase", _("Erase the data")), ("refuse", _("Refuse")))
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message to the person"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you refuse: say which legal duty keeps the data."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("message", "").strip():
            self.add_error("message", _("Tell the person why the request is refused."))
        return cleaned
