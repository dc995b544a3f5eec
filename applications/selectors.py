"""Reads shared by views; each does its own joins so list pages run a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applications.models import PriorityGroup

from .enums import ApplicationStatus
from .models import Application, ApplicationStatusChange, Call, ConsentNotice, Message


def calls_public() -> QuerySet[Call]:
    return (
        Call.objects.visible_at(timezone.now())
        .select_related("programme")
        .prefetch_related("priority_groups")
        .order_by("closes_at")
    )


def consent_notices_current() -> list[ConsentNotice]:
    """The newest published version of each purpose's notice."""
    latest: dict[str, ConsentNotice] = {}
    for notice in ConsentNotice.objects.filter(published_at__lte=timezone.now()).order_by("purpose", "-published_at"):
        latest.setdefault(notice.purpose, notice)
    return list(latest.values())


def consent_notices_missing(application: Application) -> list[ConsentNotice]:
    agreed = set(application.consents.filter(withdrawn_at__isnull=True).values_list("notice_id", flat=True))
    return [notice for notice in consent_notices_current() if notice.required and notice.pk not in agreed]


def applications_of_applicant(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("call", "call__programme")
        .annotate(n_unread=Count("messages", filter=Q(messages__read_at__isnull=True)))
        .order_by("-created_at")
    )


def application_of_applicant(user, pk: int) -> Application:
    """The applicant's own application; anyone else's id is a 404, never a hint that it exists."""
    return get_object_or_404(Application.objects.select_related("call"), pk=pk, applicant=user)


def application_detail(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("call", "call__programme", "applicant", "screened_by").prefetch_related(
            "equipment",
            Prefetch("status_changes", queryset=ApplicationStatusChange.objects.select_related("actor")),
            Prefetch("messages", queryset=Message.objects.select_related("sender")),
            "consents__notice",
        ),
        pk=pk,
    )


def attach_priority_groups(applications, groups: list[PriorityGroup] | None = None) -> None:
    """Give each application its `priority_group_list` (declared groups), with one query for them all
    (none when the caller has every group already)."""
    groups = list(PriorityGroup.objects.all()) if groups is None else groups
    for application in applications:
        application.priority_group_list = application.declared_priority_groups(groups)


@dataclass(frozen=True)
class ApplicantActions:
    """What the applicant may do from their application's page."""

    can_withdraw: bool
    has_plan: bool


def applicant_actions(user, application: Application) -> ApplicantActions:
    return ApplicantActions(
        can_withdraw=ApplicationStatus.WITHDRAWN in application.available_moves(user),
        has_plan=hasattr(application, "business_plan"),
    )
