from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import CallFormSetMixin, currency_choices
from common.forms import valid_posted_fields
from common.uploads import DOCUMENTS, clean_upload, is_new_upload

from .enums import MONTHS, ContributionKind, PlanSection
from .models import ContributionLine, EquipmentLine, PlanVersion

JOB_BREAKDOWN = ("jobs_women", "jobs_youth", "jobs_disability", "jobs_veterans")


class PlanForm(forms.ModelForm):
    """The written sections and the jobs. A draft save accepts blanks; submission checks completeness."""

    class Meta:
        model = PlanVersion
        fields = [*PlanSection.values, "jobs_total", *JOB_BREAKDOWN]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in PlanSection.values}
        help_texts = {
            "summary": _("In a few sentences: what the business does, for whom, and what the grant buys."),
            "market": _("Who your customers are, who else sells the same, and your prices."),
            "experience": _("What you learned abroad (skills, technology, contacts) that this business uses."),
            "operations": _("Where you will work, how you will produce or serve, and who supplies you."),
            "risks": _("What could go wrong and what you will do then."),
            "sustainability": _("How the business will keep going and grow after the grant."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for field in self.fields.values():
            field.required = False

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("jobs_total")
        for name in JOB_BREAKDOWN:
            value = cleaned.get(name)
            if value is not None and (total is None or value > total):
                self.add_error(name, _("This cannot be more than the jobs to be created."))
        return cleaned

    def valid_fields(self) -> dict:
        return valid_posted_fields(self)


class ProjectionForm(forms.Form):
    """Twelve months of expected revenue and costs, in UAH."""

    def __init__(self, *args, projection: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = projection
        for month in range(1, MONTHS + 1):
            saved = projection[month - 1] if len(projection) >= month else {}
            for kind, label in (("revenue", _("Revenue")), ("costs", _("Costs"))):
                self.fields[f"{kind}_{month}"] = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=Decimal("0"),
                    max_digits=14,
                    decimal_places=2,
                    initial=saved.get(kind),
                    widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                )

    def months(self):
        return [(month, self[f"revenue_{month}"], self[f"costs_{month}"]) for month in range(1, MONTHS + 1)]

    def projection(self) -> list[dict]:
        """The twelve months as posted; a month's figure the request left out keeps its saved value."""
        posted = valid_posted_fields(self)

        def figure(kind: str, month: int) -> str:
            name = f"{kind}_{month}"
            if name not in posted:
                saved = self.saved[month - 1] if len(self.saved) >= month else {}
                return saved.get(kind, "")
            return "" if posted[name] is None else str(posted[name])

        return [{"revenue": figure("revenue", m), "costs": figure("costs", m)} for m in range(1, MONTHS + 1)]


class _LineForm(forms.ModelForm):
    file_field = ""

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices(call)
        upload = self.fields[self.file_field]
        upload.widget = forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        upload.help_text = _("PDF, JPEG or PNG, at most 10 MB.")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get(self.file_field)
        if is_new_upload(upload):
            try:
                cleaned[self.file_field] = clean_upload(upload, DOCUMENTS)
            except forms.ValidationError as error:
                self.add_error(self.file_field, error)
            else:
                setattr(self.instance, f"{self.file_field}_type", cleaned[self.file_field].content_type)
        return cleaned


class EquipmentLineForm(_LineForm):
    file_field = "quote"

    class Meta:
        model = EquipmentLine
        fields = ["item", "purpose", "supplier", "quantity", "unit_price", "currency", "vat_included", "quote"]
        widgets = {"unit_price": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})}


class ContributionLineForm(_LineForm):
    file_field = "evidence"

    class Meta:
        model = ContributionLine
        fields = ["kind", "description", "amount", "currency", "evidence"]
        widgets = {"amount": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})}

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        if not call.in_kind_allowed:
            self.fields["kind"].choices = [(ContributionKind.CASH, ContributionKind.CASH.label)]


class _LineFormSet(CallFormSetMixin, forms.BaseInlineFormSet):
    def __init__(self, *args, call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)

    def unsaved_lines(self) -> list:
        """The valid, not deleted rows as unsaved model objects, for a preview of the figures."""
        return [
            form.save(commit=False)
            for form in self.forms
            if form.is_valid() and (form.instance.pk or form.has_changed()) and not form.cleaned_data.get("DELETE")
        ]


EquipmentLineFormSet = forms.inlineformset_factory(
    PlanVersion,
    EquipmentLine,
    form=EquipmentLineForm,
    formset=_LineFormSet,
    extra=0,
    min_num=1,
    max_num=40,
    absolute_max=40,
    validate_max=True,
    can_delete=True,
)
ContributionLineFormSet = forms.inlineformset_factory(
    PlanVersion,
    ContributionLine,
    form=ContributionLineForm,
    formset=_LineFormSet,
    extra=0,
    min_num=1,
    max_num=20,
    absolute_max=20,
    validate_max=True,
    can_delete=True,
)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should the applicant revise?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
