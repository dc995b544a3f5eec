"""Ranking a call's applications (one track at a time) and applying its budget envelope, pure.

**Order.** Applications are ordered by final score (the calibrated score where the call asks for one,
otherwise the mean of the reviewers), highest first. Ties are broken, in turn, by:

1. the priority group first (an application from one of the call's priority groups before one that is not);
2. the higher own-contribution ratio, as the call computes it (more of the participant's own money behind
   the plan);
3. the earlier plan submission;
4. the reference, in plain string order: no two applications share one, so the order is total and the
   same whatever order the entries come in.

**Threshold.** An application is eligible for recommendation when it has a score and the score is at
least `min_score`. The others are "below_threshold" and listed after every eligible one, in the same
order, unscored applications last.

**Budget.** The envelope is applied to the eligible applications in rank order, first fit: a row is
"recommended" when its grant fits in what is left of the budget, and that grant is then taken out of
it; a row whose grant does not fit is "waitlisted", and ranking goes on, so a later, smaller grant that
still fits *is* recommended. Stopping at the first row that does not fit would leave money unused for
no one's benefit; the waitlisted row keeps its higher position, for the approver to see, and moves up
if a recommended plan drops out. The sum of recommended grants never exceeds the budget.

Every row shows `running_total`: the sum of the grants recommended so far, that row's included.
Positions run from 1 over all rows, below-threshold ones included.
"""

import enum
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal, localcontext
from operator import itemgetter

# Exact for any sum of grants a call can hold.
_CONTEXT = Context(prec=60)
_ZERO = Decimal(0)


class Outcome(enum.StrEnum):
    RECOMMENDED = "recommended"
    WAITLISTED = "waitlisted"
    BELOW_THRESHOLD = "below_threshold"


@dataclass(frozen=True, slots=True)
class RankingEntry:
    """What ranking needs of one scored application; `grant` is the matching engine's, in USD."""

    application_id: Hashable
    reference: str
    score: Decimal | None
    priority: bool
    own_contribution_ratio: Decimal
    plan_submitted_at: datetime
    grant: Decimal


@dataclass(frozen=True, slots=True)
class RankedRow:
    """One line of the ranking list; `running_total` is the sum of the grants recommended up to this row."""

    position: int
    entry: RankingEntry
    outcome: Outcome
    running_total: Decimal


def _decimal(name: str, value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}.")
    return value


def _checked(entry: RankingEntry) -> tuple[Decimal | None, Decimal, Decimal]:
    """The entry's score, own-contribution ratio and grant as `Decimal`, or TypeError / ValueError."""
    score = None if entry.score is None else _decimal(f"The score of {entry.reference}", entry.score)
    ratio = _decimal(f"The own-contribution ratio of {entry.reference}", entry.own_contribution_ratio)
    grant = _decimal(f"The grant of {entry.reference}", entry.grant)
    if grant < 0:
        raise ValueError(f"The grant of {entry.reference} cannot be negative (got {entry.grant}).")
    return score, ratio, grant


def rank(entries: Iterable[RankingEntry], *, min_score: Decimal, budget: Decimal) -> list[RankedRow]:
    """The call's ranking list: eligible applications in rank order with their outcome, then the rest."""
    min_score = _decimal("min_score", min_score)
    budget = _decimal("budget", budget)
    if budget < 0:
        raise ValueError(f"budget cannot be negative (got {budget}).")
    keyed = []
    references = set()
    for entry in entries:
        score, ratio, grant, reference = entry.score, entry.own_contribution_ratio, entry.grant, entry.reference
        if not (
            type(grant) is Decimal
            and grant.is_finite()
            and grant >= _ZERO
            and type(ratio) is Decimal
            and ratio.is_finite()
            and (score is None or (type(score) is Decimal and score.is_finite()))
        ):
            score, ratio, grant = _checked(entry)
        if reference in references:
            raise ValueError(f"Reference {reference} appears twice.")
        references.add(reference)
        # The rule of the module docstring, after the group: 0 eligible, 1 below the minimum, 2 unscored.
        # copy_negate is exact, whatever the context's precision.
        if score is None:
            key = (2, _ZERO, not entry.priority, ratio.copy_negate(), entry.plan_submitted_at, reference)
        else:
            key = (
                0 if score >= min_score else 1,
                score.copy_negate(),
                not entry.priority,
                ratio.copy_negate(),
                entry.plan_submitted_at,
                reference,
            )
        keyed.append((key, grant, entry))
    keyed.sort(key=itemgetter(0))

    rows = []
    remaining = budget
    total = _ZERO
    with localcontext(_CONTEXT):
        for position, (key, grant, entry) in enumerate(keyed, start=1):
            if key[0]:
                outcome = Outcome.BELOW_THRESHOLD
            elif grant <= remaining:
                remaining -= grant
                total += grant
                outcome = Outcome.RECOMMENDED
            else:
                outcome = Outcome.WAITLISTED
            rows.append(RankedRow(position, entry, outcome, total))
    return rows
