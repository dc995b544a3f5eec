from django.utils.translation import gettext as _

from applications.exceptions import ApplicationError
from common.exceptions import InvalidMove

from .enums import VersionStatus


class PlanError(ApplicationError):
    """A rule of the programme refused a change to a business plan; `message` is for the user."""


class InvalidPlanVersionMove(InvalidMove, PlanError):
    """A move `plans.enums.PLAN_VERSION_MOVES` does not allow: a version is submitted once, returned once."""

    def __init__(self, from_status: str, to_status: str):
        refusals = {
            VersionStatus.SUBMITTED: _("This version of the plan is submitted and can no longer be changed."),
            VersionStatus.RETURNED: _("Only a submitted plan can be returned for revision."),
        }
        super().__init__(from_status, to_status, labels=VersionStatus, message=refusals.get(to_status))
