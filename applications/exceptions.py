from django.utils.translation import gettext as _

from common.exceptions import MoveNotAllowed, ServiceError

from .enums import ApplicationStatus


class ApplicationError(ServiceError):
    """A rule of the programme refused the action; `message` is for the user, already translated."""


class InvalidTransition(ApplicationError):
    def __init__(self, from_status: str, to_status: str):
        super().__init__(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ApplicationStatus(from_status).label, "to": ApplicationStatus(to_status).label}
        )
        self.from_status = from_status
        self.to_status = to_status


class ActorNotAllowed(MoveNotAllowed):
    pass
