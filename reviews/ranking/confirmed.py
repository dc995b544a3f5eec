"""A confirmed ranking, read after decisions have moved its applications on.

**What is shown.** Once a confirmation has completed the pair (`applied_at` set, reviews.ranking.services), the
call's ranking is the one both roles confirmed: the rows of that confirmation's snapshot (position, reference,
score, outcome, running total), in its order, each beside the application as it stands now (its status:
recommended, approved, awarded, declined...). Approving, awarding or declining moves an application out of the
ranked statuses; it stays in the confirmed ranking all the same.

**What counts as a change.** The snapshot is compared with the ranking recomputed over the same applications,
whatever their status now (`call_ranking_table(keep=...)`): a decision changes no score, plan or budget, so it
voids no confirmation; a score, the rubric, the budget or a newly defended application does.

The lines are `RankingLine`s, so the page, the chair's view of it and the exports read them as they read the
ranking before confirmation: position, score, outcome and running total are the snapshot's; the grant, the
per-criterion means and the tie-break figures are recomputed (they are what the scores were computed from).

Queries: the confirmations (one) and the ranking over the confirmed applications (seven, `call_ranking_table`,
which reads them through a subquery): eight, however many applications the call has.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from applications.models import Application, Call
from reviews.models import RankingConfirmation

from .rank import Outcome, RankedRow
from .selectors import CallRanking, call_ranking_table


@dataclass(frozen=True)
class ConfirmedRanking:
    confirmation: RankingConfirmation  # the one that completed the pair
    confirmations: list[tuple[RankingConfirmation, bool]]  # each role's newest, and whether it still counts
    table: CallRanking  # its lines: the confirmed rows, in the confirmed order
    current: bool  # the confirmed rows are still those of the ranking as it stands

    @property
    def applied_at(self) -> datetime:
        return self.confirmation.applied_at


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def confirmed_ranking(call: Call) -> ConfirmedRanking | None:
    """The call's confirmed ranking, or None while no confirmation has completed a pair."""
    latest: dict[str, RankingConfirmation] = {}
    applied = None
    for confirmation in RankingConfirmation.objects.filter(call=call).select_related("confirmed_by"):
        latest[confirmation.role] = confirmation
        if confirmation.applied_at is not None:
            applied = confirmation
    if applied is None:
        return None
    references = [row["reference"] for row in applied.snapshot]
    # A subquery: the confirmed applications are ranked whatever their status, so the table holds them all.
    keep = Application.objects.filter(call=call, reference__in=references).values("pk")
    recomputed = call_ranking_table(call, keep=keep)
    snapshot = recomputed.snapshot()
    by_reference = {line.entry.reference: line for line in recomputed.lines}
    lines = []
    for position, row in enumerate(applied.snapshot, start=1):
        line = by_reference.get(row["reference"])
        if line is None:  # no longer in the call (anonymised and removed): nothing to show
            continue
        confirmed_row = RankedRow(
            position=position,
            entry=replace(line.entry, score=_decimal(row["score"])),
            outcome=Outcome(row["outcome"]),
            running_total=Decimal(row["running_total"]),
        )
        lines.append(replace(line, row=confirmed_row))
    return ConfirmedRanking(
        confirmation=applied,
        confirmations=[(confirmation, confirmation.snapshot == snapshot) for confirmation in latest.values()],
        table=replace(recomputed, lines=lines),
        current=applied.snapshot == snapshot,
    )
