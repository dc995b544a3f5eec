"""The reports' reads: database aggregates only, a fixed number of queries whatever the number of calls,
applications or grants.

Who counts where:
- **applications**: those submitted (they have a reference), in the calls of the scope;
- **grants**: approved grants whose application has not been withdrawn (`grants.enums.GRANTED`);
- **committed**: the sum of those grants; **delivered**: the value of the equipment handed over
  (procurement items handed over, at their actual cost where recorded);
- **own contribution**: declared in the frozen plan the grant stands on (money and in kind), and verified
  by the officers (procurement's `ContributionMatch`);
- **jobs planned**: from the frozen plan versions of the grants; **jobs created**: from each grant's latest
  accepted monitoring report (reports count the jobs created since the handover, so the latest one holds
  them all).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from applications.enums import ApplicationStatus, Gender, Region, Sector
from applications.models import PRIORITY_INDEX, Application, ApplicationStatusChange, Call, PriorityGroup
from common.crypto import blind_indexes
from grants.enums import GRANTED
from grants.models import Grant
from monitoring.enums import AgeBand as JobAgeBand
from monitoring.enums import ReportStatus
from monitoring.models import JobsCreated, MonitoringReport
from procurement.enums import ItemStatus
from procurement.models import ContributionMatch, ProcurementItem

from . import funnel
from .enums import AGE_BAND_FROM, AgeBand, Dimension

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def calls_in_scope(call: Call | None) -> QuerySet[Call]:
    return Call.objects.filter(pk=call.pk) if call else Call.objects.all()


def submitted_applications(calls: QuerySet[Call]) -> QuerySet[Application]:
    return Application.objects.filter(call__in=calls, reference__isnull=False)


def granted(prefix: str = "") -> Q:
    return Q(**{f"{prefix}grant__isnull": False, f"{prefix}status__in": GRANTED})


def live_grants(calls: QuerySet[Call]) -> QuerySet[Grant]:
    return Grant.objects.filter(call__in=calls, application__status__in=GRANTED)


# --- The funnel -------------------------------------------------------------------------------------------


def funnel_counts(calls: QuerySet[Call]) -> dict[int, int]:
    """Applications that reached each stage (reports.funnel), in one query."""
    rank = Case(
        *[When(to_status=status, then=Value(int(stage))) for status, stage in funnel.STAGE_OF_STATUS.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    highest = (
        ApplicationStatusChange.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(highest=Max(rank))
        .values("highest")
    )
    delivered = ApplicationStatusChange.objects.filter(
        application=OuterRef("pk"), to_status=ApplicationStatus.EQUIPMENT_DELIVERED
    )
    groups = (
        Application.objects.filter(call__in=calls)
        .annotate(reached=Subquery(highest, output_field=IntegerField()), delivered=Exists(delivered))
        .order_by()
        .values_list("reached", "delivered")
        .annotate(n=Count("pk"))
    )
    return funnel.counts(groups)


# --- Breakdowns by oblast, sector, gender, age band and priority group ------------------------------------


@dataclass
class Breakdown:
    """Applications and grants per value of one dimension; `rows` keep the dimension's display order."""

    dimension: str
    rows: list[tuple[str, str]]
    applications: dict[str, int] = field(default_factory=dict)
    grants: dict[str, int] = field(default_factory=dict)
    grant_usd: dict[str, Decimal] = field(default_factory=dict)
    own_usd: dict[str, Decimal] = field(default_factory=dict)
    additive: bool = True


def age_band_of_applicant():
    """The age band in the year of submission, computed in the database, and the number it stands on: the
    year of submission minus the year of birth (kept in clear beside the encrypted date of birth, see
    Application.birth_year). Someone whose birthday falls later in the year counts one year older than
    they were on the day: a band edge moves by at most a year. Annotate the second as `age_key` first."""
    whens = [
        When(Q(birth_year__isnull=True) | Q(submitted_at__isnull=True), then=Value(AgeBand.UNKNOWN.value)),
    ]
    for band, years in reversed(AGE_BAND_FROM):
        whens.append(When(Q(age_key__gte=years), then=Value(band.value)))
    return Case(*whens, default=Value(AgeBand.UNDER_25.value)), ExtractYear("submitted_at") - F("birth_year")


UKRAINIAN_ORDER = {letter: index for index, letter in enumerate("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")}


def alphabetical(text: str) -> tuple[int, ...]:
    """A sort key that puts Ukrainian names in the order of the alphabet (Unicode puts І and Є apart)."""
    return tuple(UKRAINIAN_ORDER.get(letter, 100 + ord(letter)) for letter in text.lower())


def _dimension_rows(dimension: str, groups: list[PriorityGroup]) -> list[tuple[str, str]]:
    if dimension == Dimension.REGION:
        return sorted(((value, str(label)) for value, label in Region.choices), key=lambda row: alphabetical(row[1]))
    if dimension == Dimension.SECTOR:
        return [(value, str(label)) for value, label in Sector.choices]
    if dimension == Dimension.GENDER:
        return [(value, str(label)) for value, label in Gender.choices]
    if dimension == Dimension.AGE_BAND:
        return [(value, str(label)) for value, label in AgeBand.choices]
    return [(group.code, group.localized("name")) for group in groups]


NOT_STATED = ""


def breakdowns(calls: QuerySet[Call]) -> dict[str, Breakdown]:
    """Every dimension's breakdown: one query per dimension, plus one for the priority groups' names."""
    applications = submitted_applications(calls)
    measures = {
        "n_applications": Count("pk"),
        "n_grants": Count("pk", filter=granted()),
        "grant_usd": Sum("grant__grant_usd", filter=granted()),
        "own_usd": Sum(F("grant__own_cash_usd") + F("grant__own_in_kind_usd"), filter=granted()),
    }
    groups = list(PriorityGroup.objects.order_by("position", "code"))
    group_of_token = {token: group.code for group in groups for token in blind_indexes(PRIORITY_INDEX, group.code)}
    band, age_key = age_band_of_applicant()
    sources = {
        Dimension.REGION: applications.values_list("region"),
        Dimension.SECTOR: applications.values_list("sector"),
        Dimension.GENDER: applications.values_list("gender"),
        Dimension.AGE_BAND: applications.annotate(age_key=age_key, age_band=band).values_list("age_band"),
        # Declared groups are stored encrypted; their keyed blind indexes say which applications share one.
        Dimension.PRIORITY_GROUP: applications.filter(priority_index__isnull=False).values_list(
            "priority_index__token"
        ),
    }
    result = {}
    for dimension, source in sources.items():
        rows = _dimension_rows(dimension, groups)
        report = Breakdown(dimension=dimension, rows=rows, additive=dimension != Dimension.PRIORITY_GROUP)
        known = {key for key, _label in rows}
        for key, n_applications, n_grants, grant_usd, own_usd in (
            source.order_by()
            .annotate(**measures)
            .values_list(
                dimension if dimension != Dimension.PRIORITY_GROUP else "priority_index__token",
                "n_applications",
                "n_grants",
                "grant_usd",
                "own_usd",
            )
        ):
            if dimension == Dimension.PRIORITY_GROUP:
                key = group_of_token.get(key, NOT_STATED)
            key = key if key in known else NOT_STATED
            report.applications[key] = report.applications.get(key, 0) + n_applications
            report.grants[key] = report.grants.get(key, 0) + n_grants
            report.grant_usd[key] = report.grant_usd.get(key, ZERO) + (grant_usd or ZERO)
            report.own_usd[key] = report.own_usd.get(key, ZERO) + (own_usd or ZERO)
        if NOT_STATED in report.applications and dimension != Dimension.AGE_BAND:
            report.rows.append((NOT_STATED, ""))
        result[dimension] = report
    return result


# --- Budget, own contribution, delivery -------------------------------------------------------------------


@dataclass(frozen=True)
class CallMoney:
    call: Call
    envelope: Decimal
    n_grants: int
    committed: Decimal
    n_delivered: int
    delivered: Decimal
    own_declared: Decimal
    n_verified: int
    own_verified: Decimal
    grant_verified: Decimal


def _per_call(queryset: QuerySet, call_path: str, expression, zero):
    """`expression` over the rows of `queryset` of the outer call, `zero` where there are none."""
    output = IntegerField() if isinstance(zero, int) else MONEY
    total = Subquery(
        queryset.filter(**{call_path: OuterRef("pk")})
        .order_by()
        .values(call_path)
        .annotate(total=expression)
        .values("total"),
        output_field=output,
    )
    return Coalesce(total, Value(zero), output_field=output)


def money_by_call(calls: QuerySet[Call]) -> list[CallMoney]:
    """Per call, in one query: the envelope, what is committed, delivered and mobilised."""
    grants = Grant.objects.filter(application__status__in=GRANTED)
    handed_over = ProcurementItem.objects.filter(status=ItemStatus.HANDED_OVER, grant__application__status__in=GRANTED)
    matches = ContributionMatch.objects.filter(grant__application__status__in=GRANTED, lines_verified__gt=0)
    rows = (
        calls.order_by("-opens_at", "pk")
        .annotate(
            n_grants=_per_call(grants, "call", Count("pk"), 0),
            committed=_per_call(grants, "call", Sum("grant_usd"), ZERO),
            own_declared=_per_call(grants, "call", Sum(F("own_cash_usd") + F("own_in_kind_usd")), ZERO),
            n_delivered=_per_call(handed_over, "grant__call", Count("grant", distinct=True), 0),
            delivered=_per_call(handed_over, "grant__call", Sum(Coalesce("actual_usd", "approved_usd")), ZERO),
            n_verified=_per_call(matches, "grant__call", Count("pk"), 0),
            own_verified=_per_call(
                matches, "grant__call", Sum(F("cash_verified_usd") + F("in_kind_verified_usd")), ZERO
            ),
            grant_verified=_per_call(matches, "grant__call", Sum("grant_usd"), ZERO),
        )
        .select_related("programme")
    )
    return [
        CallMoney(
            call=call,
            envelope=call.budget_envelope,
            n_grants=call.n_grants,
            committed=call.committed,
            n_delivered=call.n_delivered,
            delivered=call.delivered,
            own_declared=call.own_declared,
            n_verified=call.n_verified,
            own_verified=call.own_verified,
            grant_verified=call.grant_verified,
        )
        for call in rows
    ]


# --- Jobs -------------------------------------------------------------------------------------------------


@dataclass
class Jobs:
    planned_total: int = 0
    planned_women: int = 0
    planned_youth: int = 0
    n_grants: int = 0
    n_reporting: int = 0
    created: dict[tuple[str, str], int] = field(default_factory=dict)

    def created_where(self, *, gender: str | None = None, age_band: str | None = None) -> int:
        return sum(
            count
            for (g, band), count in self.created.items()
            if (gender is None or g == gender) and (age_band is None or band == age_band)
        )


def jobs(calls: QuerySet[Call]) -> Jobs:
    """Jobs planned by the grants' frozen plans and created by their latest accepted reports: three queries."""
    grants = live_grants(calls)
    planned = grants.aggregate(
        total=Coalesce(Sum("plan_version__jobs_total"), 0),
        women=Coalesce(Sum("plan_version__jobs_women"), 0),
        youth=Coalesce(Sum("plan_version__jobs_youth"), 0),
        n_grants=Count("pk"),
    )
    latest = (
        MonitoringReport.objects.filter(grant=OuterRef("report__grant"), status=ReportStatus.ACCEPTED)
        .order_by("-months_after")
        .values("months_after")[:1]
    )
    created = (
        JobsCreated.objects.filter(
            report__grant__in=grants, report__status=ReportStatus.ACCEPTED, report__months_after=Subquery(latest)
        )
        .order_by()
        .values_list("gender", "age_band")
        .annotate(jobs=Sum("count"))
    )
    reporting = MonitoringReport.objects.filter(grant__in=grants, status=ReportStatus.ACCEPTED).aggregate(
        n=Count("grant", distinct=True)
    )
    result = Jobs(
        planned_total=planned["total"],
        planned_women=planned["women"],
        planned_youth=planned["youth"],
        n_grants=planned["n_grants"],
    )
    for gender, band, count in created:
        result.created[(gender, band)] = result.created.get((gender, band), 0) + count
    result.n_reporting = reporting["n"]
    return result


JOB_AGE_BANDS = list(JobAgeBand.choices)


def calls_for_filter() -> Iterable[Call]:
    return Call.objects.order_by("-opens_at").only("pk", "title_uk", "title_en", "cycle_year")
