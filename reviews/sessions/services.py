"""Every write about defense sessions: their details, their panel, and the slots applications are given.

**Slots.** An application with a submitted plan is invited to defense by being given a slot: the first slot
moves it plan submitted → invited to defense through `application_move`, and marking the slot
defended moves it on to defended. Between the two, slots can be moved, cancelled or marked as a
no-show without touching the application's status: the officer then schedules it again (or moves
it back through the state machine). At most one slot per application is scheduled at a time (a
database constraint); scheduling locks the session row, so two officers cannot fill one slot. Every
change of a slot's status goes through `slot_move` (the table is `reviews.enums.SLOT_MOVES`), which
writes a `DefenseSlotStatusChange` row; giving an application a new time cancels its old slot that way.

**Sessions and panels.** A reviewer who has declared
or scored for an application defended in a session stays on its panel: removing them would leave a
declaration or a score sheet from someone the panel no longer shows, so the removal is refused.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import Application, Call
from applications.services import application_move
from reviews.enums import SLOT_MOVES, SlotStatus
from reviews.exceptions import InvalidSlotMove, ReviewError
from reviews.models import (
    ConflictDeclaration,
    DefenseSession,
    DefenseSlot,
    DefenseSlotStatusChange,
    PanelMember,
    ScoreSheet,
)

from .tasks import send_defense_invitation

S = ApplicationStatus
# Slots that hold their time in a session; a cancelled slot frees it.
HOLDING = (SlotStatus.SCHEDULED, SlotStatus.DEFENDED, SlotStatus.NO_SHOW)


def session_slots(session: DefenseSession) -> list[datetime]:
    """Slot start times (aware, Kyiv) from the session's start, one slot length apart, each ending by
    the session's end; never more than the session's capacity."""
    starts = datetime.combine(session.date, session.starts_at, tzinfo=timezone.get_default_timezone())
    ends = datetime.combine(session.date, session.ends_at, tzinfo=timezone.get_default_timezone())
    length = timedelta(minutes=session.slot_minutes)
    times = []
    while starts + length <= ends and len(times) < session.capacity:
        times.append(starts)
        starts += length
    return times


def _free_times(session: DefenseSession) -> list[datetime]:
    """Times still open in the session, earliest first: not held by a slot, not past, within capacity."""
    held = list(session.slots.filter(status__in=HOLDING).values_list("starts_at", flat=True))
    room = session.capacity - len(held)
    now = timezone.now()
    return [t for t in session_slots(session) if t not in held and t > now][: max(room, 0)]


def _place(*, session: DefenseSession, application: Application, starts_at: datetime, actor) -> DefenseSlot:
    """Create the slot, move a first-time invitee to invited to defense, and queue the invitation."""
    if application.status == S.PLAN_SUBMITTED:
        application_move(
            application,
            S.INVITED_TO_DEFENSE,
            actor=actor,
            note_code="invited_to_session",
            note_params={"session": str(session)},
        )
        application.refresh_from_db(fields=["status", "updated_at"])
    slot = DefenseSlot.objects.create(session=session, application=application, starts_at=starts_at)
    send_defense_invitation.delay_on_commit(slot.pk)
    return slot


@transaction.atomic
def slot_schedule(
    *, session: DefenseSession, application: Application, actor, starts_at: datetime | None = None
) -> DefenseSlot:
    """Give the application a slot in the session: the earliest free one unless `starts_at` names one.

    An application already invited is moved: its scheduled slot is cancelled and the new one takes
    its place in the same transaction, and a new invitation goes out for the new slot."""
    _ensure_officer(actor)
    session = DefenseSession.objects.select_for_update().get(pk=session.pk)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if session.cancelled_at is not None:
        raise ReviewError(_("This defense session is cancelled."))
    if session.call_id != application.call_id:
        raise ReviewError(_("This defense session belongs to another call."))
    if application.status not in (S.PLAN_SUBMITTED, S.INVITED_TO_DEFENSE):
        raise ReviewError(
            _("Only an application with a submitted business plan can be scheduled; this one is “%(status)s”.")
            % {"status": S(application.status).label}
        )
    free = _free_times(session)
    if session.slots.filter(status__in=HOLDING).count() >= session.capacity:
        raise ReviewError(_("This defense session is full."))
    if starts_at is None:
        if not free:
            raise ReviewError(_("This defense session has no free slot left."))
        starts_at = free[0]
    elif starts_at not in session_slots(session):
        raise ReviewError(_("That time is not one of the session's slots."))
    elif starts_at <= timezone.now():
        raise ReviewError(_("That slot has already passed."))
    elif starts_at not in free:
        raise ReviewError(_("That slot is already taken."))
    for previous in DefenseSlot.objects.select_related("session").filter(
        application=application, status=SlotStatus.SCHEDULED
    ):
        slot_move(
            previous,
            SlotStatus.CANCELLED,
            actor=actor,
            note_code="moved",
            note_params={"time": f"{timezone.localtime(starts_at):%d.%m.%Y %H:%M}", "session": str(session)},
        )
    return _place(session=session, application=application, starts_at=starts_at, actor=actor)


def _plan_submission_order(call: Call):
    return (
        Application.objects.filter(call=call, status=S.PLAN_SUBMITTED)
        .exclude(defense_slots__status=SlotStatus.SCHEDULED)
        .annotate(plan_submitted_at=Max("business_plan__versions__submitted_at"))
        .order_by(F("plan_submitted_at").asc(nulls_last=True), "reference", "pk")
    )


@transaction.atomic
def slots_schedule_automatically(*, call: Call, actor) -> list[DefenseSlot]:
    """Schedule every application of the call waiting with a submitted plan, in the order the plans
    were submitted (then by reference): the earliest free slot in a session in the applicant's own
    oblast, else the earliest free slot anywhere. Those that do not fit are left as they are."""
    _ensure_officer(actor)
    sessions = list(
        DefenseSession.objects.select_for_update()
        .filter(call=call, cancelled_at__isnull=True)
        .order_by("date", "starts_at", "pk")
    )
    free = [(time, session) for session in sessions for time in _free_times(session)]
    free.sort(key=lambda pair: (pair[0], pair[1].date, pair[1].starts_at, pair[1].pk))
    scheduled = []
    for application in _plan_submission_order(call):
        if not free:
            break
        local = [pair for pair in free if application.region and pair[1].region == application.region]
        time, session = (local or free)[0]
        free.remove((time, session))
        scheduled.append(_place(session=session, application=application, starts_at=time, actor=actor))
    return scheduled


def _locked(slot: DefenseSlot) -> DefenseSlot:
    return DefenseSlot.objects.select_for_update(of=("self",)).select_related("session", "application").get(pk=slot.pk)


# Why an actor the move table leaves out is refused, by the status the slot would move to.
MOVE_REFUSALS = {
    SlotStatus.CANCELLED: gettext_lazy("Only a programme officer can cancel a slot."),
    SlotStatus.NO_SHOW: gettext_lazy("Only a programme officer or the session's chair can record the defense."),
    SlotStatus.DEFENDED: gettext_lazy("Only a programme officer or the session's chair can record the defense."),
}


@transaction.atomic
def slot_move(
    slot: DefenseSlot,
    to: str,
    *,
    actor,
    note: str = "",
    note_code: str = "",
    note_params: dict | None = None,
    ensure: Callable[[DefenseSlot], None] | None = None,
) -> DefenseSlotStatusChange:
    """Move a slot along `reviews.enums.SLOT_MOVES`. The only code that assigns `DefenseSlot.status`.

    Locks the slot, checks the move and the actor against the table, runs `ensure` (the caller's own
    condition, such as "the defense has started") on the locked slot, then saves and writes the history row.
    """
    slot = _locked(slot)
    SLOT_MOVES.check(slot, to, actor, invalid=InvalidSlotMove, not_allowed=ActorNotAllowed, refusals=MOVE_REFUSALS)
    if ensure is not None:
        ensure(slot)
    change = DefenseSlotStatusChange.objects.create(
        slot=slot,
        from_status=slot.status,
        to_status=to,
        actor=actor,
        note=note,
        note_code=note_code,
        note_params=note_params or {},
    )
    slot.status = to
    slot.save(update_fields=["status"])
    return change


def slot_cancel(*, slot: DefenseSlot, actor, note: str) -> DefenseSlot:
    """Cancel a scheduled slot. The application stays invited to defense: the officer schedules it
    again (which sends a new invitation) or moves it back through the state machine."""
    if not note.strip():
        raise ReviewError(_("Say briefly why the slot is cancelled."))
    return slot_move(slot, SlotStatus.CANCELLED, actor=actor, note=note.strip()).slot


def session_starts_at(session: DefenseSession) -> datetime:
    return datetime.combine(session.date, session.starts_at, tzinfo=timezone.get_default_timezone())


def outcome_open(slot: DefenseSlot, actor, *, now: datetime | None = None) -> bool:
    """Whether `actor` may record the slot's outcome now: the session's chair once the session has begun
    (an applicant may be heard before their time), anyone else (the officer) once the slot has begun,
    and after the fact as long as the slot is still scheduled."""
    now = now or timezone.now()
    if slot.session.chair_id == actor.pk:
        return min(session_starts_at(slot.session), slot.starts_at) <= now
    return slot.starts_at <= now


def _started_for(actor) -> Callable[[DefenseSlot], None]:
    def ensure(slot: DefenseSlot) -> None:
        if not outcome_open(slot, actor):
            raise ReviewError(_("The defense has not started yet."))

    return ensure


def slot_mark_no_show(*, slot: DefenseSlot, actor) -> DefenseSlot:
    """The applicant did not come. The application stays invited; the officer may schedule it again."""
    return slot_move(slot, SlotStatus.NO_SHOW, actor=actor, ensure=_started_for(actor)).slot


@transaction.atomic
def slot_mark_defended(*, slot: DefenseSlot, actor) -> DefenseSlot:
    """The applicant defended the plan: the slot is done and the application moves to defended."""
    slot = slot_move(slot, SlotStatus.DEFENDED, actor=actor, ensure=_started_for(actor)).slot
    application_move(
        slot.application,
        S.DEFENDED,
        actor=actor,
        note_code="defended_at_session",
        note_params={"session": str(slot.session)},
    )
    return slot


def _ensure_officer(actor) -> None:
    if not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only a programme officer can set up defense sessions."))


def _ensure_reviewers(users) -> None:
    others = [user for user in users if not has_role(user, Role.REVIEWER)]
    if others:
        raise ReviewError(
            _("Only reviewers can sit on a panel; %(names)s is not a reviewer.")
            % {"names": ", ".join(sorted(str(user) for user in others))}
        )


def _ensure_details(session: DefenseSession) -> None:
    if session.ends_at <= session.starts_at:
        raise ReviewError(_("The session must end after it starts."))
    if not (session.venue.strip() or session.online_link.strip()):
        raise ReviewError(_("Give the venue, the online link, or both."))
    if session.pk is None:
        return
    times = set(session_slots(session))
    held = list(session.slots.filter(status__in=HOLDING).values_list("starts_at", flat=True))
    if len(held) > session.capacity or any(time not in times for time in held):
        raise ReviewError(
            ngettext(
                "%(count)d application already has its slot in this session; the new date, times, "
                "slot length or capacity would leave it without one. Move it first.",
                "%(count)d applications already have their slots in this session; the new date, times, "
                "slot length or capacity would leave some of them without one. Move them first.",
                len(held),
            )
            % {"count": len(held)}
        )


def _blocked_removals(session: DefenseSession, reviewer_ids: set[int]) -> list:
    """Reviewers among `reviewer_ids` who declared or scored for an application with a slot in the session."""
    in_session = {"application__defense_slots__session": session, "reviewer_id__in": reviewer_ids}
    declared = ConflictDeclaration.objects.filter(**in_session).values_list("reviewer_id", flat=True)
    scored = ScoreSheet.objects.filter(**in_session).values_list("reviewer_id", flat=True)
    blocked = set(declared) | set(scored)
    return sorted(
        (member.reviewer for member in session.members.select_related("reviewer") if member.reviewer_id in blocked),
        key=str,
    )


@transaction.atomic
def session_save(*, session: DefenseSession, members: Iterable, actor) -> DefenseSession:
    """Save the session and make its panel exactly `members` plus the chair."""
    _ensure_officer(actor)
    members = list(members)
    _ensure_reviewers([session.chair, *members])
    if session.pk is not None:
        DefenseSession.objects.select_for_update().get(pk=session.pk)
    _ensure_details(session)
    wanted = {user.pk for user in members} | {session.chair_id}
    current = set(session.members.values_list("reviewer_id", flat=True)) if session.pk else set()
    removed = current - wanted
    if removed:
        blocked = _blocked_removals(session, removed)
        if blocked:
            raise ReviewError(
                _(
                    "%(names)s cannot leave the panel: they have already declared a conflict of interest or "
                    "scored an application of this session."
                )
                % {"names": ", ".join(str(user) for user in blocked)}
            )
    session.save()
    PanelMember.objects.filter(session=session, reviewer_id__in=removed).delete()
    PanelMember.objects.bulk_create(PanelMember(session=session, reviewer_id=pk) for pk in sorted(wanted - current))
    return session


def panel_member_add(*, session: DefenseSession, reviewer, actor) -> PanelMember:
    """Add one reviewer to the panel, leaving everyone else on it."""
    if session.members.filter(reviewer=reviewer).exists():
        raise ReviewError(_("%(name)s is already on this panel.") % {"name": reviewer})
    current = [member.reviewer for member in session.members.select_related("reviewer")]
    session_save(session=session, members=[*current, reviewer], actor=actor)
    return session.members.get(reviewer=reviewer)


@transaction.atomic
def slot_reschedule(*, slot: DefenseSlot, session: DefenseSession, starts_at: datetime, actor) -> DefenseSlot:
    """Give a scheduled slot's application another free time, in this session or another of the call:
    the old slot is cancelled and the new one invited (slot_schedule does both)."""
    slot = DefenseSlot.objects.select_for_update(of=("self",)).select_related("application").get(pk=slot.pk)
    if slot.status != SlotStatus.SCHEDULED:
        raise ReviewError(
            _("Only a scheduled slot can be moved; this one is “%(status)s”.") % {"status": slot.get_status_display()}
        )
    return slot_schedule(session=session, application=slot.application, starts_at=starts_at, actor=actor)
