"""Statuses of procurement items, cost overruns, own-contribution proofs and handover acts, and their moves.

Each workflow has one table of allowed moves (`*_MOVES`) and one table of who may make them (`*_ACTORS`,
by the status a move arrives at); `procurement.services.item_move`, `item_overrun_move` and
`procurement.contributions.services.proof_move` are the only code that assigns these statuses.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applications.enums import ApplicationStatus

OWNER = "owner"
OFFICER = Role.PROGRAMME_OFFICER
APPROVER = Role.APPROVER
# Notes the procurement services write on an item's history (common.models.NotedChange).
ITEM_NOTES = {
    "cost_recorded": _("Actual cost %(actual_usd)s against %(approved_usd)s approved."),
    "act_signed": _("Handover act %(number)s signed."),
}
# Grants whose equipment the programme procures: approved, and awarded once the letter is out.
PROCURABLE = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.AWARDED})


class ItemStatus(models.TextChoices):
    TO_ORDER = "to_order", _("To order")
    ORDERED = "ordered", _("Ordered")
    DELIVERED = "delivered", _("Delivered to the programme")
    HANDED_OVER = "handed_over", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")


IT = ItemStatus
ITEM_MOVES: dict[str, frozenset[str]] = {
    IT.TO_ORDER: frozenset({IT.ORDERED, IT.CANCELLED}),
    IT.ORDERED: frozenset({IT.DELIVERED, IT.TO_ORDER, IT.CANCELLED}),
    IT.DELIVERED: frozenset({IT.HANDED_OVER, IT.CANCELLED}),
    IT.HANDED_OVER: frozenset(),
    # A cancelled item comes back when, say, the participant proves enough own contribution after all.
    IT.CANCELLED: frozenset({IT.TO_ORDER}),
}
ITEM_ACTORS: dict[str, frozenset[str]] = {
    IT.TO_ORDER: frozenset({OFFICER}),
    IT.ORDERED: frozenset({OFFICER}),
    IT.DELIVERED: frozenset({OFFICER}),
    IT.HANDED_OVER: frozenset({OFFICER}),
    # The approver cancels items to bring the equipment within the verified match (a shortfall).
    IT.CANCELLED: frozenset({OFFICER, APPROVER}),
}
# Items that are (or will be) handed over: the equipment the grant pays for.
ITEM_LIVE = frozenset({IT.TO_ORDER, IT.ORDERED, IT.DELIVERED, IT.HANDED_OVER})


class ItemCondition(models.TextChoices):
    NEW = "new", _("New, in working order")
    WORKING = "working", _("Working, with remarks")
    DAMAGED = "damaged", _("Damaged")


class OverrunStatus(models.TextChoices):
    """An item's actual cost against its approved amount and the call's tolerance."""

    NONE = "none", _("Within tolerance")
    PENDING = "pending", _("Overrun awaiting an approver")
    CONFIRMED = "confirmed", _("Overrun confirmed")
    REFUSED = "refused", _("Overrun refused")


OV = OverrunStatus
OVERRUN_MOVES: dict[str, frozenset[str]] = {
    OV.NONE: frozenset({OV.PENDING}),
    OV.PENDING: frozenset({OV.CONFIRMED, OV.REFUSED, OV.NONE}),
    OV.CONFIRMED: frozenset({OV.PENDING, OV.NONE}),
    OV.REFUSED: frozenset({OV.PENDING, OV.NONE}),
}
# Recording a new cost (officer) puts an item back to none or pending; only an approver decides.
OVERRUN_ACTORS: dict[str, frozenset[str]] = {
    OV.NONE: frozenset({OFFICER}),
    OV.PENDING: frozenset({OFFICER}),
    OV.CONFIRMED: frozenset({APPROVER}),
    OV.REFUSED: frozenset({APPROVER}),
}
# Overruns that keep an item from being handed over.
OVERRUN_BLOCKING = frozenset({OV.PENDING, OV.REFUSED})


class ProofStatus(models.TextChoices):
    """One own-contribution line of the frozen plan, as the participant proves it."""

    AWAITING = "awaiting", _("Awaiting evidence")
    SUBMITTED = "submitted", _("Evidence submitted")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


PR = ProofStatus
PROOF_MOVES: dict[str, frozenset[str]] = {
    PR.AWAITING: frozenset({PR.SUBMITTED, PR.VERIFIED, PR.REJECTED}),
    PR.SUBMITTED: frozenset({PR.VERIFIED, PR.REJECTED}),
    # An officer corrects a verification with a reason; a rejected line takes new evidence or a second look.
    PR.VERIFIED: frozenset({PR.REJECTED}),
    PR.REJECTED: frozenset({PR.SUBMITTED, PR.VERIFIED}),
}
# The owner submits evidence; officers verify (an officer may verify what they saw on site, without an
# upload) or reject.
PROOF_ACTORS: dict[str, frozenset[str]] = {
    PR.SUBMITTED: frozenset({OWNER}),
    PR.VERIFIED: frozenset({OFFICER}),
    PR.REJECTED: frozenset({OFFICER}),
    PR.AWAITING: frozenset(),
}
# Lines the participant can still add evidence to.
PROOF_OPEN_TO_EVIDENCE = frozenset({PR.AWAITING, PR.SUBMITTED, PR.REJECTED})


class ActStatus(models.TextChoices):
    """A handover act's file, like an award letter's: the row first, the PDF when a worker has rendered it."""

    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
