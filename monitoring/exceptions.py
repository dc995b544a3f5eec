from applications.exceptions import ApplicationError


class MonitoringError(ApplicationError):
    """A rule of monitoring refused the action; `message` is for the user, already translated."""
