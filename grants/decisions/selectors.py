"""Reads for the decisions, each in a fixed number of queries: the budget a call's grants commit, the two-person
rule (who recommended an application), the confirmed ranking's positions, the approver's list of calls, and
one application's decision page. The call's decisions page, which stands on these, is grants.decisions.call_page.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationStatusChange, Call
from grants.enums import DECIDABLE, GRANTED, LETTER_STATUSES, DecisionOutcome, LetterKind, LetterStatus
from grants.models import Decision, Grant, Letter
from grants.signals import spent_above_grants
from plans.models import PlanVersion
from plans.selectors import latest_submitted_version
from reviews.models import RankingConfirmation
from reviews.ranking.selectors import (
    call_ranking_table,
    ranking_place_of,
)

S = ApplicationStatus
ZERO = Decimal("0.00")


# --- Budget and the two-person rule --------------------------------------------------------------------


def call_granted(call: Call) -> Decimal:
    """The sum of the call's grants that still count against its envelope, at their approved amounts."""
    total = Grant.objects.filter(call=call, application__status__in=GRANTED).aggregate(total=Sum("grant_usd"))
    return total["total"] or ZERO


def call_committed(call: Call, *, granted: Decimal | None = None) -> Decimal:
    """What the call's envelope is committed to: its grants (`granted`, when the caller read it, as
    `call_for_decisions` does), and what their equipment costs above them (the apps above grants answer
    `grants.signals.spent_above_grants`)."""
    above = sum((spent for _, spent in spent_above_grants.send(sender=Call, call=call)), ZERO)
    return (call_granted(call) if granted is None else granted) + above


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


def newest_applied(call: Call) -> QuerySet[RankingConfirmation]:
    return RankingConfirmation.objects.filter(call=call, applied_at__isnull=False).order_by("-applied_at", "-pk")


def positions_of(snapshot: list[dict]) -> dict[str, int]:
    return {row.get("reference"): position for position, row in enumerate(snapshot, start=1)}


def confirmed_positions(call: Call) -> dict[str, int]:
    """Reference → position in the ranking whose confirmation moved the applications (the newest applied)."""
    confirmation = newest_applied(call).first()
    return {} if confirmation is None else positions_of(confirmation.snapshot)


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


def per_call(queryset, aggregate) -> Subquery:
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
        return Coalesce(per_call(applications.filter(status__in=statuses), Count("*")), 0)

    committed = per_call(Grant.objects.filter(application__status__in=GRANTED), Sum("grant_usd"))
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
