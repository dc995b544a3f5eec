from applications.exceptions import ApplicationError


class DecisionError(ApplicationError):
    """A decision or a letter the programme's rules refuse; `message` says why, for the user."""


class BudgetExceeded(DecisionError):
    pass
