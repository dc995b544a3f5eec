"""Every write to monitoring schedules and reports, and the reminders.

**Schedule.** When the first signed handover act is stored (procurement.signals.equipment_handed_over),
the grant's schedule is copied from its call: reports due the call's `monitoring_months` after the
handover (6 and 12 by default) and the retention period (`Call.equipment_retention_months`, 24 by default).

**Reports.** The participant writes a due report over several visits (each save is a draft) and submits
it complete; an officer accepts it or returns it with a note. Accepting a report that says the equipment
is no longer in use within the retention period opens a retention case. When the last report of the
schedule is accepted, the application is closed through applications.services.application_move.
`report_move` is the only code that assigns `MonitoringReport.status`; each move writes a
`ReportStatusChange`.

**Reminders** (Celery beat, daily): a week before the due date, on it, and two weeks after, each at most
once per report (a `ReportReminder` row, unique per report and kind, written before its email is queued
after commit), in the participant's language.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ALLOWED_MOVES, ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.services import application_move
from grants.models import Grant
from procurement.access import actor_may

from .enums import (
    REPORT_ACTORS,
    REPORT_EDITABLE,
    REPORT_MOVES,
    AgeBand,
    CaseSource,
    JobGender,
    ReminderKind,
    ReportStatus,
    RevenueBand,
)
from .exceptions import MonitoringError
from .field.services import case_open
from .models import (
    JobsCreated,
    MonitoringReport,
    MonitoringSchedule,
    ReportPhoto,
    ReportReminder,
    ReportStatusChange,
)
from .photos import photo_clean
from .schedule import add_months, due_dates

MAX_PHOTOS = 6
REPORT_FIELDS = ("business_operating", "equipment_in_use", "equipment_note", "revenue_band", "revenue_uah", "story")


@transaction.atomic
def schedule_create(*, grant: Grant, handed_over_on: date) -> MonitoringSchedule:
    """The grant's schedule and its due reports, copied from the call; what exists is kept."""
    existing = MonitoringSchedule.objects.filter(grant=grant).first()
    if existing is not None:
        return existing
    call = grant.call
    schedule = MonitoringSchedule.objects.create(
        grant=grant,
        handed_over_on=handed_over_on,
        report_months=list(call.monitoring_months),
        retention_months=call.equipment_retention_months,
        retention_until=add_months(handed_over_on, call.equipment_retention_months),
    )
    MonitoringReport.objects.bulk_create(
        MonitoringReport(grant=grant, months_after=months, due_on=due_on)
        for months, due_on in due_dates(handed_over_on, list(call.monitoring_months))
    )
    return schedule


def schedule_on_handover(sender, act, **kwargs) -> None:
    """Receiver of procurement.signals.equipment_handed_over."""
    schedule_create(grant=act.grant, handed_over_on=act.handed_over_on)


@transaction.atomic
def report_move(report: MonitoringReport, to: str, *, actor, note: str = "") -> ReportStatusChange:
    """Move a report. The only code that assigns `MonitoringReport.status`."""
    report = (
        MonitoringReport.objects.select_for_update(of=("self",)).select_related("grant__application").get(pk=report.pk)
    )
    if to not in REPORT_MOVES[report.status]:
        raise MonitoringError(
            _("A report that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ReportStatus(report.status).label, "to": ReportStatus(to).label}
        )
    if not actor_may(actor, owner_id=report.grant.application.applicant_id, allowed=REPORT_ACTORS.get(to, frozenset())):
        raise ActorNotAllowed(_("You may not make this change."))
    change = ReportStatusChange.objects.create(
        report=report, from_status=report.status, to_status=to, actor=actor, note=note
    )
    report.status = to
    report.save(update_fields=["status", "updated_at"])
    return change


def _ensure_author(report: MonitoringReport, actor) -> MonitoringReport:
    report = (
        MonitoringReport.objects.select_for_update(of=("self",)).select_related("grant__application").get(pk=report.pk)
    )
    if actor.pk != report.grant.application.applicant_id:
        raise ActorNotAllowed(_("Only the participant writes their monitoring report."))
    if report.status not in REPORT_EDITABLE:
        raise MonitoringError(_("This report has been submitted and can no longer be changed."))
    return report


def _jobs_replace(report: MonitoringReport, jobs: dict[tuple[str, str], int]) -> None:
    for (gender, band), count in jobs.items():
        if gender not in JobGender.values or band not in AgeBand.values:
            raise MonitoringError(_("Jobs are counted for women and men in three age bands."))
        if count is None or count < 0:
            raise MonitoringError(_("The number of jobs cannot be negative."))
    report.jobs.all().delete()
    JobsCreated.objects.bulk_create(
        JobsCreated(report=report, gender=gender, age_band=band, count=count)
        for (gender, band), count in sorted(jobs.items())
        if count
    )


@transaction.atomic
def report_save(
    *, report: MonitoringReport, actor, fields: dict, jobs: dict[tuple[str, str], int] | None = None
) -> MonitoringReport:
    """Save what the participant has written so far: a draft, nothing is checked for completeness."""
    report = _ensure_author(report, actor)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not a report field: {sorted(unknown)}")
    if fields.get("revenue_band") not in (None, "", *RevenueBand.values):
        raise MonitoringError(_("Choose a revenue band from the list."))
    for name, value in fields.items():
        setattr(report, name, value if value is not None or name not in ("equipment_note", "story") else "")
    report.draft_saved_at = timezone.now()
    report.save(update_fields=[*fields, "draft_saved_at", "updated_at"])
    if jobs is not None:
        _jobs_replace(report, jobs)
    return report


def report_missing(report: MonitoringReport) -> list[str]:
    """What a report still needs before it can be submitted, in words."""
    missing = []
    if report.business_operating is None:
        missing.append(_("whether the business is operating"))
    if report.equipment_in_use is None:
        missing.append(_("whether the equipment is in the business and in use"))
    if not report.revenue_band:
        missing.append(_("the revenue band"))
    if report.equipment_in_use is False and not report.equipment_note.strip():
        missing.append(_("what happened to the equipment"))
    return missing


@transaction.atomic
def report_submit(*, report: MonitoringReport, actor) -> MonitoringReport:
    report = _ensure_author(report, actor)
    missing = report_missing(report)
    if missing:
        raise MonitoringError(_("Please answer first: %(missing)s.") % {"missing": "; ".join(missing)})
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    report_move(report, ReportStatus.SUBMITTED, actor=actor)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_photo_add(*, report: MonitoringReport, actor, upload) -> ReportPhoto:
    report = _ensure_author(report, actor)
    if report.photos.count() >= MAX_PHOTOS:
        raise MonitoringError(_("A report holds at most %(count)s photos.") % {"count": MAX_PHOTOS})
    try:
        content, content_type = photo_clean(upload)
    except ValidationError as error:
        raise MonitoringError(" ".join(error.messages)) from error
    photo = ReportPhoto(report=report, content_type=content_type)
    photo.file.save(content.name, content, save=False)
    photo.save()
    return photo


@transaction.atomic
def report_photo_remove(*, photo: ReportPhoto, actor) -> None:
    _ensure_author(photo.report, actor)
    photo.file.delete(save=False)
    photo.delete()


def _reviewed(report: MonitoringReport, actor, note: str) -> None:
    MonitoringReport.objects.filter(pk=report.pk).update(
        reviewed_by=actor, reviewed_at=timezone.now(), review_note=note.strip()
    )


@transaction.atomic
def report_return(*, report: MonitoringReport, actor, note: str) -> MonitoringReport:
    if not note.strip():
        raise MonitoringError(_("Tell the participant what to correct."))
    report_move(report, ReportStatus.RETURNED, actor=actor, note=note.strip())
    _reviewed(report, actor, note)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_accept(*, report: MonitoringReport, actor, note: str = "") -> MonitoringReport:
    """Accept a report; a report saying the equipment left use within the retention period opens a case,
    and the last report of the schedule closes the application."""
    report_move(report, ReportStatus.ACCEPTED, actor=actor, note=note)
    _reviewed(report, actor, note)
    report = MonitoringReport.objects.select_related("grant__application", "grant__monitoring_schedule").get(
        pk=report.pk
    )
    grant = report.grant
    if report.equipment_in_use is False and report.due_on <= grant.monitoring_schedule.retention_until:
        case_open(
            grant=grant,
            actor=actor,
            source=CaseSource.REPORT,
            report=report,
            reason_code="report_equipment_unused",
            reason_params={"months": str(report.months_after), "note": report.equipment_note},
        )
    application = grant.application
    if (
        not grant.monitoring_reports.exclude(status=ReportStatus.ACCEPTED).exists()
        and ApplicationStatus.CLOSED in ALLOWED_MOVES[application.status]
    ):
        application_move(
            application,
            ApplicationStatus.CLOSED,
            actor=actor,
            note_code="last_report_accepted",
        )
    return report


def _reminder_window(kind: str, today: date) -> tuple[date, date | None]:
    """The due dates (from, to; None: no limit) that a reminder of this kind is for, today.

    A week before: due within the coming week. On the day: due today or in the past week (a day the beat
    missed is caught up). Overdue: due two weeks ago or earlier."""
    if kind == ReminderKind.UPCOMING:
        return today + timedelta(days=1), today + timedelta(days=7)
    if kind == ReminderKind.DUE:
        return today - timedelta(days=7), today
    return date.min, today - timedelta(days=14)


def reminders_create(*, today: date) -> list[int]:
    """Write the reminders due today, each at most once per report and kind; returns the new reminders'
    ids, for their emails to be queued after commit. Running twice writes nothing the second time."""
    created = []
    for kind in ReminderKind.values:
        start, end = _reminder_window(kind, today)
        reports = (
            MonitoringReport.objects.filter(status__in=REPORT_EDITABLE, due_on__gte=start, due_on__lte=end)
            .exclude(reminders__kind=kind)
            .order_by("pk")
        )
        for report in reports:
            try:
                with transaction.atomic():
                    created.append(ReportReminder.objects.create(report=report, kind=kind).pk)
            except IntegrityError:  # another run wrote it first
                continue
    return created
