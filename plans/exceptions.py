from django.utils.translation import gettext_lazy

from applications.exceptions import ApplicationError
from common.exceptions import InvalidMove

from .enums import VersionStatus


class PlanError(ApplicationError):
    """A rule of the programme refused a change to a business plan; `message` is for the user."""


class InvalidPlanVersionMove(InvalidMove, PlanError):
    """A move `plans.enums.PLAN_VERSION_MOVES` does not allow: a version is submitted once, returned once."""

    labels = VersionStatus
    refusals = {
        VersionStatus.SUBMITTED: gettext_lazy("This version of the plan is submitted and can no longer be changed."),
        VersionStatus.RETURNED: gettext_lazy("Only a submitted plan can be returned for revision."),
    }
