"""The call's decisions page, read in a fixed number of queries.

It stands on the ranking (reviews.ranking.selectors): the stored rows when the ranking is fresh, the computed
table otherwise; its lines for the applications now recommended or waitlisted give the position, the score and
the grant, in rank order. Beside them: the budget (grants.decisions.selectors.call_committed), the own
contribution counted by the latest submitted plan version, who recommended each application (the two-person
rule, read for the page's rows at once), the call's grants and declined applications with their letters, and its
recent letter batches. However many applications the call has, the page runs the same number of queries.

**Promotion.** When the budget left after the recommended applications still waiting for a decision (those that
fit) has room for a waitlisted application's grant, the first such application in rank order is suggested to the
programme officer for promotion.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from applications.enums import ApplicationStatus, Region
from applications.models import Application, ApplicationStatusChange, Call
from common.search import contains_any
from grants.enums import DECIDABLE, GRANTED, DecisionOutcome, LetterKind, LetterStatus
from grants.models import Decision, Grant, Letter, LetterBatch
from plans.enums import VersionStatus
from plans.models import PlanVersion
from reviews.models import RankingConfirmation
from reviews.ranking.selectors import RankingLine, call_ranking_table, lines_page, ranking_is_fresh, stored_rows

from .selectors import (
    ZERO,
    call_committed,
    confirmed_positions,
    newest_applied,
    per_call,
    positions_of,
    recommenders_of,
)

S = ApplicationStatus
RECENT_BATCHES = 5


@dataclass(frozen=True)
class DecisionRow:
    """A recommended or waitlisted application in rank order, with what the approver decides on."""

    line: RankingLine
    region: str
    own_counted: Decimal | None
    fits: bool
    recommended_by_viewer: bool
    confirmed_position: int | None = None

    @property
    def application(self) -> Application:
        return self.line.application

    @property
    def position(self) -> int:
        """The place in the confirmed ranking: it stays put while approved applications leave the live one."""
        return self.confirmed_position or self.line.row.position

    @property
    def score(self) -> Decimal | None:
        return self.line.entry.score

    @property
    def grant(self) -> Decimal:
        return self.line.entry.grant

    @property
    def status(self) -> str:
        return self.line.application.status

    @property
    def region_label(self) -> str:
        return Region(self.region).label if self.region in Region.values else self.region

    @property
    def is_recommended(self) -> bool:
        return self.status == S.RECOMMENDED


@dataclass(frozen=True)
class LetterSummary:
    """The letters of one kind of the call's decided applications: how many are ready, and which are not."""

    kind: str
    decided: int
    ready: int
    failed: list[Letter]

    @property
    def without_ready(self) -> int:
        return self.decided - self.ready


@dataclass(frozen=True)
class Promotion:
    """The waitlisted application the budget allows promoting (CallDecisions.promotion_candidate)."""

    application: Application
    grant: Decimal


TABS = ("decide", "grants", "declined")  # the page's lists, one shown at a time; the first is the default


@dataclass(frozen=True)
class ListCounts:
    """How many applications of the call each list holds, unfiltered: the tabs' labels."""

    decide: int
    grants: int
    declined: int


@dataclass(frozen=True)
class CallDecisions:
    call: Call
    committed: Decimal
    counts: ListCounts
    tab: str = TABS[0]
    rows: list[DecisionRow] = field(default_factory=list)  # the "decide" tab's page
    grants: Page | None = None  # of Grant, the "grants" tab
    declined: Page | None = None  # of Application, the "declined" tab
    batches: list[LetterBatch] = field(default_factory=list)  # the tab's kind of letter, newest first
    letters: list[LetterSummary] = field(default_factory=list)  # the tab's kind of letter
    # Every application waiting for a decision, in rank order, as (status, grant): what the budget figures
    # and the promotion read, whichever tab and page are shown.
    waiting: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (application id, status, grant)
    page: Page | None = None  # the page of the list shown
    promotion: Promotion | None = None

    def promotion_candidate(self) -> int | None:
        """The first waitlisted application in rank order whose grant fits in what the recommended leave."""
        free = self.free_after_recommended
        return next((pk for pk, status, grant in self.waiting if status == S.WAITLISTED and ZERO < grant <= free), None)

    @property
    def envelope(self) -> Decimal:
        return self.call.budget_envelope

    @property
    def remaining(self) -> Decimal:
        return self.envelope - self.committed

    @property
    def recommended(self) -> list[DecisionRow]:
        """The recommended applications of the page shown."""
        return [row for row in self.rows if row.is_recommended]

    @property
    def recommended_total(self) -> Decimal:
        """The grants of the recommended applications not approved yet (all of them, not the page's)."""
        return sum((grant for _, status, grant in self.waiting if status == S.RECOMMENDED), ZERO)

    @property
    def free_after_recommended(self) -> Decimal:
        """What the budget leaves once the recommended applications that fit (first-fit in rank order, as the
        bulk approval goes) are approved; a recommended grant too large for the budget does not hold it up."""
        free = self.remaining
        for _, status, grant in self.waiting:
            if status == S.RECOMMENDED and ZERO < grant <= free:
                free -= grant
        return free

    @property
    def failed_letters(self) -> list[Letter]:
        return [letter for summary in self.letters for letter in summary.failed]


def regions_of(application_ids: list[int]) -> dict[int, str]:
    """application id → oblast; the ranking loads its applications without it."""
    return dict(Application.objects.filter(pk__in=application_ids).values_list("pk", "region"))


def latest_own_counted(application_ids: list[int]) -> dict[int, Decimal | None]:
    """application id → own contribution counted (USD) of its latest submitted plan version; one query."""
    versions = (
        PlanVersion.objects.filter(plan__application_id__in=application_ids)
        .exclude(status=VersionStatus.DRAFT)
        .order_by("plan__application_id", "-number")
        .values_list("plan__application_id", "own_counted_usd")
    )
    latest: dict[int, Decimal | None] = {}
    for application_id, own_counted in versions:
        latest.setdefault(application_id, own_counted)
    return latest


def _latest_letters(kind: str) -> Prefetch:
    return Prefetch("letters", queryset=Letter.objects.filter(kind=kind).order_by("-version"), to_attr="kind_letters")


def _letter_summary(call: Call, kind: str) -> LetterSummary:
    """How many of the call's decided applications have a ready letter of `kind` (counted with the call, see
    `call_for_decisions`), and their newest letters that failed."""
    newer = Letter.objects.filter(application=OuterRef("application"), kind=kind, version__gt=OuterRef("version"))
    return LetterSummary(
        kind=kind,
        decided=call.letters_decided,
        ready=call.letters_ready,
        failed=list(
            Letter.objects.filter(
                kind=kind, status=LetterStatus.FAILED, application__in=_decided(kind).filter(call=call)
            )
            .exclude(Exists(newer))
            .select_related("application")
            .order_by("pk")
        ),
    )


DECISIONS_FILTERS = ("status", "region", "q")
LIST_PAGE_SIZE = 50
LETTERS_OF_TAB = {"grants": LetterKind.AWARD, "declined": LetterKind.DECLINE}


def _decided(kind: str) -> QuerySet[Application]:
    """The applications (of every call) that letters of `kind` are for: the granted, or the declined."""
    if kind == LetterKind.AWARD:
        return Application.objects.filter(grant__isnull=False, status__in=GRANTED)
    return Application.objects.filter(status=S.DECLINED)


def _counted(queryset) -> Coalesce:
    return Coalesce(per_call(queryset, Count("*")), 0)


def call_for_decisions(call_id: int, tab: str) -> Call:
    """The call, with what the decisions page reads of it in the same query, each figure a subquery on the
    call's row: the lists' sizes (`n_decide`, `n_grants`, `n_declined`), what its grants commit (`granted`,
    as `call_granted`), whether its stored ranking is fresh (`ranking_fresh`), and on a tab of letters, how
    many applications its kind of letter is for and how many of them have a ready one (`letters_decided`,
    `letters_ready`)."""
    money = DecimalField(max_digits=14, decimal_places=2)
    applications = Application.objects.all()
    granted = per_call(Grant.objects.filter(application__status__in=GRANTED), Sum("grant_usd"))
    figures = {
        "n_decide": _counted(applications.filter(status__in=DECIDABLE)),
        "n_grants": _counted(Grant.objects.all()),
        "n_declined": _counted(applications.filter(status=S.DECLINED)),
        "granted": Coalesce(granted, Value(ZERO, output_field=money), output_field=money),
        "ranking_fresh": ranking_is_fresh(),
    }
    if kind := LETTERS_OF_TAB.get(tab):
        ready = Letter.objects.filter(application=OuterRef("pk"), kind=kind, status=LetterStatus.READY)
        figures |= {
            "letters_decided": _counted(_decided(kind)),
            "letters_ready": _counted(_decided(kind).filter(Exists(ready))),
        }
    return get_object_or_404(Call.objects.select_related("programme").annotate(**figures), pk=call_id)


def _row_figures(call: Call, viewer) -> dict:
    """What a decision row shows beside a stored ranking row, read in the rows' query: the own contribution
    counted by the latest submitted plan version and, under the two-person rule, whether the viewer moved the
    application to recommended or waitlisted or promoted it (their confirmations are read with the positions,
    `_confirmations`)."""
    versions = PlanVersion.objects.filter(plan__application_id=OuterRef("application_id")).exclude(
        status=VersionStatus.DRAFT
    )
    figures = {"own_counted": Subquery(versions.order_by("-number").values("own_counted_usd")[:1])}
    if call.two_person_rule:
        moved = ApplicationStatusChange.objects.filter(
            application_id=OuterRef("application_id"), to_status__in=[S.RECOMMENDED, S.WAITLISTED], actor=viewer
        )
        promoted = Decision.objects.filter(
            application_id=OuterRef("application_id"), outcome=DecisionOutcome.PROMOTED, decided_by=viewer
        )
        figures |= {"viewer_moved": Exists(moved), "viewer_promoted": Exists(promoted)}
    return figures


def _waiting_lines(call: Call, filters: dict, *, viewer) -> tuple[list[tuple[int, str, Decimal]], object, int | None]:
    """(application id, status, grant) of every decidable application in rank order, the ranking lines to page
    through (a queryset of the stored rows with `_row_figures`, or the computed lines), narrowed by `filters`,
    and how many lines that is when the first list already tells (no filter by oblast or name)."""
    statuses = [filters["status"]] if filters.get("status") in DECIDABLE else list(DECIDABLE)
    if call.ranking_fresh:
        decidable = stored_rows(call).filter(application__status__in=DECIDABLE)
        waiting = list(decidable.values_list("application_id", "application__status", "grant"))
        rows = stored_rows(call).filter(application__status__in=statuses)
        if filters.get("region"):
            rows = rows.filter(application__region=filters["region"])
        if filters.get("q"):
            rows = rows.filter(
                contains_any(
                    rows, ["application__reference", "application__last_name", "application__first_name"], filters["q"]
                )
            )
        narrowed = filters.get("region") or filters.get("q")
        count = None if narrowed else sum(1 for _, status, _ in waiting if status in statuses)
        return waiting, rows.annotate(**_row_figures(call, viewer)), count
    lines = [line for line in call_ranking_table(call).lines if line.application.status in DECIDABLE]
    waiting = [(line.application.pk, line.application.status, line.entry.grant) for line in lines]
    term = (filters.get("q") or "").casefold()
    regions = regions_of([line.application.pk for line in lines]) if filters.get("region") else {}
    return (
        waiting,
        [
            line
            for line in lines
            if line.application.status in statuses
            and (not filters.get("region") or regions.get(line.application.pk) == filters["region"])
            and (
                not term
                or any(term in (value or "").casefold() for value in (line.entry.reference, line.application.full_name))
            )
        ],
        None,
    )


def _confirmations(call: Call, viewer) -> tuple[dict[str, int], set[str]]:
    """`confirmed_positions`, and under the two-person rule the references the viewer's confirmations moved to
    recommended or waitlisted: one query, of the newest applied confirmation and the viewer's."""
    wanted = Q(pk=Subquery(newest_applied(call).values("pk")[:1]))
    if call.two_person_rule:
        wanted |= Q(confirmed_by=viewer)
    found = list(
        RankingConfirmation.objects.filter(wanted, call=call).values_list(
            "applied_at", "pk", "confirmed_by_id", "snapshot"
        )
    )
    applied = [(applied_at, pk, snapshot) for applied_at, pk, _, snapshot in found if applied_at is not None]
    positions = positions_of(max(applied, key=lambda found: found[:2])[2]) if applied else {}
    by_viewer = {
        row.get("reference")
        for _, _, confirmed_by, snapshot in found
        if call.two_person_rule and confirmed_by == viewer.pk
        for row in snapshot
        if row.get("outcome") in (S.RECOMMENDED, S.WAITLISTED)
    }
    return positions, by_viewer


def _stored_decision_rows(call: Call, page: Page, *, viewer, remaining: Decimal) -> list[DecisionRow]:
    """The rows of a page of stored ranking rows (`_waiting_lines`): two queries fewer than `_decision_rows`'
    five, since the rows' query read the oblast, the own contribution and the viewer's moves."""
    if not page.stored:
        return []
    positions, confirmed_by_viewer = _confirmations(call, viewer)
    return [
        DecisionRow(
            line=line,
            region=line.application.region,
            own_counted=stored.own_counted,
            fits=ZERO < line.entry.grant <= remaining,
            recommended_by_viewer=call.two_person_rule
            and (stored.viewer_moved or stored.viewer_promoted or line.entry.reference in confirmed_by_viewer),
            confirmed_position=positions.get(line.application.reference),
        )
        for stored, line in zip(page.stored, page.object_list, strict=True)
    ]


def _decision_rows(call: Call, lines: list[RankingLine], *, viewer, remaining: Decimal) -> list[DecisionRow]:
    ids = [line.application.pk for line in lines]
    own_counted = latest_own_counted(ids)
    regions = regions_of(ids)
    recommenders = recommenders_of(call, [line.application for line in lines]) if call.two_person_rule else {}
    positions = confirmed_positions(call)
    return [
        DecisionRow(
            line=line,
            region=regions.get(line.application.pk, ""),
            own_counted=own_counted.get(line.application.pk),
            fits=ZERO < line.entry.grant <= remaining,
            recommended_by_viewer=viewer.pk in recommenders.get(line.application.pk, ()),
            confirmed_position=positions.get(line.application.reference),
        )
        for line in lines
    ]


def _counted_page(queryset: QuerySet, page_number, count: int) -> Page:
    """A page of `queryset`, whose size the caller read with the call (`call_for_decisions`)."""
    paginator = Paginator(queryset, LIST_PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(page_number)


def _grants_page(call: Call, page_number) -> Page:
    return _counted_page(
        Grant.objects.filter(call=call)
        .select_related("application", "approved_by")
        .prefetch_related(
            Prefetch(
                "application__letters",
                queryset=Letter.objects.filter(kind=LetterKind.AWARD).order_by("-version"),
                to_attr="kind_letters",
            )
        )
        .order_by("sequence"),
        page_number,
        call.n_grants,
    )


def _declined_page(call: Call, page_number) -> Page:
    return _counted_page(
        Application.objects.filter(call=call, status=S.DECLINED)
        .prefetch_related(
            _latest_letters(LetterKind.DECLINE),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(outcome=DecisionOutcome.DECLINED)
                .select_related("decided_by")
                .order_by("-decided_at", "-pk"),
                to_attr="declines",
            ),
        )
        .order_by("reference"),
        page_number,
        call.n_declined,
    )


def call_decisions(
    call_id: int, *, viewer, tab: str = TABS[0], page_number=None, filters: dict | None = None
) -> CallDecisions:
    """Everything the call's decisions page shows: the budget and the lists' sizes, and a page of one list
    (`tab`): the applications waiting for a decision (in rank order, narrowed by status, oblast or a name),
    the approved grants with their award letters, or the declined applications with their decline letters.
    The same number of queries for any number of applications; 404 for a call that does not exist."""
    tab = tab if tab in TABS else TABS[0]
    call = call_for_decisions(call_id, tab)
    waiting, to_page, count = _waiting_lines(call, (filters or {}) if tab == "decide" else {}, viewer=viewer)
    committed = call_committed(call, granted=call.granted)
    found = {}
    if tab == "decide":
        page = lines_page(to_page, page_number, count=count)
        remaining = call.budget_envelope - committed
        if isinstance(to_page, QuerySet):
            found["rows"] = _stored_decision_rows(call, page, viewer=viewer, remaining=remaining)
        else:
            found["rows"] = _decision_rows(call, page.object_list, viewer=viewer, remaining=remaining)
    else:
        page = _grants_page(call, page_number) if tab == "grants" else _declined_page(call, page_number)
        found[tab] = page
        kind = LETTERS_OF_TAB[tab]
        found["letters"] = [_letter_summary(call, kind)]
        batches = LetterBatch.objects.filter(call=call, kind=kind).select_related("requested_by")
        found["batches"] = list(batches[:RECENT_BATCHES])
    counts = ListCounts(decide=call.n_decide, grants=call.n_grants, declined=call.n_declined)
    decisions = CallDecisions(
        call=call, committed=committed, counts=counts, tab=tab, waiting=waiting, page=page, **found
    )
    candidate = decisions.promotion_candidate()
    if candidate is None:
        return decisions
    on_page = {row.application.pk: row for row in decisions.rows}
    application = on_page[candidate].application if candidate in on_page else Application.objects.get(pk=candidate)
    grant = next(grant for pk, _, grant in waiting if pk == candidate)
    return replace(decisions, promotion=Promotion(application=application, grant=grant))
