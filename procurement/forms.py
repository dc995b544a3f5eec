"""Forms for procurement items, overrun decisions, the own contribution and the handover act: validation
and layout only; the services decide."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import Currency
from applications.uploads import sniff_document

from .enums import ItemCondition

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class NotFutureDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATE)
        kwargs.setdefault("initial", _today)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)


class OrderForm(forms.Form):
    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    purchase_order_number = forms.CharField(label=_("Purchase order number"), max_length=60)
    ordered_on = NotFutureDateField(label=_("Ordered on"))


class CostForm(forms.Form):
    amount = MoneyField(label=_("Actual cost"), min_value=Decimal("0.01"))
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    invoiced_on = NotFutureDateField(
        label=_("Invoice date"), help_text=_("The NBU rate of this day converts the cost to USD.")
    )


class DeliveryForm(forms.Form):
    delivered_on = NotFutureDateField(label=_("Delivered to the programme on"))
    serial_numbers = forms.CharField(
        label=_("Serial numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, one for each unit that has one."),
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=ItemCondition.choices, initial=ItemCondition.NEW)
    condition_note = forms.CharField(label=_("Remarks on the condition"), max_length=300, required=False)
    amount = MoneyField(label=_("Actual cost"), min_value=Decimal("0.01"), required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, required=False)

    def __init__(self, *args, cost_known: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.cost_known = cost_known
        if cost_known:
            del self.fields["amount"], self.fields["currency"]
        else:
            self.fields["amount"].required = True
            self.fields["currency"].required = True
            self.fields["amount"].help_text = _("Converted at the NBU rate of the delivery date.")

    def serials(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["serial_numbers"].splitlines() if line.strip()]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class OverrunDecisionForm(forms.Form):
    CONFIRM, REFUSE = "confirm", "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(CONFIRM, _("Confirm the overrun")), (REFUSE, _("Refuse the overrun"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Required when refusing."),
    )


class ReduceForm(forms.Form):
    items = forms.ModelMultipleChoiceField(label=_("Leave out"), queryset=None, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: f"{item.item} × {item.quantity} ({item.value_usd} USD)"


class DocumentField(forms.FileField):
    """A PDF, JPEG or PNG checked by its content (applications.uploads.sniff_document)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            sniff_document(upload)
        return upload


class EvidenceForm(forms.Form):
    file = DocumentField(
        label=_("Receipt, invoice or photo"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(label=_("What this document shows"), max_length=300, required=False)


class VerifyForm(forms.Form):
    amount = MoneyField(label=_("Verified amount or value"))
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    dated = NotFutureDateField(
        label=_("Date of the documents"), help_text=_("The NBU rate of this day converts it to USD.")
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the evidence is rejected"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The participant reads this: say what would prove the line."),
    )


class SignForm(forms.Form):
    scan = DocumentField(
        label=_("Scan of the act signed by both parties"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    handed_over_on = NotFutureDateField(label=_("Handed over on"))
