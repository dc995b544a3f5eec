from django.utils.translation import gettext as _

from applications.exceptions import ApplicationError
from common.exceptions import InvalidMove

from .enums import SheetStatus, SlotStatus


class ReviewError(ApplicationError):
    """A review rule refused the action; `message` is for the user."""


class InvalidSlotMove(InvalidMove, ReviewError):
    """A move `reviews.enums.SLOT_MOVES` does not allow: every status but scheduled is final."""

    def __init__(self, from_status: str, to_status: str):
        super().__init__(
            from_status,
            to_status,
            labels=SlotStatus,
            message=_("This slot is already “%(status)s”.") % {"status": SlotStatus(from_status).label},
        )


class InvalidSheetMove(InvalidMove, ReviewError):
    """A move `reviews.enums.SHEET_MOVES` does not allow: submitting a submitted sheet, reopening a draft."""

    def __init__(self, from_status: str, to_status: str):
        refusals = {
            SheetStatus.SUBMITTED: _("There is no draft score sheet to submit."),
            SheetStatus.DRAFT: _("Only a submitted score sheet can be reopened."),
        }
        super().__init__(from_status, to_status, labels=SheetStatus, message=refusals.get(to_status))
