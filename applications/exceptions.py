from django.utils.translation import gettext_lazy

from common.exceptions import InvalidMove, MoveNotAllowed, ServiceError

from .enums import ApplicationStatus


class ApplicationError(ServiceError):
    """A rule of the programme refused the action; `message` is for the user, already translated."""


class InvalidTransition(InvalidMove, ApplicationError):
    """A move `applications.enums.ALLOWED_MOVES` does not allow."""

    labels = ApplicationStatus
    default = gettext_lazy("An application that is “%(from)s” cannot become “%(to)s”.")


class ActorNotAllowed(MoveNotAllowed):
    pass
