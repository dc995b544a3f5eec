"""Reads of the programme staff's pages: calls with their counts and the screening queue."""

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


def screening_queue(call: Call) -> QuerySet[Application]:
    return Application.objects.submitted().filter(call=call).select_related("applicant")
