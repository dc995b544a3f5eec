import re
from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Country, Currency, Gender, OfficerCheck, Region, RejectionReason, Sector
from .models import Application, Call, EquipmentItem, PriorityGroup
from .uploads import sniff_document

PHONE = re.compile(r"^\+?[0-9 ()-]{9,20}$")
YES_NO = ((True, _("Yes")), (False, _("No")))


class StepForm(forms.ModelForm):
    """A step of the application. A draft save accepts blanks; moving on needs the step complete."""

    def __init__(self, *args, draft: bool = False, call: Call | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call or self.instance.call
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for name, field in self.fields.items():
            if draft:
                field.required = False
            elif name in getattr(self.Meta, "required", ()):
                field.required = True

    def valid_fields(self) -> dict:
        """Fields that passed validation, to keep in the draft even when the step as a whole did not."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and name in self.fields and name in self.Meta.fields
        }


class PersonalForm(StepForm):
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)

    class Meta:
        model = Application
        fields = ["first_name", "last_name", "patronymic", "date_of_birth", "gender", "phone", "language"]
        required = ["first_name", "last_name", "date_of_birth", "gender", "phone"]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": "+380 67 123 4567"}),
        }
        labels = {"language": _("Language for emails and letters")}
        help_texts = {"phone": _("With the country code, for example +380 or +48.")}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number with digits only, for example +380 67 123 4567."))
        return phone

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born:
            today = date.today()
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if age < 18:
                raise forms.ValidationError(_("Applicants must be at least 18 years old."))
            if age > 100:
                raise forms.ValidationError(_("Please check the year of birth."))
        return born


class MigrationForm(StepForm):
    countries_abroad = forms.MultipleChoiceField(
        label=_("Countries where you worked"),
        choices=Country.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    still_abroad = forms.TypedChoiceField(
        label=_("Are you still working abroad?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
    )

    class Meta:
        model = Application
        fields = [
            "countries_abroad",
            "years_abroad",
            "still_abroad",
            "return_date",
            "migration_experience",
            "migration_evidence",
        ]
        required = ["countries_abroad", "years_abroad", "still_abroad", "migration_experience"]
        widgets = {
            "return_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "migration_experience": forms.Textarea(attrs={"rows": 4}),
            "migration_evidence": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }
        labels = {"return_date": _("When did you return to Ukraine?")}
        help_texts = {
            "migration_experience": _("What work did you do, and what did you learn that your business will use?"),
            "migration_evidence": _("Optional: a work permit, contract or visa. PDF, JPEG or PNG, at most 10 MB."),
        }

    def clean_migration_evidence(self):
        upload = self.cleaned_data.get("migration_evidence")
        if upload and hasattr(upload, "content_type") and not getattr(upload, "_committed", False):
            self.evidence_type = sniff_document(upload)
        return upload

    def clean_return_date(self):
        returned = self.cleaned_data.get("return_date")
        if returned and returned > date.today():
            raise forms.ValidationError(_("The return date cannot be in the future."))
        return returned

    def clean(self):
        cleaned = super().clean()
        required = self.fields["years_abroad"].required
        returned_missing = cleaned.get("still_abroad") is False and not cleaned.get("return_date")
        if required and returned_missing and "return_date" not in self.errors:
            self.add_error("return_date", _("Tell us when you returned, or answer that you are still abroad."))
        return cleaned

    def valid_fields(self) -> dict:
        fields = super().valid_fields()
        if getattr(self, "evidence_type", None) and "migration_evidence" in fields:
            fields["migration_evidence_type"] = self.evidence_type
        return fields


class BusinessForm(StepForm):
    class Meta:
        model = Application
        fields = ["region", "hromada", "settlement", "sector", "idea_title", "idea_description"]
        required = ["region", "hromada", "sector", "idea_title", "idea_description"]
        widgets = {"idea_description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "hromada": _("The territorial community where the business will work."),
            "idea_description": _("What will you produce or offer, to whom, and why will they buy it?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = set(self.call.eligible_regions)
        sectors = set(self.call.eligible_sectors)
        self.fields["region"].choices = [("", "---------")] + [c for c in Region.choices if c[0] in regions]
        self.fields["sector"].choices = [("", "---------")] + [c for c in Sector.choices if c[0] in sectors]


class MoneyForm(StepForm):
    class Meta:
        model = Application
        fields = ["own_contribution_amount", "own_contribution_currency"]
        required = ["own_contribution_amount", "own_contribution_currency"]
        help_texts = {
            "own_contribution_amount": _("Your own money that you will invest in the business."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["own_contribution_currency"].choices = currency_choices(self.call)
        self.fields["own_contribution_amount"].widget.attrs.update({"inputmode": "decimal", "min": "0"})

    def clean_own_contribution_amount(self):
        amount = self.cleaned_data.get("own_contribution_amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The own contribution must be more than zero."))
        return amount


def currency_choices(call: Call) -> list[tuple[str, str]]:
    return [choice for choice in Currency.choices if choice[0] in call.currencies]


EQUIPMENT_FIELDS = ("name", "quantity", "estimated_unit_price", "currency")


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = EquipmentItem
        fields = list(EQUIPMENT_FIELDS)
        widgets = {"estimated_unit_price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices(call)
        self.fields["estimated_unit_price"].min_value = Decimal("0.01")


class CallFormSetMixin:
    """A formset whose rows take the call (its currencies and rules), the empty row for new lines too."""

    call: Call

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "call": self.call}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            call=self.call,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


class BaseEquipmentFormSet(CallFormSetMixin, forms.BaseFormSet):
    """The application's equipment list, saved by replacing the whole list.

    Rows carry no database ids, so an autosave that rewrites the list never leaves the page holding
    ids that no longer exist."""

    def __init__(self, data=None, *args, application: Application, **kwargs):
        self.call = application.call
        if data is None:
            # Only to show the saved list: a posted row is compared with nothing, so no row the
            # applicant sends is taken for an untouched blank one.
            kwargs["initial"] = [
                {name: getattr(item, name) for name in EQUIPMENT_FIELDS} for item in application.equipment.all()
            ]
        super().__init__(data, *args, **kwargs)

    def items(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in EQUIPMENT_FIELDS}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


EquipmentFormSet = forms.formset_factory(
    EquipmentForm,
    formset=BaseEquipmentFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


class DeclarationsForm(forms.Form):
    priority_groups = forms.ModelMultipleChoiceField(
        label=_("I belong to these groups"),
        queryset=PriorityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Only programme staff who screen applications see this."),
    )

    def __init__(self, *args, application: Application, notices, agreed: set[int], draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.notices = sorted(notices, key=lambda notice: (not notice.required, notice.purpose))
        self.fields["priority_groups"].queryset = application.call.priority_groups.all()
        self.initial.setdefault("priority_groups", list(application.priority_groups.all()))
        for notice in self.notices:
            self.fields[f"consent_{notice.purpose}"] = forms.BooleanField(
                label=notice.get_purpose_display(),
                required=notice.required and not draft,
                initial=notice.pk in agreed,
            )

    def agreed_notices(self):
        return [notice for notice in self.notices if self.cleaned_data.get(f"consent_{notice.purpose}")]


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CallForm(forms.ModelForm):
    eligible_sectors = forms.MultipleChoiceField(
        label=_("Eligible sectors"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    eligible_regions = forms.MultipleChoiceField(
        label=_("Eligible regions"), choices=Region.choices, widget=forms.CheckboxSelectMultiple
    )
    currencies = forms.MultipleChoiceField(
        label=_("Accepted currencies"), choices=Currency.choices, widget=forms.CheckboxSelectMultiple
    )
    priority_groups = forms.ModelMultipleChoiceField(
        label=_("Priority groups"),
        queryset=PriorityGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "programme",
            "title_uk",
            "title_en",
            "description_uk",
            "description_en",
            "cycle_year",
            "track",
            "reference_prefix",
            "cap",
            "match_ratio",
            "min_grant",
            "budget_envelope",
            "two_person_rule",
            "in_kind_allowed",
            "in_kind_max_share",
            "currencies",
            "opens_at",
            "closes_at",
            "eligible_sectors",
            "eligible_regions",
            "priority_groups",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description_uk": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "opens_at": _("Kyiv time."),
            "closes_at": _("Kyiv time."),
            "cap": _("Usually USD 4,000 for individuals and USD 20,000 for community projects."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if not self.instance.pk:
            self.initial.setdefault("cycle_year", timezone.localdate().year)
            self.initial.setdefault("currencies", list(Currency.values))
            self.initial.setdefault("eligible_sectors", list(Sector.values))
            self.initial.setdefault("eligible_regions", list(Region.values))
            self.initial.setdefault("priority_groups", list(PriorityGroup.objects.all()))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        cap, minimum = cleaned.get("cap"), cleaned.get("min_grant")
        if cap is not None and cap <= 0:
            self.add_error("cap", _("The cap must be more than zero."))
        if cap is not None and minimum is not None and minimum > cap:
            self.add_error("min_grant", _("The minimum grant cannot be above the cap."))
        share = cleaned.get("in_kind_max_share")
        if share is not None and not Decimal("0") <= share <= Decimal("1"):
            self.add_error("in_kind_max_share", _("Enter a share between 0 and 1, for example 0.3 for 30%."))
        ratio = cleaned.get("match_ratio")
        if ratio is not None and ratio <= 0:
            self.add_error("match_ratio", _("The match ratio must be more than zero."))
        budget = cleaned.get("budget_envelope")
        if budget is not None and budget < 0:
            self.add_error("budget_envelope", _("The budget cannot be negative."))
        return cleaned


class OfficerChecksForm(forms.Form):
    checks = forms.MultipleChoiceField(
        label=_("Officer checks"),
        choices=OfficerCheck.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ShortlistForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "shortlist_%s")  # shares a page with RejectForm: ids must differ
        super().__init__(*args, **kwargs)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *RejectionReason.choices])
    note = forms.CharField(
        label=_("Explanation for the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reject_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RejectionReason.OTHER and not cleaned.get("note"):
            self.add_error("note", _("Explain the reason when you choose “other”."))
        return cleaned


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the applicant"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class BulkScreeningForm(forms.Form):
    ACTIONS = (("shortlist", _("Shortlist")), ("reject", _("Reject")))
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.ChoiceField(
        label=_("Reason (for rejection)"),
        choices=[("", "---------"), *RejectionReason.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False)
    applications = forms.ModelMultipleChoiceField(queryset=Application.objects.none(), widget=forms.MultipleHiddenInput)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = Application.objects.filter(call=call).submitted()
        self.fields["applications"].error_messages["required"] = _("Select at least one application.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", _("Give a reason for the rejection."))
        return cleaned
