"""A small programme whose every figure is computed by hand below, built through the services.

Call A (the 2021 individual call), seven submitted applications and one draft:

| app | oblast | gender | age | sector | journey | grant | own | jobs planned (w, y) |
|-|-|-|-|-|-|-|-|-|
| a1 | Lviv | female | 30 | agriculture | recommended, approved, delivered, closed | 3000 | 3500 | 3 (2, 1) |
| a2 | Lviv | female | 22 | services | recommended, approved, delivered | 2500 | 2500 | 2 (1, 1) |
| a3 | Lviv | male | 40 | agriculture | recommended, approved | 4000 | 5000 | 4 (2, 0) |
| a4 | Odesa | male | 50 | industry | waitlisted, approved | 1500 | 1500 | 1 (0, 0) |
| a5 | Lviv | female | 60 | services | waitlisted, declined |  |  |  |
| a6 | Odesa | female | 30 | construction | rejected at screening |  |  |  |
| a7 | Lviv | undisclosed | 45 | agriculture | withdrawn after submitting |  |  |  |

Funnel: submitted 7, shortlisted 5, plan 5, defended 5, recommended 4, approved 4, delivered 2, closed 1.
Committed 11,000; delivered 2,950 (a1, actual cost) + 2,500 (a2, approved) = 5,450; own declared 12,500;
verified 3,500 + 2,500 = 6,000 on matched grants of 2,950 + 2,500 = 5,450.
Jobs created (latest accepted reports): a1's 12-month report 4 (women under 35: 2, women 55+: 1, men 35-54: 1),
a2's 6-month report 2 (men under 35); a2's 12-month report is submitted, not accepted, and does not count.
a1 has the priority groups idp and returned_migrant, a2 returned_migrant, a3 veteran. a7 withdrew the
consent to donor reporting.

Call B: one application from Kyiv city, rejected.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from applications import services
from applications.enums import ApplicationStatus, Gender, Region, RejectionReason, Sector
from applications.models import Application, Call, ConsentPurpose
from applications.staff import services as screening
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason
from monitoring.enums import AgeBand, ReportStatus
from monitoring.models import JobsCreated, MonitoringReport
from plans.enums import VersionStatus
from procurement.enums import ItemStatus
from procurement.models import ContributionMatch, ProcurementItem
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ContributionLineFactory,
    EquipmentLineFactory,
    PlanVersionFactory,
    UserFactory,
    declare_priority_groups,
)

S = ApplicationStatus
D = Decimal


@dataclass
class Programme:
    call_a: Call
    call_b: Call
    officer: object
    approver: object
    apps: dict[str, Application] = field(default_factory=dict)


def born(years: int) -> date:
    return date(timezone.localdate().year - years, 1, 1)


def submit(call, *, name: str, region, gender, age: int, sector, groups=()) -> Application:
    applicant = UserFactory(first_name=name, last_name="Тестенко")
    application = ApplicationFactory(
        call=call,
        applicant=applicant,
        complete=True,
        region=region,
        gender=gender,
        date_of_birth=born(age),
        sector=sector,
        phone=f"+380 67 {len(name):03d} 12 34",
    )
    declare_priority_groups(application, *groups)
    return services.application_submit(application=application, actor=applicant)


def plan(application, *, grant: str, own: str, jobs: tuple[int, int, int]) -> None:
    """A submitted plan version with the frozen figures the grant is approved on (USD throughout)."""
    today = timezone.localdate()
    total, women, youth = jobs
    version = PlanVersionFactory(
        plan__application=application,
        status=VersionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        rates_date=today,
        equipment_usd=D(grant),
        own_cash_usd=D(own),
        own_in_kind_usd=D("0.00"),
        own_counted_usd=D(own),
        grant_usd=D(grant),
        match_ratio=D("1.00"),
        cap_usd=D("4000.00"),
        jobs_total=total,
        jobs_women=women,
        jobs_youth=youth,
    )
    EquipmentLineFactory(version=version, unit_price=D(grant), usd_per_unit=D("1"), rate_date=today, total_usd=D(grant))
    ContributionLineFactory(version=version, amount=D(own), usd_per_unit=D("1"), rate_date=today, amount_usd=D(own))


def through(application, steps, actor) -> None:
    for step in steps:
        services.application_move(application, step, actor=actor)


def hand_over(application, *, approved: str, actual: str | None, verified: str) -> None:
    grant = application.grant
    cost = D(actual) if actual else None
    ProcurementItem.objects.create(
        grant=grant,
        line_number=1,
        item="Сироварня",
        approved_usd=D(approved),
        status=ItemStatus.HANDED_OVER,
        supplier="ТОВ «Агромаш»",
        purchase_order_number=f"PO-{grant.pk}",
        handed_over_on=timezone.localdate(),
        serial_numbers=[f"SN-{grant.pk}-1"],
        actual_amount=cost,
        actual_currency="USD" if cost else "",
        actual_usd_per_unit=D("1") if cost else None,
        actual_rate_date=timezone.localdate() if cost else None,
        actual_usd=cost,
        variance_usd=cost - D(approved) if cost else None,
    )
    matched = cost or D(approved)
    ContributionMatch.objects.create(
        grant=grant,
        cash_verified_usd=D(verified),
        counted_usd=D(verified),
        equipment_usd=matched,
        match_ratio=D("1.00"),
        cap_usd=D("4000.00"),
        grant_usd=matched,
        shortfall_usd=D("0.00"),
        lines_total=1,
        lines_verified=1,
    )


def report(application, *, months: int, status: str, jobs: dict[tuple[str, str], int], story: str = "") -> None:
    row = MonitoringReport.objects.create(
        grant=application.grant,
        months_after=months,
        due_on=timezone.localdate() + timedelta(days=30 * months),
        status=status,
        business_operating=True,
        equipment_in_use=True,
        revenue_band="under_100k",
        story=story,
        submitted_at=timezone.now(),
    )
    for (gender, band), count in jobs.items():
        JobsCreated.objects.create(report=row, gender=gender, age_band=band, count=count)


def build() -> Programme:
    officer = UserFactory(role=Role.PROGRAMME_OFFICER, first_name="Оксана", last_name="Коваль")
    approver = UserFactory(role=Role.APPROVER, first_name="Андрій", last_name="Мельник")
    call_a = CallFactory(title_en="Call A", title_uk="Конкурс А", cycle_year=2021)
    call_b = CallFactory(title_en="Call B", title_uk="Конкурс Б", cycle_year=2022)
    programme = Programme(call_a=call_a, call_b=call_b, officer=officer, approver=approver)
    people = {
        "a1": ("Ганна", Region.LVIV, Gender.FEMALE, 30, Sector.AGRICULTURE, ("idp", "returned_migrant")),
        "a2": ("Богдана", Region.LVIV, Gender.FEMALE, 22, Sector.SERVICES, ("returned_migrant",)),
        "a3": ("Петро", Region.LVIV, Gender.MALE, 40, Sector.AGRICULTURE, ("veteran",)),
        "a4": ("Остап", Region.ODESA, Gender.MALE, 50, Sector.INDUSTRY, ()),
        "a5": ("Віра", Region.LVIV, Gender.FEMALE, 60, Sector.SERVICES, ()),
        "a6": ("Ліна", Region.ODESA, Gender.FEMALE, 30, Sector.CONSTRUCTION, ()),
        "a7": ("Марко", Region.LVIV, Gender.UNDISCLOSED, 45, Sector.AGRICULTURE, ()),
    }
    apps = programme.apps
    for key, (name, region, gender, age, sector, groups) in people.items():
        apps[key] = submit(call_a, name=name, region=region, gender=gender, age=age, sector=sector, groups=groups)
    ApplicationFactory(call=call_a, complete=True, region=Region.LVIV)  # a draft: counted nowhere
    apps["b1"] = submit(
        call_b, name="Карина", region=Region.KYIV_CITY, gender=Gender.FEMALE, age=33, sector=Sector.SERVICES
    )
    screening.application_reject(application=apps["b1"], actor=officer, reason=RejectionReason.SECTOR)
    screening.application_reject(application=apps["a6"], actor=officer, reason=RejectionReason.REGION)
    services.application_withdraw(application=apps["a7"], actor=apps["a7"].applicant)
    apps["a7"].consents.filter(notice__purpose=ConsentPurpose.DONOR_REPORTING).update(withdrawn_at=timezone.now())

    figures = {
        "a1": ("3000.00", "3500.00", (3, 2, 1)),
        "a2": ("2500.00", "2500.00", (2, 1, 1)),
        "a3": ("4000.00", "5000.00", (4, 2, 0)),
        "a4": ("1500.00", "1500.00", (1, 0, 0)),
        "a5": ("2000.00", "2000.00", (1, 1, 0)),
    }
    for key, (grant, own, jobs) in figures.items():
        application = apps[key]
        screening.application_shortlist(application=application, actor=officer)
        through(application, [S.PLAN_SUBMITTED], officer)
        plan(application, grant=grant, own=own, jobs=jobs)
        through(application, [S.INVITED_TO_DEFENSE, S.DEFENDED], officer)
    for key in ("a1", "a2", "a3"):
        through(apps[key], [S.RECOMMENDED], officer)
    through(apps["a4"], [S.WAITLISTED], officer)
    through(apps["a5"], [S.WAITLISTED], officer)
    grant_decline(application=apps["a5"], actor=approver, reason=DeclineReason.SCORE)
    for key in ("a1", "a2", "a3", "a4"):
        grant_approve(application=apps[key], actor=approver)
        apps[key].refresh_from_db()
    for key in ("a1", "a2"):
        through(apps[key], [S.AWARDED], approver)
    hand_over(apps["a1"], approved="3000.00", actual="2950.00", verified="3500.00")
    hand_over(apps["a2"], approved="2500.00", actual=None, verified="2500.00")
    for key in ("a1", "a2"):
        through(apps[key], [S.EQUIPMENT_DELIVERED], officer)
    F, M = Gender.FEMALE, Gender.MALE
    first = {(F, AgeBand.UNDER_35): 1, (M, AgeBand.FROM_35_TO_54): 1}
    report(apps["a1"], months=6, status=ReportStatus.ACCEPTED, jobs=first)
    report(
        apps["a1"],
        months=12,
        status=ReportStatus.ACCEPTED,
        jobs={(F, AgeBand.UNDER_35): 2, (F, AgeBand.FROM_55): 1, (M, AgeBand.FROM_35_TO_54): 1},
        story="Ганна Тестенко з Жовкви тепер варить сир для трьох кав'ярень.",
    )
    report(apps["a2"], months=6, status=ReportStatus.ACCEPTED, jobs={(M, AgeBand.UNDER_35): 2})
    report(apps["a2"], months=12, status=ReportStatus.SUBMITTED, jobs={(F, AgeBand.UNDER_35): 5})
    through(apps["a1"], [S.CLOSED], officer)
    for application in apps.values():
        application.refresh_from_db()
    return programme
