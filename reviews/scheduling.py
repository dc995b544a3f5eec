"""Scheduling applications into defense sessions, and recording how each defense went.

An application with a submitted plan is invited to defense by being given a slot: the first slot
moves it plan submitted → invited to defense through `application_move`, and marking the slot
defended moves it on to defended. Between the two, slots can be moved, cancelled or marked as a
no-show without touching the application's status: the officer then schedules it again (or moves
it back through the state machine). At most one slot per application is scheduled at a time (a
database constraint); scheduling locks the session row, so two officers cannot fill one slot.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import Application, Call
from applications.services import application_move

from .enums import SlotStatus
from .models import DefenseSession, DefenseSlot
from .services import ReviewError

KYIV = ZoneInfo("Europe/Kyiv")
S = ApplicationStatus
# Slots that hold their time in a session; a cancelled slot frees it.
HOLDING = (SlotStatus.SCHEDULED, SlotStatus.DEFENDED, SlotStatus.NO_SHOW)


def session_slots(session: DefenseSession) -> list[datetime]:
    """Slot start times (aware, Kyiv) from the session's start, one slot length apart, each ending by
    the session's end; never more than the session's capacity."""
    starts = datetime.combine(session.date, session.starts_at, tzinfo=KYIV)
    ends = datetime.combine(session.date, session.ends_at, tzinfo=KYIV)
    length = timedelta(minutes=session.slot_minutes)
    times = []
    while starts + length <= ends and len(times) < session.capacity:
        times.append(starts)
        starts += length
    return times


def _ensure_officer(actor) -> None:
    if not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only a programme officer can schedule defenses."))


def _ensure_officer_or_chair(actor, slot: DefenseSlot) -> None:
    if slot.session.chair_id != actor.pk and not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only a programme officer or the session's chair can record the defense."))


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
    from .tasks import send_defense_invitation

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
    DefenseSlot.objects.filter(application=application, status=SlotStatus.SCHEDULED).update(status=SlotStatus.CANCELLED)
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


def _ensure_scheduled(slot: DefenseSlot) -> None:
    if slot.status != SlotStatus.SCHEDULED:
        raise ReviewError(_("This slot is already “%(status)s”.") % {"status": SlotStatus(slot.status).label})


def _locked(slot: DefenseSlot) -> DefenseSlot:
    return DefenseSlot.objects.select_for_update().select_related("session", "application").get(pk=slot.pk)


@transaction.atomic
def slot_cancel(*, slot: DefenseSlot, actor, note: str) -> DefenseSlot:
    """Cancel a scheduled slot. The application stays invited to defense: the officer schedules it
    again (which sends a new invitation) or moves it back through the state machine."""
    _ensure_officer(actor)
    if not note.strip():
        raise ReviewError(_("Say briefly why the slot is cancelled."))
    slot = _locked(slot)
    _ensure_scheduled(slot)
    slot.status = SlotStatus.CANCELLED
    slot.save(update_fields=["status"])
    return slot


def _ensure_started(slot: DefenseSlot) -> None:
    if slot.starts_at > timezone.now():
        raise ReviewError(_("The defense has not started yet."))


@transaction.atomic
def slot_mark_no_show(*, slot: DefenseSlot, actor) -> DefenseSlot:
    """The applicant did not come. The application stays invited; the officer may schedule it again."""
    slot = _locked(slot)
    _ensure_officer_or_chair(actor, slot)
    _ensure_scheduled(slot)
    _ensure_started(slot)
    slot.status = SlotStatus.NO_SHOW
    slot.save(update_fields=["status"])
    return slot


@transaction.atomic
def slot_mark_defended(*, slot: DefenseSlot, actor) -> DefenseSlot:
    """The applicant defended the plan: the slot is done and the application moves to defended."""
    slot = _locked(slot)
    _ensure_officer_or_chair(actor, slot)
    _ensure_scheduled(slot)
    _ensure_started(slot)
    slot.status = SlotStatus.DEFENDED
    slot.save(update_fields=["status"])
    application_move(
        slot.application,
        S.DEFENDED,
        actor=actor,
        note_code="defended_at_session",
        note_params={"session": str(slot.session)},
    )
    return slot
