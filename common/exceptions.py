"""The refusals every app raises: a rule said no, and the message says why in the user's language."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy


class ServiceError(Exception):
    """A rule of the programme refused the action; `message` is for the user, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidMove(ServiceError):
    """A status move that the workflow's move table does not allow.

    A workflow's subclass names its status enum (`labels`) and may word the refusal its own way: `refusals`
    by the status moved to, else `default`; both may use %(from)s and %(to)s, the statuses' labels."""

    labels = None
    default = gettext_lazy("“%(from)s” cannot become “%(to)s”.")
    refusals: dict = {}

    def __init__(self, from_status: str, to_status: str):
        labels = {
            "from": self.labels(from_status).label if self.labels else from_status,
            "to": self.labels(to_status).label if self.labels else to_status,
        }
        super().__init__(self.refusals.get(to_status, self.default) % labels)
        self.from_status = from_status
        self.to_status = to_status


class MoveNotAllowed(PermissionDenied):
    """The actor may not make this move (a 403 where a view lets it through)."""
