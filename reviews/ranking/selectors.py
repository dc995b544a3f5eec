"""A call's ranking, read in a fixed number of queries and computed by the pure `ranking` and `scoring` modules.

**Who is ranked.** The applications of the call in status defended; once a ranking has been confirmed, the
ones it moved to recommended or waitlisted stay in it, so the list (and its running totals) reads the same
before and after the confirmation. Earlier statuses have not been defended yet, later ones (approved,
declined, withdrawn...) have left the ranking. A call has one track, so a call's ranking is its track's.

**What counts.** Only submitted score sheets of reviewers whose declaration in force (the newest) for the
application says no conflict of interest; a draft sheet, a sheet without a declaration and a conflicted
reviewer's sheet are left out of every figure on the page, the per-criterion means included.

**Score.** The mean of those reviewers' weighted means (`scoring.application_mean`), or, where the call's
rubric asks for it, the calibrated score (`scoring.calibrate`): each reviewer standardised over the ranked
applications they scored, on the widest scale of the rubric's criteria. No counted sheet, no score: the
application is ranked last, below the threshold.

**Tie-break figures** (the order itself is `ranking.rank`'s):
- priority: the applicant declared at least one priority group;
- own-contribution ratio: own contribution counted by the matching engine / grant, both from the latest
  submitted (non-draft) version of the business plan; 0 when the grant is 0 or missing;
- plan submitted at: that version's `submitted_at`.

**Grant** is that version's `grant_usd` (the matching engine's figure, frozen with the version); the budget
is the call's envelope, and the minimum score the rubric's.

Queries: rubric, criteria, applications (with the priority flag), plan versions, sheets, declarations and
criterion scores: seven, however many applications the call has.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationPriorityIndex, Call
from plans.enums import VersionStatus
from plans.models import PlanVersion
from reviews.enums import ACTIVE_SLOTS, SheetStatus
from reviews.models import (
    ConfirmationRole,
    ConflictDeclaration,
    Criterion,
    CriterionScore,
    DefenseSession,
    DefenseSlot,
    RankingConfirmation,
    Rubric,
    ScoreSheet,
)
from reviews.scoring.rules import application_mean, calibrate, disagreement

from .models import RankedApplication, RankingChange, RankingState
from .rank import Outcome, RankedRow, RankingEntry, rank

S = ApplicationStatus
RANKED_STATUSES = (S.DEFENDED, S.RECOMMENDED, S.WAITLISTED)
ZERO = Decimal("0.00")
# An application without a submitted plan (which should not reach defense) sorts after every dated one.
NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RankingLine:
    """One application in the ranking, with what the page and the exports show beside the ranked row."""

    row: RankedRow
    application: Application
    reviewer_means: tuple[Decimal, ...]
    disagreement: bool
    criterion_means: dict[int, Decimal | None]
    independent_scores: int

    @property
    def entry(self) -> RankingEntry:
        return self.row.entry

    @property
    def plan_submitted_at(self) -> datetime | None:
        submitted_at = self.row.entry.plan_submitted_at
        return None if submitted_at == NEVER else submitted_at


@dataclass(frozen=True, slots=True)
class CallRanking:
    call: Call
    rubric: Rubric
    criteria: list[Criterion]
    lines: list[RankingLine]
    # Set when `lines` are one page of a stored ranking: the committed total of the whole ranking.
    stored_committed: Decimal | None = None

    @property
    def rows(self) -> list[RankedRow]:
        return [line.row for line in self.lines]

    @property
    def budget(self) -> Decimal:
        return self.call.budget_envelope

    @property
    def committed(self) -> Decimal:
        """The grants of the recommended applications: the last row's running total."""
        if self.stored_committed is not None:
            return self.stored_committed
        return self.lines[-1].row.running_total if self.lines else ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    def short_panels(self) -> list[RankingLine]:
        """Defended applications with fewer counted sheets than the rubric's `min_independent_scores`."""
        needed = self.rubric.min_independent_scores
        return [
            line for line in self.lines if line.application.status == S.DEFENDED and line.independent_scores < needed
        ]

    def snapshot(self) -> list[dict]:
        """What a confirmation records and compares: the ranked rows, as JSON."""
        return [
            {
                "reference": line.entry.reference,
                "score": None if line.entry.score is None else str(line.entry.score),
                "outcome": str(line.row.outcome),
                "running_total": str(line.row.running_total),
            }
            for line in self.lines
        ]


def own_contribution_ratio(own_counted: Decimal | None, grant: Decimal | None) -> Decimal:
    """Own contribution counted / grant, to four places; 0 when there is no grant to compare with."""
    if not grant or own_counted is None:
        return Decimal("0.0000")
    return (own_counted / grant).quantize(Decimal("0.0001"))


def _ranked(prefix: str, keep: Collection[int]) -> Q:
    """The applications ranked: those in a ranked status, and the `keep` ones whatever their status now."""
    return Q(**{f"{prefix}status__in": RANKED_STATUSES}) | Q(**{f"{prefix}pk__in": keep})


def _latest_versions(call: Call, keep: Collection[int] = ()) -> dict[int, dict]:
    versions = (
        PlanVersion.objects.filter(_ranked("plan__application__", keep), plan__application__call=call)
        .exclude(status=VersionStatus.DRAFT)
        .order_by("plan__application_id", "-number")
        .values("plan__application_id", "grant_usd", "own_counted_usd", "submitted_at")
    )
    latest: dict[int, dict] = {}
    for version in versions:
        latest.setdefault(version["plan__application_id"], version)
    return latest


def _counted_sheets(call: Call, keep: Collection[int] = ()) -> dict[int, dict[int, tuple[int, Decimal | None]]]:
    """application id → reviewer id → (sheet id, weighted mean), for the sheets that count."""
    declarations: dict[tuple[int, int], bool] = {}
    for application_id, reviewer_id, conflicted in (
        ConflictDeclaration.objects.filter(_ranked("application__", keep), application__call=call)
        .order_by("declared_at", "pk")
        .values_list("application_id", "reviewer_id", "conflicted")
    ):
        declarations[(application_id, reviewer_id)] = conflicted  # the newest row wins
    sheets: dict[int, dict[int, tuple[int, Decimal | None]]] = defaultdict(dict)
    for sheet_id, application_id, reviewer_id, mean in (
        ScoreSheet.objects.filter(_ranked("application__", keep), application__call=call, status=SheetStatus.SUBMITTED)
        .order_by("pk")
        .values_list("pk", "application_id", "reviewer_id", "weighted_mean")
    ):
        if declarations.get((application_id, reviewer_id)) is False:
            sheets[application_id][reviewer_id] = (sheet_id, mean)
    return sheets


def _criterion_scores(call: Call, keep: Collection[int] = ()) -> dict[int, dict[int, Decimal | None]]:
    """sheet id → criterion id → score (None for not applicable), for the call's submitted sheets."""
    scores: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for sheet_id, criterion_id, score in CriterionScore.objects.filter(
        _ranked("sheet__application__", keep),
        sheet__application__call=call,
        sheet__status=SheetStatus.SUBMITTED,
    ).values_list("sheet_id", "criterion_id", "score"):
        scores[sheet_id][criterion_id] = score
    return scores


def call_ranking_table(call: Call, *, keep: Collection[int] = ()) -> CallRanking:
    """The call's ranking with everything the page and the exports show; seven queries in all. `keep`: ids of
    applications ranked whatever their status now (a confirmed ranking's, after decisions moved them on)."""
    rubric = Rubric.objects.filter(call=call).first() or Rubric(call=call)
    criteria = list(Criterion.objects.filter(rubric=rubric)) if rubric.pk else []
    applications = list(
        Application.objects.filter(_ranked("", keep), call=call)
        .annotate(has_priority=Exists(ApplicationPriorityIndex.objects.filter(application_id=OuterRef("pk"))))
        .only("pk", "call_id", "applicant_id", "status", "reference", "first_name", "last_name", "patronymic")
        .order_by("pk")
    )
    versions = _latest_versions(call, keep)
    sheets = _counted_sheets(call, keep)
    criterion_scores = _criterion_scores(call, keep)

    means = {
        application.pk: [mean for _, mean in sheets.get(application.pk, {}).values() if mean is not None]
        for application in applications
    }
    if rubric.calibrated and criteria:
        by_reviewer: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for application_id, reviewers in sheets.items():
            for reviewer_id, (_, mean) in reviewers.items():
                if mean is not None:
                    by_reviewer[reviewer_id][application_id] = mean
        calibrated = calibrate(by_reviewer, min(c.scale_min for c in criteria), max(c.scale_max for c in criteria))
        scores = {application.pk: calibrated.get(application.pk) for application in applications}
    else:
        scores = {application.pk: application_mean(means[application.pk]) for application in applications}

    entries = []
    for application in applications:
        version = versions.get(application.pk, {})
        grant = version.get("grant_usd") or ZERO
        entries.append(
            RankingEntry(
                application_id=application.pk,
                reference=application.reference,
                score=scores[application.pk],
                priority=application.has_priority,
                own_contribution_ratio=own_contribution_ratio(version.get("own_counted_usd"), grant),
                plan_submitted_at=version.get("submitted_at") or NEVER,
                grant=grant,
            )
        )
    rows = rank(entries, min_score=rubric.min_score, budget=call.budget_envelope)

    by_pk = {application.pk: application for application in applications}
    lines = []
    for row in rows:
        application_id = row.entry.application_id
        counted = sheets.get(application_id, {})
        sheet_scores = [criterion_scores.get(sheet_id, {}) for sheet_id, _ in counted.values()]
        lines.append(
            RankingLine(
                row=row,
                application=by_pk[application_id],
                reviewer_means=tuple(means[application_id]),
                disagreement=disagreement(means[application_id], rubric.disagreement_threshold),
                criterion_means={
                    criterion.pk: application_mean(given.get(criterion.pk) for given in sheet_scores)
                    for criterion in criteria
                },
                independent_scores=len(counted),
            )
        )
    return CallRanking(call=call, rubric=rubric, criteria=criteria, lines=lines)


def call_ranking(call: Call) -> list[RankedRow]:
    """The call's ranked rows (see `call_ranking_table` for the per-criterion means beside them)."""
    return call_ranking_table(call).rows


# --- Who confirms, and the ranking page ---------------------------------------------------------------


def chairs_in_call(user, call: Call) -> bool:
    return DefenseSession.objects.filter(call=call, chair=user, cancelled_at__isnull=True).exists()


def confirmation_role(user, call: Call) -> str | None:
    """The role `user` confirms the call's ranking in, or None when they may not confirm it."""
    if has_role(user, Role.PROGRAMME_OFFICER):
        return ConfirmationRole.OFFICER
    if chairs_in_call(user, call):
        return ConfirmationRole.CHAIR
    return None


def confirmations_in_force(call: Call) -> dict[str, RankingConfirmation]:
    """The newest confirmation of each role (whether or not it still matches the ranking)."""
    latest: dict[str, RankingConfirmation] = {}
    for confirmation in RankingConfirmation.objects.filter(call=call).select_related("confirmed_by"):
        latest[confirmation.role] = confirmation
    return latest


def visible_applications(call: Call, viewer) -> set[int] | None:
    """The ids of the applications whose lines `viewer` may see, None for all. Programme staff see every
    line; a chair only the applications defended before a panel of theirs (sessions not cancelled) on which
    they declared no conflict of interest. Two queries for a chair, none for staff."""
    if viewer.has_perm("applications.see_queue"):
        return None
    own = set(
        DefenseSlot.objects.filter(session__call=call, session__cancelled_at__isnull=True, status__in=ACTIVE_SLOTS)
        .filter(Q(session__chair=viewer) | Q(session__members__reviewer=viewer))
        .values_list("application_id", flat=True)
    )
    latest: dict[int, bool] = {}
    for application_id, conflicted in (
        ConflictDeclaration.objects.filter(reviewer=viewer, application_id__in=own)
        .order_by("declared_at", "pk")
        .values_list("application_id", "conflicted")
    ):
        latest[application_id] = conflicted
    return {application_id for application_id in own if not latest.get(application_id)}


def lines_visible_to(table: CallRanking, viewer) -> list[RankingLine]:
    """The lines of `table` that `viewer` may see (`visible_applications`)."""
    visible = visible_applications(table.call, viewer)
    return table.lines if visible is None else [line for line in table.lines if line.application.pk in visible]


# --- The stored ranking (reviews.ranking.models), read a page at a time ---------------------------------

RANKING_PAGE_SIZE = 50
# What the ranking and decision pages show of a ranked application.
APPLICATION_COLUMNS = tuple(
    f"application__{name}"
    for name in ("call_id", "applicant_id", "status", "reference", "first_name", "last_name", "patronymic", "region")
)


def _fresh_states() -> QuerySet[RankingState]:
    return RankingState.objects.filter(computed_at__isnull=False).exclude(
        Exists(RankingChange.objects.filter(call_id=OuterRef("call_id")))
    )


def fresh_state(call: Call) -> RankingState | None:
    """The call's stored-ranking state when its rows are those of the ranking as it stands, else None."""
    return _fresh_states().filter(call=call).defer("snapshot").first()


def ranking_is_fresh() -> Exists:
    """`fresh_state(call) is not None` as an expression on a Call queryset (`.annotate(fresh=...)`), for a page
    that reads the call anyway."""
    return Exists(_fresh_states().filter(call_id=OuterRef("pk")))


def stored_rows(call: Call) -> QuerySet[RankedApplication]:
    return (
        RankedApplication.objects.filter(call=call)
        .select_related("application")
        .only(*RANKED_COLUMNS, *APPLICATION_COLUMNS)
        .order_by("position")
    )


RANKED_COLUMNS = (
    "application_id", "position", "score", "outcome", "running_total", "grant", "priority",
    "own_contribution_ratio", "plan_submitted_at", "reviewer_means", "criterion_means", "disagreement",
    "independent_scores",
)  # fmt: skip


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def stored_line(stored: RankedApplication) -> RankingLine:
    """The `RankingLine` `call_ranking_table` gave when the row was stored."""
    entry = RankingEntry(
        application_id=stored.application_id,
        reference=stored.application.reference,
        score=stored.score,
        priority=stored.priority,
        own_contribution_ratio=stored.own_contribution_ratio,
        plan_submitted_at=stored.plan_submitted_at or NEVER,
        grant=stored.grant,
    )
    return RankingLine(
        row=RankedRow(
            position=stored.position, entry=entry, outcome=Outcome(stored.outcome), running_total=stored.running_total
        ),
        application=stored.application,
        reviewer_means=tuple(Decimal(mean) for mean in stored.reviewer_means),
        disagreement=stored.disagreement,
        criterion_means={int(pk): _decimal(mean) for pk, mean in stored.criterion_means.items()},
        independent_scores=stored.independent_scores,
    )


def lines_page(lines, page_number, *, count: int | None = None) -> Page:
    """A page of ranking lines: of a stored ranking's rows (a queryset), or of a computed list. `count`: how many
    lines there are, when the caller knows it (the paginator then does not count them). A page of stored rows
    keeps them as `page.stored` (with what the caller annotated on them), in the lines' order."""
    paginator = Paginator(lines, RANKING_PAGE_SIZE)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(page_number)
    if isinstance(lines, QuerySet):
        page.stored = list(page.object_list)
        page.object_list = [stored_line(stored) for stored in page.stored]
    return page


def ranking_place_of(application: Application) -> tuple[Decimal | None, int | None] | None:
    """(score, live position) from the stored ranking, (None, None) when it leaves the application out;
    None when the stored ranking is not fresh (the caller computes it)."""
    if fresh_state(application.call) is None:
        return None
    stored = RankedApplication.objects.filter(application=application).values_list("score", "position").first()
    return stored or (None, None)


# --- The ranking page -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingPage:
    table: CallRanking  # its lines: the page's
    page: Page
    confirmations: list[tuple[RankingConfirmation, bool]]  # (the newest of its role, does it still count?)
    confirm_as: str | None  # the role the viewer confirms in, or None
    can_export: bool
    lines: list[RankingLine]  # the page's lines, of those the viewer may see (visible_applications)


def _stored_confirmations(call: Call) -> list[tuple[RankingConfirmation, bool]]:
    """Each role's newest confirmation, and whether its rows equal the stored ranking's: compared in SQL, so
    that neither list of rows is read."""
    latest: dict[str, tuple[RankingConfirmation, bool]] = {}
    for confirmation in (
        RankingConfirmation.objects.filter(call=call)
        .select_related("confirmed_by")
        .defer("snapshot")
        .annotate(
            counts=Exists(RankingState.objects.filter(call_id=OuterRef("call_id"), snapshot=OuterRef("snapshot")))
        )
    ):
        latest[confirmation.role] = (confirmation, confirmation.counts)
    return list(latest.values())


def ranking_page(call: Call, viewer, page_number=None) -> RankingPage:
    """A page of the ranking with each role's newest confirmation and whether it still counts: only while the
    rows it confirmed equal the ranking as it stands (reviews.ranking.services). Read from the stored ranking
    when it is fresh; computed, as the confirmation does, when it is not. The lines a chair may not see are
    left out before paging, so each page holds a full page of the lines they may see."""
    state = fresh_state(call)
    visible = visible_applications(call, viewer)
    if state is not None:
        rubric = Rubric.objects.filter(call=call).first() or Rubric(call=call)
        criteria = list(Criterion.objects.filter(rubric=rubric)) if rubric.pk else []
        rows = stored_rows(call)
        if visible is not None:
            rows = rows.filter(application_id__in=visible)
        page = lines_page(rows, page_number)
        committed = state.committed
        confirmations = _stored_confirmations(call)
    else:
        full = call_ranking_table(call)
        snapshot = full.snapshot()
        rubric, criteria, committed = full.rubric, full.criteria, full.committed
        lines = full.lines if visible is None else [line for line in full.lines if line.application.pk in visible]
        page = lines_page(lines, page_number)
        confirmations = [
            (confirmation, confirmation.snapshot == snapshot) for confirmation in confirmations_in_force(call).values()
        ]
    table = CallRanking(call=call, rubric=rubric, criteria=criteria, lines=page.object_list, stored_committed=committed)
    return RankingPage(
        table=table,
        page=page,
        confirmations=confirmations,
        confirm_as=confirmation_role(viewer, call),
        can_export=viewer.has_perm("applications.see_queue"),
        lines=page.object_list,
    )
