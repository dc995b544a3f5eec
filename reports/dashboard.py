"""The dashboard of one call or of every call: the selectors' aggregates laid out as tables (reports.figures),
hidden where the donor may not see them. Programme staff see every figure."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import Gender
from applications.models import Call
from monitoring.enums import AgeBand as JobAgeBand

from . import selectors
from .enums import Dimension
from .figures import PERCENT, RATIO, USD, Column, FigureTable, Row, percent, ratio
from .funnel import Stage
from .suppression import TOTAL

ZERO = Decimal("0.00")

DIMENSION_TITLES = {
    Dimension.REGION: gettext_lazy("By oblast"),
    Dimension.SECTOR: gettext_lazy("By sector"),
    Dimension.GENDER: gettext_lazy("By gender"),
    Dimension.AGE_BAND: gettext_lazy("By age band on the day of submission"),
    Dimension.PRIORITY_GROUP: gettext_lazy("By priority group"),
}


@dataclass
class Dashboard:
    call: Call | None
    suppressed: bool
    headline: FigureTable
    funnel: FigureTable
    money: FigureTable
    breakdowns: list[FigureTable]
    jobs: FigureTable
    jobs_created: FigureTable
    by_region: FigureTable

    def tables(self) -> list[FigureTable]:
        return [self.headline, self.funnel, self.money, *self.breakdowns, self.jobs, self.jobs_created]


def _finish(table: FigureTable, suppressed: bool) -> FigureTable:
    return table.protect() if suppressed else table


def funnel_table(counts: dict[int, int]) -> FigureTable:
    submitted = counts[Stage.SUBMITTED]
    return FigureTable(
        key="funnel",
        title=_("From submission to closing"),
        columns=[
            Column("applications", _("Applications")),
            Column("share", _("Share of submitted"), PERCENT, follows="applications"),
        ],
        rows=[
            Row(str(stage), str(Stage(stage).label), {"applications": n, "share": percent(n, submitted)})
            for stage, n in counts.items()
        ],
        note=_(
            "An application counts at every stage it reached or passed: one approved from the waiting list "
            "counts as recommended."
        ),
    )


def breakdown_table(report: selectors.Breakdown) -> FigureTable:
    columns = [
        Column("applications", _("Applications")),
        Column("grants", _("Grants")),
        Column("grant_usd", _("Grants, USD"), USD, follows="grants"),
        Column("own_usd", _("Own contribution, USD"), USD, follows="grants"),
    ]

    def values(key: str) -> dict:
        return {
            "applications": report.applications.get(key, 0),
            "grants": report.grants.get(key, 0),
            "grant_usd": report.grant_usd.get(key, ZERO),
            "own_usd": report.own_usd.get(key, ZERO),
        }

    rows = [Row(key or "none", label or _("Not stated"), values(key)) for key, label in report.rows]
    total = None
    if report.additive:
        total = Row(
            TOTAL,
            _("Total"),
            {
                "applications": sum(report.applications.values()),
                "grants": sum(report.grants.values()),
                "grant_usd": sum(report.grant_usd.values(), ZERO),
                "own_usd": sum(report.own_usd.values(), ZERO),
            },
        )
    note = "" if report.additive else _("An application can belong to several groups, so the column has no total.")
    return FigureTable(
        key=f"by-{report.dimension}",
        title=str(DIMENSION_TITLES[report.dimension]),
        columns=columns,
        rows=rows,
        total=total,
        note=note,
    )


def money_table(money: list[selectors.CallMoney]) -> FigureTable:
    columns = [
        Column("envelope", _("Budget envelope, USD"), USD, about_people=False),
        Column("grants", _("Grants")),
        Column("committed", _("Committed, USD"), USD, follows="grants"),
        Column("delivered_grants", _("Grants delivered")),
        Column("delivered", _("Delivered, USD"), USD, follows="delivered_grants"),
        Column("own_declared", _("Own contribution in the plans, USD"), USD, follows="grants"),
        Column("leverage", _("Own dollars per grant dollar"), RATIO, follows="grants"),
        Column("verified_grants", _("Grants with the contribution verified")),
        Column("own_verified", _("Own contribution verified, USD"), USD, follows="verified_grants"),
        Column("leverage_verified", _("Verified own dollars per grant dollar"), RATIO, follows="verified_grants"),
    ]

    def values(envelope, n_grants, committed, n_delivered, delivered, own, n_verified, verified, matched) -> dict:
        return {
            "envelope": envelope,
            "grants": n_grants,
            "committed": committed,
            "delivered_grants": n_delivered,
            "delivered": delivered,
            "own_declared": own,
            "leverage": ratio(own, committed),
            "verified_grants": n_verified,
            "own_verified": verified,
            "leverage_verified": ratio(verified, matched),
        }

    fields = (
        "envelope",
        "n_grants",
        "committed",
        "n_delivered",
        "delivered",
        "own_declared",
        "n_verified",
        "own_verified",
        "grant_verified",
    )
    rows = [Row(str(m.call.pk), m.call.title, values(*(getattr(m, name) for name in fields))) for m in money]
    sums = [sum((getattr(m, name) for m in money), 0) for name in fields]
    return FigureTable(
        key="budget",
        title=_("Budget, delivery and own contribution"),
        columns=columns,
        rows=rows,
        total=Row(TOTAL, _("Total"), values(*sums)),
        note=_(
            "Committed: approved grants of applications not withdrawn. Delivered: equipment handed over, at its "
            "actual cost. Own dollars per grant dollar: what participants put in for each dollar of grant."
        ),
    )


def jobs_table(jobs: selectors.Jobs) -> FigureTable:
    created_young = jobs.created_where(age_band=JobAgeBand.UNDER_35)
    return FigureTable(
        key="jobs",
        title=_("Jobs: planned and created"),
        columns=[Column("planned", _("Planned in the business plans")), Column("created", _("Created so far"))],
        rows=[
            Row("all", _("All jobs"), {"planned": jobs.planned_total, "created": jobs.created_where()}),
            Row(
                "women",
                _("For women"),
                {"planned": jobs.planned_women, "created": jobs.created_where(gender=Gender.FEMALE)},
            ),
            Row("young", _("For young people (under 35)"), {"planned": jobs.planned_youth, "created": created_young}),
        ],
        note=_(
            "Planned: the frozen business plans of %(grants)s grants. Created: the latest accepted monitoring "
            "report of %(reporting)s grants."
        )
        % {"grants": jobs.n_grants, "reporting": jobs.n_reporting},
    )


def jobs_created_table(jobs: selectors.Jobs) -> FigureTable:
    bands = list(JobAgeBand.choices)
    genders = [(Gender.FEMALE, _("Women")), (Gender.MALE, _("Men"))]
    columns = [Column(band, str(label)) for band, label in bands] + [Column(TOTAL, _("Total"))]

    def values(gender: str | None) -> dict:
        found = {band: jobs.created_where(gender=gender, age_band=band) for band, _label in bands}
        found[TOTAL] = sum(found.values())
        return found

    return FigureTable(
        key="jobs-created",
        title=_("Jobs created by gender and age band"),
        columns=columns,
        rows=[Row(gender, str(label), values(gender)) for gender, label in genders],
        total=Row(TOTAL, _("Total"), values(None)),
        two_way=True,
    )


def headline_table(counts: dict[int, int], money: FigureTable, jobs: selectors.Jobs) -> FigureTable:
    total = money.total.values
    return FigureTable(
        key="headline",
        title=_("In brief"),
        columns=[
            Column("applications", _("Applications submitted")),
            Column("grants", _("Grants approved")),
            Column("committed", _("Committed, USD"), USD, follows="grants"),
            Column("delivered", _("Delivered, USD"), USD, follows="delivered_grants"),
            Column("delivered_grants", _("Grants delivered")),
            Column("leverage", _("Own dollars per grant dollar"), RATIO, follows="grants"),
            Column("jobs", _("Jobs created")),
        ],
        rows=[
            Row(
                "all",
                _("All"),
                {
                    "applications": counts[Stage.SUBMITTED],
                    "grants": total["grants"],
                    "committed": total["committed"],
                    "delivered": total["delivered"],
                    "delivered_grants": total["delivered_grants"],
                    "leverage": total["leverage"],
                    "jobs": jobs.created_where(),
                },
            )
        ],
    )


def _headline(counts: dict[int, int], money: FigureTable, jobs: selectors.Jobs, suppressed: bool) -> FigureTable:
    """The brief figures are the budget table's totals: hidden there, hidden here too."""
    table = _finish(headline_table(counts, money, jobs), suppressed)
    table.hidden |= {("all", key) for row, key in money.hidden if row == TOTAL and key in money_headline_keys()}
    return table


def money_headline_keys() -> set[str]:
    return {"grants", "committed", "delivered", "delivered_grants", "leverage"}


def build(call: Call | None, *, suppressed: bool) -> Dashboard:
    calls = selectors.calls_in_scope(call)
    counts = selectors.funnel_counts(calls)
    found = selectors.breakdowns(calls)
    jobs = selectors.jobs(calls)
    money = _finish(money_table(selectors.money_by_call(calls)), suppressed)
    breakdowns = [_finish(breakdown_table(found[dimension]), suppressed) for dimension in Dimension.values]
    return Dashboard(
        call=call,
        suppressed=suppressed,
        headline=_headline(counts, money, jobs, suppressed),
        funnel=_finish(funnel_table(counts), suppressed),
        money=money,
        breakdowns=breakdowns,
        jobs=_finish(jobs_table(jobs), suppressed),
        jobs_created=_finish(jobs_created_table(jobs), suppressed),
        by_region=breakdowns[0],
    )
