"""Reads for the decision pages, each in a fixed number of queries.

**The call's decisions page** stands on the ranking (reviews.ranking.selectors.call_ranking_table, seven
queries): its lines for the applications now recommended or waitlisted give the position, the score and the
grant, in rank order. Beside them: the budget (grants.decisions.selectors.call_committed), the own contribution counted
by the latest submitted plan version, who recommended each application (the two-person rule, read for all
rows at once), the call's grants and declined applications with their letters, and its recent letter
batches. However many applications the call has, the page runs the same number of queries.

**Promotion.** When the budget left after the recommended applications still waiting for a decision (those that fit) has
room for a waitlisted application's grant, the first such application in rank order is suggested to the
programme officer for promotion.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus, Region
from applications.models import Application, ApplicationStatusChange, Call
from common.search import contains_any
from grants.enums import DECIDABLE, GRANTED, LETTER_STATUSES, DecisionOutcome, LetterKind, LetterStatus
from grants.models import Decision, Grant, Letter, LetterBatch
from grants.signals import spent_above_grants
from plans.enums import VersionStatus
from plans.models import PlanVersion
from plans.selectors import latest_submitted_version
from reviews.models import RankingConfirmation
from reviews.ranking.selectors import (
    RankingLine,
    call_ranking_table,
    fresh_state,
    lines_page,
    ranking_place_of,
    stored_rows,
)

S = ApplicationStatus
RECENT_BATCHES = 5
ZERO = Decimal("0.00")


# --- Budget and the two-person rule --------------------------------------------------------------------


def call_granted(call: Call) -> Decimal:
    """The sum of the call's grants that still count against its envelope, at their approved amounts."""
    total = Grant.objects.filter(call=call, application__status__in=GRANTED).aggregate(total=Sum("grant_usd"))
    return total["total"] or ZERO


def call_committed(call: Call) -> Decimal:
    """What the call's envelope is committed to: its grants, and what their equipment costs above them
    (the apps above grants answer `grants.signals.spent_above_grants`)."""
    above = sum((spent for _, spent in spent_above_grants.send(sender=Call, call=call)), ZERO)
    return call_granted(call) + above


def recommenders_of(call: Call, applications: list[Application]) -> dict[int, set[int]]:
    """Application id → ids of the users who recommended it (see the two-person rule above), for any
    number of applications of one call in three queries."""
    references = {application.reference: application.pk for application in applications if application.reference}
    ids = [application.pk for application in applications]
    people: dict[int, set[int]] = defaultdict(set)
    for application_id, actor_id in ApplicationStatusChange.objects.filter(
        application_id__in=ids, to_status__in=[S.RECOMMENDED, S.WAITLISTED]
    ).values_list("application_id", "actor_id"):
        people[application_id].add(actor_id)
    for confirmed_by, snapshot in RankingConfirmation.objects.filter(call=call).values_list(
        "confirmed_by_id", "snapshot"
    ):
        for row in snapshot:
            application_id = references.get(row.get("reference"))
            if application_id is not None and row.get("outcome") in (S.RECOMMENDED, S.WAITLISTED):
                people[application_id].add(confirmed_by)
    for application_id, decided_by in Decision.objects.filter(
        application_id__in=ids, outcome=DecisionOutcome.PROMOTED
    ).values_list("application_id", "decided_by_id"):
        people[application_id].add(decided_by)
    for found in people.values():
        found.discard(None)
    return people


def recommenders(application: Application) -> set[int]:
    return recommenders_of(application.call, [application]).get(application.pk, set())


def confirmed_positions(call: Call) -> dict[str, int]:
    """Reference → position in the ranking whose confirmation moved the applications (the newest applied)."""
    confirmation = (
        RankingConfirmation.objects.filter(call=call, applied_at__isnull=False).order_by("-applied_at", "-pk").first()
    )
    if confirmation is None:
        return {}
    return {row.get("reference"): position for position, row in enumerate(confirmation.snapshot, start=1)}


# --- The call's decisions page ----------------------------------------------------------------------------


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


def _letter_summary(kind: str, applications: QuerySet[Application]) -> LetterSummary:
    """How many of `applications` have a ready letter of `kind`, and their newest letters that failed;
    counted in the database, not per application."""
    letters = Letter.objects.filter(kind=kind, application__in=applications)
    newer = Letter.objects.filter(application=OuterRef("application"), kind=kind, version__gt=OuterRef("version"))
    return LetterSummary(
        kind=kind,
        decided=applications.count(),
        ready=letters.filter(status=LetterStatus.READY).values("application").distinct().count(),
        failed=list(
            letters.filter(status=LetterStatus.FAILED)
            .exclude(Exists(newer))
            .select_related("application")
            .order_by("pk")
        ),
    )


DECISIONS_FILTERS = ("status", "region", "q")


def _waiting_lines(call: Call, filters: dict) -> tuple[list[tuple[int, str, Decimal]], object]:
    """(status, grant) of every decidable application in rank order, and the ranking lines to page through
    (a queryset of the stored rows, or the computed lines), narrowed by `filters`."""
    statuses = [filters["status"]] if filters.get("status") in DECIDABLE else list(DECIDABLE)
    if fresh_state(call) is not None:
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
        return waiting, rows
    lines = [line for line in call_ranking_table(call).lines if line.application.status in DECIDABLE]
    waiting = [(line.application.pk, line.application.status, line.entry.grant) for line in lines]
    term = (filters.get("q") or "").casefold()
    regions = regions_of([line.application.pk for line in lines]) if filters.get("region") else {}
    return waiting, [
        line
        for line in lines
        if line.application.status in statuses
        and (not filters.get("region") or regions.get(line.application.pk) == filters["region"])
        and (
            not term
            or any(term in (value or "").casefold() for value in (line.entry.reference, line.application.full_name))
        )
    ]


LIST_PAGE_SIZE = 50


def list_counts(call: Call) -> ListCounts:
    """The sizes of the page's three lists, in one query."""
    counted = Application.objects.filter(call=call).aggregate(
        decide=Count("pk", filter=Q(status__in=DECIDABLE)),
        grants=Count("grant"),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
    )
    return ListCounts(**counted)


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


def _grants_page(call: Call, page_number) -> Page:
    return Paginator(
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
        LIST_PAGE_SIZE,
    ).get_page(page_number)


def _declined_page(call: Call, page_number) -> Page:
    return Paginator(
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
        LIST_PAGE_SIZE,
    ).get_page(page_number)


def call_decisions(
    call: Call, *, viewer, tab: str = TABS[0], page_number=None, filters: dict | None = None
) -> CallDecisions:
    """Everything the call's decisions page shows: the budget and the lists' sizes, and a page of one list
    (`tab`): the applications waiting for a decision (in rank order, narrowed by status, oblast or a name),
    the approved grants with their award letters, or the declined applications with their decline letters.
    The same number of queries for any number of applications."""
    tab = tab if tab in TABS else TABS[0]
    waiting, to_page = _waiting_lines(call, (filters or {}) if tab == "decide" else {})
    committed = call_committed(call)
    found = {}
    if tab == "decide":
        page = lines_page(to_page, page_number)
        remaining = call.budget_envelope - committed
        found["rows"] = _decision_rows(call, page.object_list, viewer=viewer, remaining=remaining)
    elif tab == "grants":
        page = found["grants"] = _grants_page(call, page_number)
        granted = Application.objects.filter(call=call, grant__isnull=False, status__in=GRANTED)
        found["letters"] = [_letter_summary(LetterKind.AWARD, granted)]
    else:
        page = found["declined"] = _declined_page(call, page_number)
        declined = Application.objects.filter(call=call, status=S.DECLINED)
        found["letters"] = [_letter_summary(LetterKind.DECLINE, declined)]
    if tab != "decide":
        kind = found["letters"][0].kind
        batches = LetterBatch.objects.filter(call=call, kind=kind).select_related("requested_by")
        found["batches"] = list(batches[:RECENT_BATCHES])
    decisions = CallDecisions(
        call=call, committed=committed, counts=list_counts(call), tab=tab, waiting=waiting, page=page, **found
    )
    candidate = decisions.promotion_candidate()
    if candidate is None:
        return decisions
    on_page = {row.application.pk: row for row in decisions.rows}
    application = on_page[candidate].application if candidate in on_page else Application.objects.get(pk=candidate)
    grant = next(grant for pk, _, grant in waiting if pk == candidate)
    return replace(decisions, promotion=Promotion(application=application, grant=grant))


def ranked_for_approval(
    call: Call, *, include_waitlisted: bool = False
) -> list[tuple[Application, Decimal | None, int]]:
    """(application, score, position) of the recommended (and, if asked, waitlisted) applications in rank
    order: what grants.decisions.services.grants_approve_bulk takes. The position is the confirmed ranking's."""
    statuses = DECIDABLE if include_waitlisted else {S.RECOMMENDED}
    positions = confirmed_positions(call)
    return [
        (line.application, line.entry.score, positions.get(line.application.reference, line.row.position))
        for line in call_ranking_table(call).lines
        if line.application.status in statuses
    ]


def ranking_place(application: Application) -> tuple[Decimal | None, int | None]:
    """The application's score and position in its call's ranking, (None, None) when it is not ranked."""
    positions = confirmed_positions(application.call)
    stored = ranking_place_of(application)
    if stored is not None:
        score, position = stored
        return score, positions.get(application.reference, position) if position is not None else None
    for line in call_ranking_table(application.call).lines:
        if line.application.pk == application.pk:
            return line.entry.score, positions.get(application.reference, line.row.position)
    return None, None


def _per_call(queryset, aggregate) -> Subquery:
    """`aggregate` over `queryset`'s rows of the outer call: a subquery evaluated once per call row, which
    the (call, status) index answers, instead of a join of every application grouped back by call."""
    return Subquery(
        queryset.filter(call=OuterRef("pk")).order_by().values("call").annotate(value=aggregate).values("value")
    )


def calls_with_decisions():
    """Calls with how many applications wait for a decision or were decided, and what their grants commit;
    one query, each figure a subquery per call (no GROUP BY over the applications)."""
    money = DecimalField(max_digits=14, decimal_places=2)
    applications = Application.objects.all()

    def counted(*statuses) -> Coalesce:
        return Coalesce(_per_call(applications.filter(status__in=statuses), Count("*")), 0)

    committed = _per_call(Grant.objects.filter(application__status__in=GRANTED), Sum("grant_usd"))
    return (
        Call.objects.select_related("programme")
        .annotate(
            n_recommended=counted(S.RECOMMENDED),
            n_waitlisted=counted(S.WAITLISTED),
            n_granted=counted(*GRANTED),
            n_declined=counted(S.DECLINED),
            committed=Coalesce(committed, Value(ZERO, output_field=money), output_field=money),
        )
        .order_by("-opens_at")
    )


# --- One application ---------------------------------------------------------------------------------------


def application_for_decision(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.exclude(status=S.DRAFT)
        .select_related("call", "call__programme", "applicant")
        .prefetch_related(
            Prefetch("status_changes", queryset=ApplicationStatusChange.objects.select_related("actor")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("decided_by", "grant").order_by("decided_at", "pk"),
            ),
            Prefetch(
                "letters",
                queryset=Letter.objects.select_related("requested_by").order_by("kind", "-version"),
            ),
        ),
        pk=pk,
    )


def application_grant(application: Application) -> Grant | None:
    return Grant.objects.select_related("approved_by", "plan_version").filter(application=application).first()


# --- What the viewer may do ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRoles:
    """What a staff member does on the decision pages: approvers decide, programme officers promote."""

    can_decide: bool
    can_promote: bool


def decision_roles(viewer) -> DecisionRoles:
    return DecisionRoles(
        can_decide=has_role(viewer, Role.APPROVER), can_promote=has_role(viewer, Role.PROGRAMME_OFFICER)
    )


@dataclass(frozen=True)
class LetterRow:
    """A version of a letter on the application's decision page, and what the viewer may do with it."""

    letter: Letter
    can_retry: bool  # the newest version failed, and the viewer may queue it again
    can_regenerate: bool  # the newest version is ready, and the viewer may issue the next one


@dataclass(frozen=True)
class DecisionPage:
    application: Application
    version: PlanVersion | None
    grant: Grant | None
    score: Decimal | None
    position: int | None
    can_decide: bool
    can_promote: bool
    recommended_by_viewer: bool
    letter_groups: list[tuple[str, list[LetterRow]]]
    issuable: list[tuple[str, str]]


def decision_page(application_id: int, viewer) -> DecisionPage:
    """One application's decision page: its figures and letters, and what `viewer` may decide or issue.

    Deciding is the approver's move to approved (`Application.available_moves`) while the application is
    recommended or waitlisted; promoting is the officer's move from the waiting list back to recommended.
    A letter of a kind is issuable while the application's status calls for it and none exists yet.
    """
    application = application_for_decision(application_id)
    score, position = ranking_place(application)
    moves = application.available_moves(viewer)
    staff = has_role(viewer, Role.PROGRAMME_OFFICER, Role.APPROVER)
    letters_by_kind: dict[str, list[Letter]] = {kind: [] for kind in LetterKind.values}
    for letter in application.letters.all():
        letters_by_kind[letter.kind].append(letter)
    groups = [
        (
            LetterKind(kind).label,
            [
                LetterRow(
                    letter=letter,
                    can_retry=age == 0 and LetterStatus.PENDING in letter.available_moves(viewer),
                    can_regenerate=age == 0 and letter.is_ready and staff,
                )
                for age, letter in enumerate(letters)  # newest version first
            ],
        )
        for kind, letters in letters_by_kind.items()
        if letters
    ]
    return DecisionPage(
        application=application,
        version=latest_submitted_version(application),
        grant=application_grant(application),
        score=score,
        position=position,
        can_decide=application.status in DECIDABLE and S.APPROVED in moves,
        can_promote=application.status == S.WAITLISTED and S.RECOMMENDED in moves,
        recommended_by_viewer=application.call.two_person_rule and viewer.pk in recommenders(application),
        letter_groups=groups,
        issuable=[
            (kind, LetterKind(kind).label)
            for kind, statuses in LETTER_STATUSES.items()
            if application.status in statuses and not letters_by_kind[kind]
        ],
    )
