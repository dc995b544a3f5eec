"""Retention: applications are anonymised once the call's retention period has passed since they ended,
and drafts nobody touched for settings.DRAFT_RETENTION_MONTHS are deleted.

An application *ends* when it reaches a final status (not shortlisted, declined, withdrawn, closed); the
moment of that move starts its call's `retention_months`. Applications still running (submitted to
awarded, equipment delivered: monitoring follows) are never anonymised by retention. Due means
`ended + retention_months <= now`, months counted on the calendar (31 January + 1 month = 28/29 February).
A Celery beat job runs this daily (applications.privacy.tasks.retention_sweep); `manage.py apply_retention
--dry-run` lists what would go without changing anything.
"""

import calendar
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from ..audit.actions import AccessAction
from ..enums import ApplicationStatus
from ..models import Application
from .anonymise import application_anonymise, draft_delete

S = ApplicationStatus
FINAL = (S.REJECTED, S.DECLINED, S.WITHDRAWN, S.CLOSED)


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


@dataclass
class RetentionReport:
    anonymised: list[tuple[Application, datetime]] = field(default_factory=list)
    drafts: list[Application] = field(default_factory=list)


def applications_past_retention(now: datetime) -> list[tuple[Application, datetime]]:
    """(application, the moment it became due), oldest first."""
    candidates = (
        Application.objects.filter(status__in=FINAL, anonymised_at__isnull=True)
        .select_related("call")
        .annotate(ended_at=Max("status_changes__created_at"))
        .order_by("ended_at", "pk")
    )
    due = []
    for application in candidates:
        ended = application.ended_at or application.updated_at
        due_at = add_months(ended, application.call.retention_months)
        if due_at <= now:
            due.append((application, due_at))
    return due


def drafts_abandoned(now: datetime):
    cutoff = add_months(now, -settings.DRAFT_RETENTION_MONTHS)
    return Application.objects.filter(status=S.DRAFT, updated_at__lte=cutoff).order_by("updated_at", "pk")


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    now = now or timezone.now()
    report = RetentionReport(anonymised=applications_past_retention(now), drafts=list(drafts_abandoned(now)))
    if dry_run:
        return report
    for application, _due in report.anonymised:
        application_anonymise(
            application=application,
            actor=None,
            action=AccessAction.ANONYMISED_RETENTION,
            reason=f"retention {application.call.retention_months} months",
        )
    for draft in report.drafts:
        draft_delete(
            application=draft, actor=None, reason=f"draft untouched for {settings.DRAFT_RETENTION_MONTHS} months"
        )
    return report
