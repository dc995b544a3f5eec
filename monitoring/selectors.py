"""Reads that monitoring's pages share, and the figures the reports app reads.

`story_consented(application)` says whether a participant's photos and story may be used beyond the
programme's own monitoring (reports, publications). `plan_vs_actual` puts the frozen plan's jobs and
12-month revenue beside what the accepted reports say, per grant; `plan_vs_actual_totals` adds them up.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from applications.models import Consent
from grants.models import Grant

from .enums import REVENUE_BAND_BOUNDS, STORY_CONSENT_PURPOSE, AgeBand, JobGender, ReportStatus, RevenueBand
from .models import JobsCreated, MonitoringReport

ZERO = Decimal("0.00")


def story_consented(application) -> bool:
    """True when the participant has an active consent, for this application, to a notice for the purpose
    of using their photos and story (`STORY_CONSENT_PURPOSE`); withdrawing it makes this False again.
    No notice for that purpose is published yet, so today this is False for everyone: stories and photos
    stay inside monitoring until participants agree to more."""
    return Consent.objects.filter(
        application=application, withdrawn_at__isnull=True, notice__purpose=STORY_CONSENT_PURPOSE
    ).exists()


def revenue_band_of(amount: Decimal | None) -> str:
    """The band an amount in UAH falls in ("" for none): 0 is "no revenue", bounds are lower-inclusive."""
    if amount is None:
        return ""
    if amount <= 0:
        return RevenueBand.NONE
    for band, low, high in REVENUE_BAND_BOUNDS[1:]:
        if amount >= low and (high is None or amount < high):
            return band
    return RevenueBand.OVER_5M


def planned_revenue(projection: list, months: int) -> Decimal:
    """Revenue the plan projected (UAH) over its first `months` months (at most the 12 it has)."""
    total = ZERO
    for month in projection[: min(months, 12)]:
        try:
            total += Decimal(month.get("revenue") or "0")
        except (ArithmeticError, AttributeError, TypeError, ValueError):
            continue
    return total


@dataclass
class PlanVersusActual:
    """One grant: what the frozen plan said beside what its latest accepted report says."""

    grant: Grant
    jobs_planned: int
    jobs_women_planned: int
    jobs_youth_planned: int
    jobs_reported: int | None = None
    jobs_women_reported: int | None = None
    jobs_youth_reported: int | None = None
    months: int | None = None
    revenue_planned_uah: Decimal | None = None
    revenue_planned_band: str = ""
    revenue_reported_band: str = ""
    business_operating: bool | None = None
    jobs_by_cell: dict = field(default_factory=dict)

    @property
    def revenue_planned_band_label(self) -> str:
        return RevenueBand(self.revenue_planned_band).label if self.revenue_planned_band else ""

    @property
    def revenue_reported_band_label(self) -> str:
        return RevenueBand(self.revenue_reported_band).label if self.revenue_reported_band else ""


def plan_vs_actual(grants) -> list[PlanVersusActual]:
    """For these grants (a queryset), the plan's figures and the latest accepted report's, in three queries."""
    accepted = MonitoringReport.objects.filter(status=ReportStatus.ACCEPTED).order_by("-months_after")
    grants = grants.select_related("plan_version", "application").prefetch_related(
        Prefetch("monitoring_reports", queryset=accepted.prefetch_related("jobs"), to_attr="accepted_reports")
    )
    rows = []
    for grant in grants:
        version = grant.plan_version
        row = PlanVersusActual(
            grant=grant,
            jobs_planned=version.jobs_total or 0,
            jobs_women_planned=version.jobs_women or 0,
            jobs_youth_planned=version.jobs_youth or 0,
        )
        if grant.accepted_reports:
            report = grant.accepted_reports[0]
            cells = {(job.gender, job.age_band): job.count for job in report.jobs.all()}
            row.jobs_by_cell = cells
            row.jobs_reported = sum(cells.values())
            row.jobs_women_reported = sum(n for (gender, _), n in cells.items() if gender == JobGender.WOMEN)
            row.jobs_youth_reported = sum(n for (_, band), n in cells.items() if band == AgeBand.UNDER_35)
            row.months = report.months_after
            row.revenue_planned_uah = planned_revenue(version.projection or [], report.months_after)
            row.revenue_planned_band = revenue_band_of(row.revenue_planned_uah)
            row.revenue_reported_band = report.revenue_band
            row.business_operating = report.business_operating
        rows.append(row)
    return rows


@dataclass(frozen=True)
class PlanVersusActualTotals:
    grants: int
    reporting: int
    operating: int
    jobs_planned: int
    jobs_reported: int
    jobs_planned_of_reporting: int
    jobs_by_cell: dict


def plan_vs_actual_totals(rows: list[PlanVersusActual]) -> PlanVersusActualTotals:
    reporting = [row for row in rows if row.jobs_reported is not None]
    cells: dict = {}
    for row in reporting:
        for key, count in row.jobs_by_cell.items():
            cells[key] = cells.get(key, 0) + count
    return PlanVersusActualTotals(
        grants=len(rows),
        reporting=len(reporting),
        operating=sum(1 for row in reporting if row.business_operating),
        jobs_planned=sum(row.jobs_planned for row in rows),
        jobs_reported=sum(row.jobs_reported for row in reporting),
        jobs_planned_of_reporting=sum(row.jobs_planned for row in reporting),
        jobs_by_cell=cells,
    )


def jobs_created_totals(reports) -> dict[tuple[str, str], int]:
    """Jobs by (gender, age band) summed in the database over these reports (a queryset)."""
    rows = (
        JobsCreated.objects.filter(report__in=reports)
        .values("gender", "age_band")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return {(row["gender"], row["age_band"]): row["total"] for row in rows}


def reports_awaiting_review():
    return MonitoringReport.objects.filter(Q(status=ReportStatus.SUBMITTED))


def reports_for_staff(*, call=None, status: str = "", overdue: bool = False, today=None):
    """The staff list of reports, newest due first, with what each row shows joined in."""
    reports = MonitoringReport.objects.select_related("grant__application", "grant__call").order_by("due_on", "pk")
    if call is not None:
        reports = reports.filter(grant__call=call)
    if status:
        reports = reports.filter(status=status)
    if overdue and today is not None:
        reports = reports.filter(status__in=[ReportStatus.DUE, ReportStatus.RETURNED], due_on__lt=today)
    return reports


def reports_of_participant(user):
    return (
        MonitoringReport.objects.filter(grant__application__applicant=user)
        .select_related("grant__call")
        .order_by("due_on", "pk")
    )


def report_for_staff(report_id: int) -> MonitoringReport:
    return get_object_or_404(
        MonitoringReport.objects.select_related(
            "grant__application", "grant__call", "grant__plan_version", "grant__monitoring_schedule", "submitted_by"
        ).prefetch_related("jobs", "photos"),
        pk=report_id,
    )


def report_of_participant(user, report_id: int) -> MonitoringReport:
    """The report, if it is this user's own; 404 for anyone else's id."""
    return get_object_or_404(
        MonitoringReport.objects.select_related(
            "grant__application", "grant__call", "grant__monitoring_schedule"
        ).prefetch_related("jobs", "photos"),
        pk=report_id,
        grant__application__applicant=user,
    )
