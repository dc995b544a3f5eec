from applications.exceptions import ApplicationError
from common.exceptions import InvalidMove

from .enums import LetterStatus


class DecisionError(ApplicationError):
    """A decision or a letter the programme's rules refuse; `message` says why, for the user."""


class BudgetExceeded(DecisionError):
    pass


class InvalidLetterMove(InvalidMove, DecisionError):
    """A move `grants.enums.LETTER_MOVES` does not allow (a ready letter is final; only a failed one is retried)."""

    labels = LetterStatus
