"""The funnel of a call, pure: which stage of the journey an application reached, from its status history.

An application *reached* a stage when its history shows a move into that stage or any later one: an
application approved from the waiting list counts as recommended, one whose plan went back for revision
still counts as having submitted a plan. So every stage counts at most as many applications as the one
before. Closing counts as the last stage only after the equipment was delivered: an award closed without
a delivery stops at approved. Rejected, declined and withdrawn applications stay at the last stage they
reached.
"""

import enum
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _


class Stage(enum.IntEnum):
    SUBMITTED = 1
    SHORTLISTED = 2
    PLAN = 3
    DEFENDED = 4
    RECOMMENDED = 5
    APPROVED = 6
    DELIVERED = 7
    CLOSED = 8

    @property
    def label(self):
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.SUBMITTED: _("Submitted"),
    Stage.SHORTLISTED: _("Shortlisted"),
    Stage.PLAN: _("Business plan submitted"),
    Stage.DEFENDED: _("Defended"),
    Stage.RECOMMENDED: _("Recommended"),
    Stage.APPROVED: _("Approved"),
    Stage.DELIVERED: _("Equipment delivered"),
    Stage.CLOSED: _("Closed"),
}


# The stage a move into each status shows the application reached (statuses not listed show none).
STAGE_OF_STATUS: dict[str, int] = {
    "submitted": Stage.SUBMITTED,
    "shortlisted": Stage.SHORTLISTED,
    "plan_submitted": Stage.PLAN,
    "invited_to_defense": Stage.PLAN,
    "defended": Stage.DEFENDED,
    "waitlisted": Stage.DEFENDED,
    "recommended": Stage.RECOMMENDED,
    "approved": Stage.APPROVED,
    "awarded": Stage.APPROVED,
    "equipment_delivered": Stage.DELIVERED,
    "closed": Stage.CLOSED,
}


def furthest(reached: int | None, *, delivered: bool) -> int:
    """The furthest stage of an application whose history's highest stage is `reached`."""
    if reached is None:
        return 0
    if reached == Stage.CLOSED and not delivered:
        return Stage.APPROVED
    return int(reached)


def counts(groups: Iterable[tuple[int | None, bool, int]]) -> dict[int, int]:
    """Applications per stage reached, from (highest stage in the history, delivered?, applications) groups."""
    at: dict[int, int] = {}
    for reached, delivered, number in groups:
        stage = furthest(reached, delivered=delivered)
        at[stage] = at.get(stage, 0) + number
    return cumulative(at)


def cumulative(at: Mapping[int, int]) -> dict[int, int]:
    """From applications whose furthest stage is k to applications that reached k or further."""
    result, running = {}, 0
    for stage in sorted(Stage, reverse=True):
        running += at.get(stage, 0)
        result[stage] = running
    return {int(stage): result[stage] for stage in Stage}
