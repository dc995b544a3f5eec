"""Reads of the programme staff's pages: calls with their counts and the screening queue."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from applications.enums import ApplicationStatus
from applications.models import Application, Call


def calls_for_staff() -> QuerySet[Call]:
    return (
        Call.objects.select_related("programme")
        .annotate(
            n_applications=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)),
            n_drafts=Count("applications", filter=Q(applications__status=ApplicationStatus.DRAFT)),
            n_to_screen=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)),
        )
        .order_by("-opens_at")
    )


# What a row of the queue shows, and nothing else: the idea's description alone is most of a row's width.
QUEUE_COLUMNS = (
    "pk", "call_id", "applicant_id", "status", "reference", "first_name", "last_name", "patronymic",
    "region", "sector", "priority_answers", "submitted_at",
)  # fmt: skip


def screening_queue(call: Call) -> QuerySet[Application]:
    """The call's submitted applications, with the queue's columns; the indexes on (call, order, pk) serve
    every order the queue offers (applications.models.Application.Meta.indexes)."""
    return Application.objects.submitted().filter(call=call).only(*QUEUE_COLUMNS)


@dataclass(frozen=True)
class ScreeningActions:
    """What a staff member may do on an application's screening page."""

    can_screen: bool
    can_shortlist: bool
    can_reject: bool
    has_plan: bool


def screening_actions(user, application: Application) -> ScreeningActions:
    moves = application.available_moves(user)
    return ScreeningActions(
        can_screen=user.has_perm("applications.screen"),
        can_shortlist=ApplicationStatus.SHORTLISTED in moves,
        can_reject=ApplicationStatus.REJECTED in moves,
        has_plan=hasattr(application, "business_plan"),
    )
