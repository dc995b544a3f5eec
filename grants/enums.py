"""Kinds and states of grant decisions and letters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applications.enums import ApplicationStatus
from common.moves import SYSTEM, MoveTable


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    KEPT_WAITLISTED = "kept_waitlisted", _("Kept on the waiting list")
    PROMOTED = "promoted", _("Promoted from the waiting list")


class DeclineReason(models.TextChoices):
    BUDGET = "budget", _("The call's budget does not allow this grant")
    SCORE = "score", _("The panel's score is below what the call can fund")
    ELIGIBILITY = "eligibility", _("The plan does not meet the call's conditions")
    DOCUMENTS = "documents", _("The own contribution or the quotes could not be verified")
    OTHER = "other", _("Another reason (see the note)")


class LetterKind(models.TextChoices):
    AWARD = "award", _("Award letter")
    DECLINE = "decline", _("Decline letter")


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# A letter is created pending; the letter tasks (common.moves.SYSTEM: no person acts) store it as ready or,
# after the last attempt, mark it failed; programme staff queue a failed letter again. A ready letter is
# final: a correction is a new version. grants.letters.rendering.letter_move moves them.
LETTER_MOVES = MoveTable(
    LetterStatus,
    moves={
        LetterStatus.PENDING: frozenset({LetterStatus.READY, LetterStatus.FAILED}),
        LetterStatus.READY: frozenset(),
        LetterStatus.FAILED: frozenset({LetterStatus.PENDING}),
    },
    actors={
        LetterStatus.PENDING: frozenset({Role.PROGRAMME_OFFICER, Role.APPROVER}),
        LetterStatus.READY: frozenset({SYSTEM}),
        LetterStatus.FAILED: frozenset({SYSTEM}),
    },
)


S = ApplicationStatus

# What the approver may decide on: recommended or waitlisted applications.
DECIDABLE = frozenset({S.RECOMMENDED, S.WAITLISTED})
# Applications whose grant counts against the budget: every status a grant can be in but withdrawn.
# Notes the letter services write on a letter's history (common.models.NotedChange).
LETTER_NOTES = {
    "tried_again": _("Tried again."),
    "tried_again_in_batch": _("Tried again in a new batch."),
    "batch_resumed": _("Tried again: the batch was resumed."),
}
GRANTED = frozenset({S.APPROVED, S.AWARDED, S.EQUIPMENT_DELIVERED, S.CLOSED})
# Which applications a letter of each kind can be issued to.
LETTER_STATUSES = {LetterKind.AWARD: (S.APPROVED, S.AWARDED), LetterKind.DECLINE: (S.DECLINED,)}
# Letters are issued to approved, awarded and declined applications, which may move on to these statuses.
MAY_HAVE_LETTERS = frozenset({S.APPROVED, S.AWARDED, S.EQUIPMENT_DELIVERED, S.CLOSED, S.DECLINED, S.WITHDRAWN})
