"""Reads about consultations: a consultant's applicants, the officer's assignment page, what the applicant sees."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from plans.models import ConsultantAssignment, ConsultationSession, PlanComment, PlanVersion

# The stages in which an applicant works with a consultant.
CONSULTING_STATUSES = (ApplicationStatus.SHORTLISTED, ApplicationStatus.PLAN_SUBMITTED)


def _latest_version_status():
    return Subquery(
        PlanVersion.objects.filter(plan__application=OuterRef("pk")).order_by("-number").values("status")[:1]
    )


def applications_of_consultant(consultant) -> QuerySet[Application]:
    return (
        Application.objects.filter(consultant_assignment__consultant=consultant)
        .select_related("call")
        .annotate(n_sessions=Count("consultation_sessions", distinct=True), plan_status=_latest_version_status())
        .order_by("status", "last_name")
    )


def applications_for_assignment(call: Call) -> QuerySet[Application]:
    return (
        Application.objects.filter(call=call, status__in=CONSULTING_STATUSES)
        .select_related("consultant_assignment__consultant")
        .order_by("region", "last_name")
    )


def consultants_with_load():
    """Every consultant with the number of applicants they are helping now."""
    return (
        get_user_model()
        .objects.filter(groups__name=Role.CONSULTANT, is_active=True)
        .annotate(
            load=Count(
                "consultant_assignments",
                filter=Q(consultant_assignments__application__status__in=CONSULTING_STATUSES),
            )
        )
        .order_by("last_name", "first_name", "email")
    )


def sessions_of(application: Application) -> QuerySet[ConsultationSession]:
    return ConsultationSession.objects.filter(application=application).select_related("consultant")


def application_of_consultant(user, pk: int) -> Application:
    """The application this consultant is assigned to; anyone else gets a 404, never a hint that it exists."""
    application = Application.objects.select_related("call", "applicant").filter(pk=pk).first()
    if application is None or not user.has_perm("plans.consult", application):
        raise Http404
    return application


@dataclass(frozen=True)
class ApplicantConsultations:
    """What the applicant sees of their consultations: never the comments kept among staff."""

    consultant: Any
    sessions: list[ConsultationSession] = field(default_factory=list)
    comments: list[PlanComment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.consultant is None and not self.sessions and not self.comments


def consultations_for_applicant(application: Application) -> ApplicantConsultations:
    """The consultant, the sessions and the comments addressed to the applicant on any version of the plan,
    newest first, in three queries whatever their number. A draft has had no consultations: no query."""
    if application.status == ApplicationStatus.DRAFT:
        return ApplicantConsultations(consultant=None)
    assignment = ConsultantAssignment.objects.filter(application=application).select_related("consultant").first()
    return ApplicantConsultations(
        consultant=assignment.consultant if assignment else None,
        sessions=list(ConsultationSession.objects.filter(application=application)),
        comments=list(
            PlanComment.objects.filter(version__plan__application=application, to_applicant=True)
            .select_related("version", "author")
            .order_by("-created_at", "-pk")
        ),
    )


def consultants_of(application_ids) -> dict[int, Any]:
    """The consultant assigned to each application, by application id, in one query."""
    return {
        assignment.application_id: assignment.consultant
        for assignment in ConsultantAssignment.objects.filter(application_id__in=list(application_ids)).select_related(
            "consultant"
        )
    }
