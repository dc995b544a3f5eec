"""Reads of field verification and retention cases that the pages share."""

from django.db.models import Count, Prefetch
from django.http import Http404

from grants.models import Grant

from ..models import FieldVisit, MonitoringReport, RetentionCase, SampleMember, VerificationSample


def grant_for_monitoring(grant_id: int) -> Grant:
    """A handed-over grant with its schedule, reports, visits and cases; 404 for any other id."""
    grant = (
        Grant.objects.select_related("application", "call", "monitoring_schedule", "plan_version")
        .prefetch_related(
            Prefetch("monitoring_reports", queryset=MonitoringReport.objects.order_by("months_after")),
            Prefetch(
                "field_visits",
                queryset=FieldVisit.objects.select_related("visited_by").prefetch_related("photos"),
            ),
            Prefetch("retention_cases", queryset=RetentionCase.objects.order_by("-opened_at")),
        )
        .filter(pk=grant_id, monitoring_schedule__isnull=False)
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def samples():
    return VerificationSample.objects.select_related("call", "drawn_by").annotate(n_visits=Count("visits"))


def sample_members(sample: VerificationSample):
    """The sampled grants in the order drawn, with whether this sample's visit to each happened."""
    members = list(SampleMember.objects.filter(sample=sample).select_related("grant__application").order_by("position"))
    visited = {visit.grant_id: visit for visit in FieldVisit.objects.filter(sample=sample).order_by("visited_on", "pk")}
    for member in members:
        member.visit = visited.get(member.grant_id)
    return members


def cases(*, status: str = ""):
    queryset = RetentionCase.objects.select_related("grant__application", "grant__call", "opened_by", "decided_by")
    return queryset.filter(status=status) if status else queryset
