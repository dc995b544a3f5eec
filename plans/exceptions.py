from applications.exceptions import ApplicationError


class PlanError(ApplicationError):
    """A rule of the programme refused a change to a business plan; `message` is for the user."""
