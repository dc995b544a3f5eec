"""The refusals every app raises: a rule said no, and the message says why in the user's language."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A rule of the programme refused the action; `message` is for the user, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidMove(ServiceError):
    """A status move that the workflow's move table does not allow; `labels` is the status enum, and
    `message` a workflow's own wording of the refusal (by default "“X” cannot become “Y”.")."""

    def __init__(self, from_status: str, to_status: str, *, labels=None, message: str | None = None):
        from_label = labels(from_status).label if labels else from_status
        to_label = labels(to_status).label if labels else to_status
        super().__init__(message or _("“%(from)s” cannot become “%(to)s”.") % {"from": from_label, "to": to_label})
        self.from_status = from_status
        self.to_status = to_status


class MoveNotAllowed(PermissionDenied):
    """The actor may not make this move (a 403 where a view lets it through)."""
