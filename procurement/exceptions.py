from django.utils.translation import gettext as _

from applications.exceptions import ApplicationError


class ProcurementError(ApplicationError):
    """A rule of procurement, the own contribution or the handover refused the action; `message` is for
    the user, already translated."""


class InvalidMove(ProcurementError):
    def __init__(self, choices, from_status: str, to_status: str):
        super().__init__(
            _("“%(from)s” cannot become “%(to)s”.")
            % {"from": choices(from_status).label, "to": choices(to_status).label}
        )
        self.from_status = from_status
        self.to_status = to_status
