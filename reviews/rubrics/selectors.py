"""Reads of the rubric page: the call's rubric, its weights, and whether the viewer may change it."""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from applications.models import Call
from reviews.models import Criterion, Rubric, ScoreSheet

MANAGE = "applications.manage_calls"
HUNDRED = Decimal(100)


def scoring_started(call: Call) -> bool:
    """A score sheet exists in the call: from then on its rubric is frozen (reviews.rubrics.services)."""
    return ScoreSheet.objects.filter(application__call=call).exists()


@dataclass(frozen=True)
class RubricPage:
    rubric: Rubric
    criteria: list[Criterion]
    frozen: bool
    can_manage: bool

    @property
    def can_edit(self) -> bool:
        return self.can_manage and not self.frozen

    @property
    def total_weight(self) -> Decimal:
        return sum((criterion.weight for criterion in self.criteria), Decimal(0))

    def share(self, criterion: Criterion) -> Decimal | None:
        """The criterion's weight as a percentage of all weights (None while they add up to nothing)."""
        total = self.total_weight
        return criterion.weight * HUNDRED / total if total else None


def rubric_page(call: Call, viewer) -> RubricPage:
    """The call's rubric, created with the call (reviews.rubrics.receivers): reading the page writes nothing."""
    rubric = get_object_or_404(Rubric, call=call)
    return RubricPage(
        rubric=rubric,
        criteria=list(rubric.criteria.all()),
        frozen=scoring_started(call),
        can_manage=viewer.has_perm(MANAGE),
    )
