"""`{% consultations_for_applicant application %}`: the applicant's consultations, in a fixed number of queries."""

from django import template

from plans.consultations import selectors
from plans.enums import VersionStatus

register = template.Library()


@register.inclusion_tag("plans/partials/consultations_for_applicant.html")
def consultations_for_applicant(application):
    return {"application": application, "consultations": selectors.consultations_for_applicant(application)}


@register.filter
def plan_status_label(status: str | None) -> str:
    """The label of a plan version's status, as annotated by `applications_of_consultant`; '' when none."""
    return VersionStatus(status).label if status in VersionStatus.values else ""
