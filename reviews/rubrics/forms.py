"""Forms of the officers' rubric page: validation and crispy layout only."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import Criterion, Rubric


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class RubricSettingsForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["min_independent_scores", "calibrated", "disagreement_threshold", "min_score"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_settings_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_disagreement_threshold(self):
        value = self.cleaned_data["disagreement_threshold"]
        if value < 0:
            raise forms.ValidationError(_("The disagreement threshold cannot be negative."))
        return value

    def clean_min_score(self):
        value = self.cleaned_data["min_score"]
        if value < 0:
            raise forms.ValidationError(_("The minimum score cannot be negative."))
        return value


class CriterionForm(forms.ModelForm):
    """One criterion of `rubric`; the same checks as `services.criterion_save`, on the fields."""

    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2)

    class Meta:
        model = Criterion
        fields = [
            "key",
            "name_uk",
            "name_en",
            "guidance_uk",
            "guidance_en",
            "weight",
            "scale_min",
            "scale_max",
            "anchor_low_uk",
            "anchor_low_en",
            "anchor_mid_uk",
            "anchor_mid_en",
            "anchor_high_uk",
            "anchor_high_en",
            "allows_na",
        ]
        labels = {"key": _("Key")}
        help_texts = {
            "key": _("Short identifier: Latin letters, digits, hyphens and underscores; unique in the rubric.")
        }
        widgets = {"guidance_uk": forms.Textarea(attrs={"rows": 2}), "guidance_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, rubric: Rubric, **kwargs):
        instance = kwargs.get("instance")
        kwargs.setdefault("auto_id", f"id_criterion_{instance.pk if instance and instance.pk else 'new'}_%s")
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.instance.rubric = rubric
        self.helper = _helper()

    def clean_weight(self):
        value = self.cleaned_data["weight"]
        if value < 0:
            raise forms.ValidationError(_("The weight cannot be negative."))
        return value

    def clean_key(self):
        key = self.cleaned_data["key"]
        if self.rubric.criteria.filter(key=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another criterion of this rubric already has the key “%(key)s”.") % {"key": key}
            )
        return key

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("The highest score must be above the lowest score."))
        return cleaned
