from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A rule of the programme refused the action; `message` is for the user, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(ApplicationError):
    def __init__(self, from_status: str, to_status: str):
        from .enums import ApplicationStatus

        super().__init__(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ApplicationStatus(from_status).label, "to": ApplicationStatus(to_status).label}
        )
        self.from_status = from_status
        self.to_status = to_status


class ActorNotAllowed(PermissionDenied):
    pass
