"""Statuses of defense slots and score sheets, and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from common.moves import CHAIR, OWNER, MoveTable


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class SlotStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DEFENDED = "defended", _("Defended")
    NO_SHOW = "no_show", _("Did not attend")
    CANCELLED = "cancelled", _("Cancelled")


class SheetAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened by the chair")


# Slots that hold a panel's attention: scheduled, or defended (and scored). A cancelled or missed slot does not.
ACTIVE_SLOTS = (SlotStatus.SCHEDULED, SlotStatus.DEFENDED)

# A slot is scheduled when it is created; every other status is final (the application gets a new slot).
# The chair (common.moves.CHAIR) is the chair of the slot's session.
# Notes the session services write on a slot's history (common.models.NotedChange).
SLOT_NOTES = {"moved": _("Moved to %(time)s, session of %(session)s.")}
SLOT_MOVES = MoveTable(
    SlotStatus,
    moves={
        SlotStatus.SCHEDULED: frozenset({SlotStatus.DEFENDED, SlotStatus.NO_SHOW, SlotStatus.CANCELLED}),
        SlotStatus.DEFENDED: frozenset(),
        SlotStatus.NO_SHOW: frozenset(),
        SlotStatus.CANCELLED: frozenset(),
    },
    actors={
        SlotStatus.SCHEDULED: frozenset(),
        SlotStatus.DEFENDED: frozenset({Role.PROGRAMME_OFFICER, CHAIR}),
        SlotStatus.NO_SHOW: frozenset({Role.PROGRAMME_OFFICER, CHAIR}),
        SlotStatus.CANCELLED: frozenset({Role.PROGRAMME_OFFICER}),
    },
)

# The sheet's reviewer (common.moves.OWNER) submits it; the chair of a session where the application is
# defended reopens it. reviews.scoring.services adds what the table cannot say: the reviewer is on the
# panel and declared no conflict, and the sheet is complete.
SHEET_MOVES = MoveTable(
    SheetStatus,
    moves={
        SheetStatus.DRAFT: frozenset({SheetStatus.SUBMITTED}),
        SheetStatus.SUBMITTED: frozenset({SheetStatus.DRAFT}),
    },
    actors={
        SheetStatus.SUBMITTED: frozenset({OWNER}),
        SheetStatus.DRAFT: frozenset({CHAIR}),
    },
)
