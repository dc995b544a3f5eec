"""What each export holds, full and pseudonymised, as (title, header, rows) sheets. Each runs a fixed
number of queries whatever its size.

**Pseudonymised** exports are for the donor: they hold only applications whose applicant agreed to
pseudonymised data in donor reports (a consent not withdrawn, purpose `donor_reporting`), and for them no
name, contact, birth date, address below the oblast, free text, reference or agreement number, supplier
or serial number, nor membership of a sensitive priority group (internally displaced, veteran, disability,
survivor: special-category data). Each application is known by its stable pseudonymous id
(reports.pseudonyms), the same in every export; dates are given as months and ages as bands.
**Full** exports are for programme staff and hold what their pages show.
A monitoring report's story is in either only where its author consented to stories being used
(`monitoring.enums.STORY_CONSENT_PURPOSE`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus, Gender, Region, Sector
from applications.models import Application, Call, Consent, ConsentPurpose, PriorityGroup
from grants.models import Grant
from monitoring.enums import STORY_CONSENT_PURPOSE, ReportStatus, RevenueBand
from monitoring.enums import AgeBand as JobAgeBand
from monitoring.models import JobsCreated, MonitoringReport
from procurement.enums import ItemStatus, OverrunStatus
from procurement.models import ProcurementItem

from .display import write
from .enums import AGE_BAND_FROM, AgeBand, ExportKind, ExportVariant
from .pseudonyms import pseudonym

Sheet = tuple[str, list[str], list[list]]


@dataclass(frozen=True)
class Export:
    sheets: list[Sheet]
    applications: list[int]

    @property
    def rows(self) -> int:
        return sum(len(rows) for _title, _header, rows in self.sheets)


def _consented(purpose: str) -> Exists:
    return Exists(
        Consent.objects.filter(application=OuterRef("pk"), notice__purpose=purpose, withdrawn_at__isnull=True)
    )


def _applications(calls: QuerySet[Call], variant: str) -> QuerySet[Application]:
    found = Application.objects.filter(call__in=calls, reference__isnull=False)
    if variant == ExportVariant.PSEUDONYMISED:
        found = found.filter(_consented(ConsentPurpose.DONOR_REPORTING))
    return found


def age_band(application: Application) -> str:
    """As the dashboard counts it (reports.selectors.age_band_of_applicant): the year of submission minus the
    year of birth."""
    if not application.birth_year or not application.submitted_at:
        return str(AgeBand.UNKNOWN.label)
    years = timezone.localtime(application.submitted_at).year - application.birth_year
    band = AgeBand.UNDER_25
    for candidate, lower in AGE_BAND_FROM:
        if years >= lower:
            band = candidate
    return str(band.label)


def naive(moment):
    """Kyiv time without the zone: spreadsheets refuse aware datetimes."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def month(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


def label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def _pid(application_id: int) -> str:
    return pseudonym(application_id, key=settings.REPORTS_PSEUDONYM_KEY)


def _groups(application: Application, groups: list[PriorityGroup], *, sensitive: bool) -> str:
    return "; ".join(
        group.localized("name")
        for group in application.declared_priority_groups(groups)
        if sensitive or not group.sensitive
    )


def _person(application: Application) -> list:
    return [
        application.reference,
        application.last_name,
        application.first_name,
        application.patronymic,
        application.date_of_birth,
        application.applicant.email if application.applicant else "",
        application.phone,
    ]


PERSON_HEADER = ["reference", "last name", "first name", "patronymic", "date of birth", "email", "phone"]


def applications_sheet(calls: QuerySet[Call], variant: str) -> Export:
    full = variant == ExportVariant.FULL
    found = (
        _applications(calls, variant)
        .select_related("call", "applicant", "grant")
        .order_by("call__opens_at", "reference")
    )
    header = ["pseudonymous id", "call", "cycle year", "status", "submitted", "oblast", "sector", "gender", "age band"]
    header += ["priority groups", "years abroad", "countries", "planned own contribution", "currency", "grant (USD)"]
    if full:
        header += PERSON_HEADER + ["hromada", "town or village", "business idea", "submitted at"]
    rows, ids = [], []
    groups = list(PriorityGroup.objects.order_by("position"))
    for application in found:
        grant = getattr(application, "grant", None)
        row = [
            _pid(application.pk),
            application.call.title,
            application.call.cycle_year,
            label(ApplicationStatus, application.status),
            month(application.submitted_at),
            label(Region, application.region),
            label(Sector, application.sector),
            label(Gender, application.gender),
            age_band(application),
            _groups(application, groups, sensitive=full),
            application.years_abroad,
            ", ".join(application.countries_abroad),
            application.own_contribution_amount,
            application.own_contribution_currency,
            grant.grant_usd if grant else None,
        ]
        if full:
            row += _person(application) + [
                application.hromada,
                application.settlement,
                application.idea_title,
                naive(application.submitted_at),
            ]
        rows.append(row)
        ids.append(application.pk)
    return Export([(_("Applications"), header, rows)], ids)


def _grants(calls: QuerySet[Call], variant: str) -> QuerySet[Grant]:
    applications = _applications(calls, variant).filter(status__in=GRANTED_STATUSES)
    return Grant.objects.filter(application__in=applications)


GRANTED_STATUSES = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.EQUIPMENT_DELIVERED,
    ApplicationStatus.CLOSED,
)


def grants_sheet(calls: QuerySet[Call], variant: str) -> Export:
    full = variant == ExportVariant.FULL
    found = (
        _grants(calls, variant)
        .select_related("call", "application", "application__applicant", "plan_version", "contribution_match")
        .prefetch_related(
            Prefetch("procurement_items", queryset=ProcurementItem.objects.filter(status=ItemStatus.HANDED_OVER))
        )
        .order_by("call__opens_at", "sequence")
    )
    header = ["pseudonymous id", "call", "status", "approved", "oblast", "sector", "gender", "age band"]
    header += ["grant (USD)", "equipment (USD)", "own money (USD)", "own in kind (USD)", "own verified (USD)"]
    header += ["delivered (USD)", "jobs planned", "for women", "for young people"]
    if full:
        header += ["agreement number", *PERSON_HEADER, "approved at"]
    rows, ids = [], []
    for grant in found:
        application = grant.application
        match = getattr(grant, "contribution_match", None)
        items = grant.procurement_items.all()
        delivered = sum((item.value_usd for item in items), Decimal("0.00")) if items else None
        version = grant.plan_version
        row = [
            _pid(application.pk),
            grant.call.title,
            label(ApplicationStatus, application.status),
            month(grant.approved_at),
            label(Region, application.region),
            label(Sector, application.sector),
            label(Gender, application.gender),
            age_band(application),
            grant.grant_usd,
            grant.equipment_usd,
            grant.own_cash_usd,
            grant.own_in_kind_usd,
            (match.cash_verified_usd + match.in_kind_verified_usd) if match and match.lines_verified else None,
            delivered,
            version.jobs_total,
            version.jobs_women,
            version.jobs_youth,
        ]
        if full:
            row += [
                grant.agreement_number,
                *_person(application),
                naive(grant.approved_at),
            ]
        rows.append(row)
        ids.append(application.pk)
    return Export([(_("Grants"), header, rows)], ids)


def procurement_sheet(calls: QuerySet[Call], variant: str) -> Export:
    full = variant == ExportVariant.FULL
    found = (
        ProcurementItem.objects.filter(grant__in=_grants(calls, variant))
        .select_related("grant", "grant__call", "grant__application", "grant__application__applicant")
        .order_by("grant__call__opens_at", "grant__sequence", "line_number")
    )
    header = ["pseudonymous id", "call", "line", "item", "quantity", "status", "approved (USD)", "actual (USD)"]
    header += ["variance (USD)", "overrun", "ordered", "delivered to the programme", "handed over"]
    if full:
        header += ["agreement number", *PERSON_HEADER, "supplier", "purchase order", "serial numbers"]
        header += ["actual cost", "currency", "USD per unit", "rate of", "ordered on", "handed over on"]
    rows, ids = [], []
    for item in found:
        application = item.grant.application
        row = [
            _pid(application.pk),
            item.grant.call.title,
            item.line_number,
            item.item,
            item.quantity,
            label(ItemStatus, item.status),
            item.approved_usd,
            item.actual_usd,
            item.variance_usd,
            label(OverrunStatus, item.overrun_status),
            month(item.ordered_on),
            month(item.delivered_on),
            month(item.handed_over_on),
        ]
        if full:
            row += [item.grant.agreement_number, *_person(application), item.supplier, item.purchase_order_number]
            row += ["; ".join(item.serial_numbers), item.actual_amount, item.actual_currency]
            row += [item.actual_usd_per_unit, item.actual_rate_date, item.ordered_on, item.handed_over_on]
        rows.append(row)
        ids.append(application.pk)
    return Export([(_("Procurement"), header, rows)], ids)


JOB_CELLS = [(gender, band) for gender in (Gender.FEMALE, Gender.MALE) for band, _label in JobAgeBand.choices]


def monitoring_sheet(calls: QuerySet[Call], variant: str) -> Export:
    full = variant == ExportVariant.FULL
    found = (
        MonitoringReport.objects.filter(grant__in=_grants(calls, variant))
        .exclude(status=ReportStatus.DUE)
        .annotate(story_consented=Exists(_story_consents()))
        .select_related("grant", "grant__call", "grant__application", "grant__application__applicant")
        .prefetch_related(Prefetch("jobs", queryset=JobsCreated.objects.order_by("pk")))
        .order_by("grant__call__opens_at", "grant__sequence", "months_after")
    )
    header = ["pseudonymous id", "call", "months after the handover", "due", "status", "business operating"]
    header += ["equipment in use", "revenue band", "jobs created"]
    header += [f"jobs: {label(Gender, gender)}, {label(JobAgeBand, band)}" for gender, band in JOB_CELLS]
    header += ["story (with consent)"]
    if full:
        header += [
            "agreement number",
            *PERSON_HEADER,
            "about the equipment",
            "revenue (UAH)",
            "note to the participant",
        ]
    rows, ids = [], []
    for report in found:
        application = report.grant.application
        cells = {(job.gender, job.age_band): job.count for job in report.jobs.all()}
        row = [
            _pid(application.pk),
            report.grant.call.title,
            report.months_after,
            month(report.due_on),
            label(ReportStatus, report.status),
            report.business_operating,
            report.equipment_in_use,
            label(RevenueBand, report.revenue_band),
            sum(cells.values()),
            *[cells.get(cell, 0) for cell in JOB_CELLS],
            report.story if report.story_consented else "",
        ]
        if full:
            row += [report.grant.agreement_number, *_person(application), report.equipment_note, report.revenue_uah]
            row += [report.review_note]
        rows.append(row)
        ids.append(application.pk)
    return Export([(_("Monitoring reports"), header, rows)], ids)


def _story_consents():
    return Consent.objects.filter(
        application=OuterRef("grant__application"), notice__purpose=STORY_CONSENT_PURPOSE, withdrawn_at__isnull=True
    )


BUILDERS: dict[str, Callable[[QuerySet[Call], str], Export]] = {
    ExportKind.APPLICATIONS: applications_sheet,
    ExportKind.GRANTS: grants_sheet,
    ExportKind.PROCUREMENT: procurement_sheet,
    ExportKind.MONITORING: monitoring_sheet,
}


def dashboard_sheets(board) -> Export:
    """The dashboard's tables as shown to the viewer, hidden figures included as written ("<5")."""
    sheets = []
    for table in board.tables():
        header = [_("Row"), *[column.label for column in table.columns]]
        rows = [[row.label, *[write(cell) for cell in cells]] for row, cells in table.lines()]
        if table.total:
            rows.append([table.total.label, *[write(cell) for cell in table.total_line()]])
        sheets.append((table.title, header, rows))
    return Export(sheets, [])


def long_form(sheets: list[Sheet]) -> tuple[list[str], list[list]]:
    """Several tables in one CSV: one line per figure (table, row, column, figure)."""
    rows = []
    for title, header, table_rows in sheets:
        for table_row in table_rows:
            for column, value in zip(header[1:], table_row[1:], strict=True):
                rows.append([title, table_row[0], column, value])
    return [_("Table"), _("Row"), _("Column"), _("Figure")], rows
