"""Every write about consultations: assigning consultants, logging sessions, commenting on a plan."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from applications.exceptions import ActorNotAllowed
from applications.models import Application
from plans.exceptions import PlanError
from plans.models import (
    ConsultantAssignment,
    ConsultationSession,
    PlanComment,
    PlanVersion,
)


def consultants_assign(*, applications: Iterable[Application], consultant, actor) -> int:
    """Assign (or reassign) a consultant to shortlisted applications; returns how many were assigned."""
    if not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only programme officers assign consultants."))
    if not has_role(consultant, Role.CONSULTANT):
        raise PlanError(_("%(person)s is not a consultant.") % {"person": consultant})
    count = 0
    for application in applications:
        ConsultantAssignment.objects.update_or_create(
            application=application,
            defaults={"consultant": consultant, "assigned_by": actor, "assigned_at": timezone.now()},
        )
        count += 1
    return count


def _ensure_consultant_of(application: Application, actor) -> None:
    assigned = ConsultantAssignment.objects.filter(application=application, consultant=actor).exists()
    if not assigned:
        raise ActorNotAllowed(_("You are not this applicant's consultant."))


def consultation_log(*, application: Application, consultant, **fields) -> ConsultationSession:
    _ensure_consultant_of(application, consultant)
    session = ConsultationSession(application=application, consultant=consultant, **fields)
    session.full_clean()
    session.save()
    return session


def plan_comment_add(*, version: PlanVersion, author, body: str, section: str = "", to_applicant: bool = True):
    application = version.plan.application
    if not has_role(author, Role.PROGRAMME_OFFICER):
        _ensure_consultant_of(application, author)
    return PlanComment.objects.create(
        version=version, author=author, body=body, section=section, to_applicant=to_applicant
    )
