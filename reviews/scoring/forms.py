"""Forms of the reviewer's pages: the conflict-of-interest declaration, the score sheet, the chair's reopen."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import Criterion, ScoreSheet

NOT_APPLICABLE = "na"


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class DeclarationForm(forms.Form):
    NO_CONFLICT = "no"
    CONFLICT = "yes"

    conflict = forms.ChoiceField(
        label=_("Your declaration"),
        choices=[
            (NO_CONFLICT, _("I have no conflict of interest with this applicant")),
            (CONFLICT, _("I have a conflict of interest with this applicant")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two declarations.")},
    )
    reason = forms.CharField(
        label=_("Reason for the conflict"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when you have a conflict: for example a relative, a friend, a business partner or a "
            "neighbour. The chair of the panel sees it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @property
    def conflicted(self) -> bool:
        return self.cleaned_data["conflict"] == self.CONFLICT


def _plain(score: Decimal) -> str:
    """8.00 → "8", as the score select lists it."""
    return f"{score.normalize():f}"


def anchors(criterion: Criterion) -> list[tuple[str, str]]:
    middle = (criterion.scale_min + criterion.scale_max) / 2
    return [
        (label, text)
        for label, text in (
            (str(criterion.scale_min), criterion.localized("anchor_low")),
            (f"{middle:g}", criterion.localized("anchor_mid")),
            (str(criterion.scale_max), criterion.localized("anchor_high")),
        )
        if text
    ]


class ScoreForm(forms.Form):
    """One score and one comment per criterion of the call's rubric, and an overall comment.

    A criterion left unscored is left out of the draft (the stored score stays as it was); "not
    applicable" is offered only where the criterion allows it."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )

    def __init__(self, *args, criteria: list[Criterion], sheet: ScoreSheet | None = None, **kwargs):
        initial = {}
        if sheet is not None:
            initial["comment"] = sheet.comment
            for row in sheet.scores.all():
                initial[f"score_{row.criterion_id}"] = NOT_APPLICABLE if row.score is None else _plain(row.score)
                initial[f"comment_{row.criterion_id}"] = row.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            choices = [("", _("Not scored yet"))]
            choices += [(str(value), str(value)) for value in range(criterion.scale_min, criterion.scale_max + 1)]
            if criterion.allows_na:
                choices.append((NOT_APPLICABLE, _("Not applicable")))
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("Score"), choices=choices, required=False, widget=forms.Select(attrs={"class": "form-select"})
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField, list[tuple[str, str]]]]:
        """Per criterion: its score and comment fields, and what a low, middle and high score mean."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"], anchors(c)) for c in self.criteria]

    def scores(self) -> dict[int, tuple[Decimal | None, str]]:
        """What `services.score_save` takes: criterion id → (score, or None for not applicable; comment)."""
        scores = {}
        for criterion in self.criteria:
            value = self.cleaned_data[f"score_{criterion.pk}"]
            if value == "":
                continue
            score = None if value == NOT_APPLICABLE else Decimal(value)
            scores[criterion.pk] = (score, self.cleaned_data[f"comment_{criterion.pk}"].strip())
        return scores


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,  # services.score_reopen refuses an empty reason, with the message the chair sees
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
