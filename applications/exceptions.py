from django.utils.translation import gettext as _

from common.exceptions import InvalidMove, MoveNotAllowed, ServiceError

from .enums import ApplicationStatus


class ApplicationError(ServiceError):
    """A rule of the programme refused the action; `message` is for the user, already translated."""


class InvalidTransition(InvalidMove, ApplicationError):
    """A move `applications.enums.ALLOWED_MOVES` does not allow."""

    def __init__(self, from_status: str, to_status: str):
        super().__init__(
            from_status,
            to_status,
            message=_("An application that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ApplicationStatus(from_status).label, "to": ApplicationStatus(to_status).label},
        )


class ActorNotAllowed(MoveNotAllowed):
    pass
