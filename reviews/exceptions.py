from django.utils.translation import gettext_lazy

from applications.exceptions import ApplicationError
from common.exceptions import InvalidMove

from .enums import SheetStatus, SlotStatus


class ReviewError(ApplicationError):
    """A review rule refused the action; `message` is for the user."""


class InvalidSlotMove(InvalidMove, ReviewError):
    """A move `reviews.enums.SLOT_MOVES` does not allow: every status but scheduled is final."""

    labels = SlotStatus
    default = gettext_lazy("This slot is already “%(from)s”.")


class InvalidSheetMove(InvalidMove, ReviewError):
    """A move `reviews.enums.SHEET_MOVES` does not allow: submitting a submitted sheet, reopening a draft."""

    labels = SheetStatus
    refusals = {
        SheetStatus.SUBMITTED: gettext_lazy("There is no draft score sheet to submit."),
        SheetStatus.DRAFT: gettext_lazy("Only a submitted score sheet can be reopened."),
    }
