from applications.exceptions import ApplicationError


class ReviewError(ApplicationError):
    """A review rule refused the action; `message` is for the user."""
