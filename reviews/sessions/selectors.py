"""Reads of the officers' defense-session pages, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from reviews.enums import ACTIVE_SLOTS, SheetStatus, SlotStatus
from reviews.models import ConflictDeclaration, DefenseSession, DefenseSlot, Rubric, ScoreSheet

from .services import HOLDING, session_slots


def rubric_of(call: Call) -> Rubric:
    """The call's rubric (created with the call, reviews.rubrics.receivers), or its defaults where a call
    somehow has none: a read, never a write."""
    return Rubric.objects.filter(call=call).first() or Rubric(call=call)


def reviewers() -> QuerySet:
    return get_user_model().objects.filter(groups__name=Role.REVIEWER).order_by("last_name", "first_name", "email")


def sessions_of_call(call: Call) -> QuerySet[DefenseSession]:
    return (
        DefenseSession.objects.filter(call=call)
        .select_related("chair")
        .annotate(
            n_members=Count("members", distinct=True),
            n_held=Count("slots", filter=Q(slots__status__in=HOLDING), distinct=True),
        )
        .order_by("date", "starts_at", "pk")
    )


def applications_waiting(call: Call) -> QuerySet[Application]:
    """Applications with a submitted plan and no scheduled slot: never scheduled, or their slot was
    cancelled or missed (they stay invited to defense until the officer schedules them again)."""
    return (
        Application.objects.filter(
            call=call, status__in=(ApplicationStatus.PLAN_SUBMITTED, ApplicationStatus.INVITED_TO_DEFENSE)
        )
        .exclude(Exists(DefenseSlot.objects.filter(application=OuterRef("pk"), status=SlotStatus.SCHEDULED)))
        .order_by("reference", "pk")
    )


def free_times(call: Call, *, now: datetime) -> list[tuple[DefenseSession, datetime]]:
    """Every open slot of the call's sessions that are not cancelled, in time order: not held, not
    past, within capacity. Two queries, whatever the number of sessions."""
    sessions = list(
        DefenseSession.objects.filter(call=call, cancelled_at__isnull=True).order_by("date", "starts_at", "pk")
    )
    held: dict[int, set[datetime]] = {}
    for session_id, starts_at in DefenseSlot.objects.filter(
        session__call=call, session__cancelled_at__isnull=True, status__in=HOLDING
    ).values_list("session_id", "starts_at"):
        held.setdefault(session_id, set()).add(starts_at)
    found = []
    for session in sessions:
        taken = held.get(session.pk, set())
        room = max(session.capacity - len(taken), 0)
        found += [(session, t) for t in session_slots(session) if t not in taken and t > now][:room]
    found.sort(key=lambda pair: (pair[1], pair[0].pk))
    return found


@dataclass(frozen=True)
class Coverage:
    """How far an application of the session is from the independent scores the rubric needs."""

    slot: DefenseSlot
    independent: int
    free_members: int
    needed: int

    @property
    def short_by(self) -> int:
        return max(self.needed - self.independent, 0)

    @property
    def panel_short_by(self) -> int:
        return max(self.needed - self.free_members, 0)


def session_coverage(session: DefenseSession, slots: list[DefenseSlot], needed: int) -> list[Coverage]:
    """Per scheduled or defended slot: submitted sheets from reviewers whose declaration in force says
    no conflict, and panel members who have not declared a conflict (who could still score)."""
    active = [slot for slot in slots if slot.status in ACTIVE_SLOTS]
    application_ids = [slot.application_id for slot in active]
    members = set(session.members.values_list("reviewer_id", flat=True))
    in_force: dict[tuple[int, int], bool] = {}
    for application_id, reviewer_id, conflicted in (
        ConflictDeclaration.objects.filter(application_id__in=application_ids)
        .order_by("declared_at", "pk")
        .values_list("application_id", "reviewer_id", "conflicted")
    ):
        in_force[application_id, reviewer_id] = conflicted
    submitted: dict[int, set[int]] = {}
    for application_id, reviewer_id in ScoreSheet.objects.filter(
        application_id__in=application_ids, status=SheetStatus.SUBMITTED
    ).values_list("application_id", "reviewer_id"):
        submitted.setdefault(application_id, set()).add(reviewer_id)
    return [
        Coverage(
            slot=slot,
            independent=sum(
                1
                for reviewer_id in submitted.get(slot.application_id, set())
                if in_force.get((slot.application_id, reviewer_id)) is False
            ),
            free_members=sum(1 for reviewer_id in members if not in_force.get((slot.application_id, reviewer_id))),
            needed=needed,
        )
        for slot in active
    ]


@dataclass(frozen=True)
class SlotRow:
    """A slot of the session page, with what the viewer may do with it (`DefenseSlot.available_moves`)."""

    slot: DefenseSlot
    moves: list[str]

    @property
    def can_reschedule(self) -> bool:
        """A new time cancels this slot and gives the application another (slot_reschedule)."""
        return SlotStatus.CANCELLED in self.moves

    @property
    def can_cancel(self) -> bool:
        return SlotStatus.CANCELLED in self.moves

    @property
    def can_mark_no_show(self) -> bool:
        return SlotStatus.NO_SHOW in self.moves

    @property
    def can_mark_defended(self) -> bool:
        return SlotStatus.DEFENDED in self.moves


@dataclass(frozen=True)
class SessionPage:
    rubric: Rubric
    rows: list[SlotRow]
    members: list
    coverage: list[Coverage]

    @property
    def slots(self) -> list[DefenseSlot]:
        return [row.slot for row in self.rows]


def session_page(session: DefenseSession, viewer) -> SessionPage:
    """The session page: its slots with the viewer's moves, its panel and how far each application is from
    the independent scores the rubric needs."""
    rubric = rubric_of(session.call)
    slots = list(session.slots.select_related("application").order_by("starts_at", "pk"))
    return SessionPage(
        rubric=rubric,
        rows=[SlotRow(slot=slot, moves=slot.available_moves(viewer)) for slot in slots],
        members=list(session.members.select_related("reviewer").order_by("reviewer__last_name", "pk")),
        coverage=session_coverage(session, slots, rubric.min_independent_scores),
    )


def conflicts_in_force(session: DefenseSession) -> list:
    """The session's panel members' declared conflicts still in force on its applications, oldest first."""
    latest: dict = {}
    for row in (
        ConflictDeclaration.objects.filter(
            application_id__in=session.slots.values("application_id"),
            reviewer_id__in=session.members.values("reviewer_id"),
        )
        .select_related("application", "reviewer")
        .order_by("declared_at", "pk")
    ):
        latest[row.application_id, row.reviewer_id] = row
    return [row for row in latest.values() if row.conflicted]
