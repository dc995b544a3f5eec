import email
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.roles import Role
from applications.enums import ApplicationStatus, Region
from applications.models import Application
from reviews.enums import SlotStatus
from reviews.exceptions import ReviewError
from reviews.models import DefenseSlot
from reviews.sessions import services
from reviews.sessions.ics import escape_text, fold, invitation_ics
from reviews.sessions.tasks import send_defense_invitation, send_defense_reminders
from tests.factories import (
    CallFactory,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PanelMemberFactory,
    UserFactory,
    plan_submitted_application,
    shortlisted_application,
)

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2030, 6, 12)  # summer: Kyiv is UTC+3
S = ApplicationStatus


def kyiv(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KYIV)


def session_of(call, **kwargs):
    fields = {"date": DAY, "starts_at": time(10), "ends_at": time(12), "slot_minutes": 30, "capacity": 10}
    return DefenseSessionFactory(call=call, **{**fields, **kwargs})


@pytest.fixture
def call():
    return CallFactory()


def test_session_slots_run_from_start_by_slot_length_until_the_end(call):
    session = session_of(call, ends_at=time(11, 50))

    assert services.session_slots(session) == [kyiv(10), kyiv(10, 30), kyiv(11)]


def test_session_slots_stop_at_capacity(call):
    session = session_of(call, capacity=2)

    assert services.session_slots(session) == [kyiv(10), kyiv(10, 30)]


def test_scheduling_invites_the_application_and_records_the_move(call, officer):
    application = plan_submitted_application(call=call)
    session = session_of(call)

    slot = services.slot_schedule(session=session, application=application, actor=officer)

    application.refresh_from_db()
    assert (slot.starts_at, slot.status, application.status) == (kyiv(10), SlotStatus.SCHEDULED, S.INVITED_TO_DEFENSE)
    assert [(c.from_status, c.to_status, c.actor, c.note_text) for c in application.status_changes.all()] == [
        (S.PLAN_SUBMITTED, S.INVITED_TO_DEFENSE, officer, "Invited to the defense session of 12.06.2030 10:00.")
    ]


def test_scheduling_at_a_named_time(call, officer):
    session = session_of(call)

    slot = services.slot_schedule(
        session=session, application=plan_submitted_application(call=call), actor=officer, starts_at=kyiv(11)
    )

    assert slot.starts_at == kyiv(11)


def test_a_taken_slot_is_refused(call, officer):
    session = session_of(call)
    services.slot_schedule(
        session=session, application=plan_submitted_application(call=call), actor=officer, starts_at=kyiv(11)
    )

    with pytest.raises(ReviewError, match="^That slot is already taken.$"):
        services.slot_schedule(
            session=session, application=plan_submitted_application(call=call), actor=officer, starts_at=kyiv(11)
        )


def test_a_time_between_slots_is_refused(call, officer):
    session = session_of(call)

    with pytest.raises(ReviewError, match="^That time is not one of the session's slots.$"):
        services.slot_schedule(
            session=session, application=plan_submitted_application(call=call), actor=officer, starts_at=kyiv(10, 15)
        )


def test_a_full_session_is_refused(call, officer):
    session = session_of(call, capacity=1)
    services.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)
    late = plan_submitted_application(call=call)

    with pytest.raises(ReviewError, match="^This defense session is full.$"):
        services.slot_schedule(session=session, application=late, actor=officer)
    late.refresh_from_db()
    assert late.status == S.PLAN_SUBMITTED


def test_a_cancelled_session_is_refused(call, officer):
    session = session_of(call, cancelled_at=timezone.now())

    with pytest.raises(ReviewError, match="^This defense session is cancelled.$"):
        services.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)


def test_a_session_of_another_call_is_refused(call, officer):
    session = session_of(CallFactory())

    with pytest.raises(ReviewError, match="^This defense session belongs to another call.$"):
        services.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)


def test_an_application_without_a_submitted_plan_is_refused(call, officer):
    session = session_of(call)

    with pytest.raises(ReviewError) as refused:
        services.slot_schedule(session=session, application=shortlisted_application(call=call), actor=officer)

    assert refused.value.message == (
        "Only an application with a submitted business plan can be scheduled; this one is “Shortlisted”."
    )
    assert DefenseSlot.objects.count() == 0


def test_only_an_officer_schedules(call):
    reviewer = UserFactory(role=Role.REVIEWER)

    with pytest.raises(PermissionDenied):
        services.slot_schedule(
            session=session_of(call), application=plan_submitted_application(call=call), actor=reviewer
        )


def test_moving_an_invited_application_cancels_its_old_slot(call, officer):
    application = plan_submitted_application(call=call)
    first = services.slot_schedule(session=session_of(call), application=application, actor=officer)
    other = session_of(call, date=DAY + timedelta(days=1))

    second = services.slot_schedule(
        session=other, application=application, actor=officer, starts_at=kyiv(11, day=DAY + timedelta(days=1))
    )

    first.refresh_from_db()
    application.refresh_from_db()
    assert (first.status, second.status, second.starts_at) == (
        SlotStatus.CANCELLED,
        SlotStatus.SCHEDULED,
        kyiv(11, day=DAY + timedelta(days=1)),
    )
    assert (application.status, application.status_changes.count()) == (S.INVITED_TO_DEFENSE, 1)


def test_automatic_scheduling_fills_the_home_oblast_first_then_the_earliest_slot(call, officer):
    lviv = session_of(call, region=Region.LVIV, starts_at=time(12), ends_at=time(13), capacity=2)
    odesa = session_of(call, region=Region.ODESA, starts_at=time(10), ends_at=time(11), capacity=2)
    base = timezone.now() - timedelta(days=3)
    # Submitted in this order: l1, o1, l2, l3 (to Odesa's free slot), l4 and l5 (left over).
    l1 = plan_submitted_application(call=call, region=Region.LVIV, submitted_at=base)
    o1 = plan_submitted_application(call=call, region=Region.ODESA, submitted_at=base + timedelta(hours=1))
    l2 = plan_submitted_application(call=call, region=Region.LVIV, submitted_at=base + timedelta(hours=2))
    l3 = plan_submitted_application(call=call, region=Region.LVIV, submitted_at=base + timedelta(hours=3))
    l4 = plan_submitted_application(call=call, region=Region.LVIV, submitted_at=base + timedelta(hours=4))
    l5 = plan_submitted_application(call=call, region=Region.LVIV, submitted_at=base + timedelta(hours=5))

    scheduled = services.slots_schedule_automatically(call=call, actor=officer)

    assert [(s.application, s.session, s.starts_at) for s in scheduled] == [
        (l1, lviv, kyiv(12)),
        (o1, odesa, kyiv(10)),
        (l2, lviv, kyiv(12, 30)),
        (l3, odesa, kyiv(10, 30)),
    ]
    assert list(Application.objects.filter(pk__in=[l4.pk, l5.pk]).order_by("pk").values_list("status", flat=True)) == [
        S.PLAN_SUBMITTED,
        S.PLAN_SUBMITTED,
    ]


def test_automatic_scheduling_orders_ties_by_reference_and_skips_cancelled_sessions(call, officer):
    session_of(call, cancelled_at=timezone.now(), starts_at=time(9), ends_at=time(10))
    kept = session_of(call, region=Region.ODESA, ends_at=time(10, 30))
    submitted = timezone.now() - timedelta(days=1)
    first, second = (
        plan_submitted_application(call=call, submitted_at=submitted),
        plan_submitted_application(call=call, submitted_at=submitted),
    )

    scheduled = services.slots_schedule_automatically(call=call, actor=officer)

    assert [(s.application, s.session, s.starts_at) for s in scheduled] == [(first, kept, kyiv(10))]
    second.refresh_from_db()
    assert second.status == S.PLAN_SUBMITTED


def test_automatic_scheduling_leaves_already_invited_applications_alone(call, officer):
    session = session_of(call)
    invited = plan_submitted_application(call=call)
    services.slot_schedule(session=session, application=invited, actor=officer)

    assert services.slots_schedule_automatically(call=call, actor=officer) == []


# --- Recording the defense -------------------------------------------------------------------------


@pytest.fixture
def held():
    """A slot that started an hour ago, its application invited to defense."""
    return DefenseSlotFactory(started=True)


def test_an_officer_cancels_a_slot_and_the_application_stays_invited(held, officer):
    services.slot_cancel(slot=held, actor=officer, note="Заявник захворів")

    held.refresh_from_db()
    held.application.refresh_from_db()
    assert (held.status, held.application.status) == (SlotStatus.CANCELLED, S.INVITED_TO_DEFENSE)


def test_cancelling_needs_a_reason_and_an_officer(held, officer):
    with pytest.raises(ReviewError, match="^Say briefly why the slot is cancelled.$"):
        services.slot_cancel(slot=held, actor=officer, note=" ")
    with pytest.raises(PermissionDenied):
        services.slot_cancel(slot=held, actor=held.session.chair, note="Причина")


def test_the_chair_marks_a_no_show(held):
    services.slot_mark_no_show(slot=held, actor=held.session.chair)

    held.refresh_from_db()
    held.application.refresh_from_db()
    assert (held.status, held.application.status) == (SlotStatus.NO_SHOW, S.INVITED_TO_DEFENSE)


def test_a_panel_reviewer_who_is_not_chair_cannot_record_the_defense(held):
    reviewer = PanelMemberFactory(session=held.session).reviewer

    with pytest.raises(PermissionDenied):
        services.slot_mark_defended(slot=held, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.slot_mark_no_show(slot=held, actor=reviewer)
    held.refresh_from_db()
    assert held.status == SlotStatus.SCHEDULED


def test_an_officer_marks_defended_and_the_application_moves(held, officer):
    services.slot_mark_defended(slot=held, actor=officer)

    held.refresh_from_db()
    application = Application.objects.get(pk=held.application_id)
    assert (held.status, application.status) == (SlotStatus.DEFENDED, S.DEFENDED)
    assert [(c.from_status, c.to_status, c.actor) for c in application.status_changes.all()] == [
        (S.INVITED_TO_DEFENSE, S.DEFENDED, officer)
    ]


def test_the_chair_marks_defended(held):
    services.slot_mark_defended(slot=held, actor=held.session.chair)

    assert Application.objects.get(pk=held.application_id).status == S.DEFENDED


def test_a_defense_cannot_be_recorded_before_it_starts(call, officer):
    slot = DefenseSlotFactory(starts_at=timezone.now() + timedelta(hours=1))

    with pytest.raises(ReviewError, match="^The defense has not started yet.$"):
        services.slot_mark_defended(slot=slot, actor=officer)


def test_a_recorded_slot_cannot_be_recorded_again(held, officer):
    services.slot_mark_no_show(slot=held, actor=officer)

    with pytest.raises(ReviewError, match="^This slot is already “Did not attend”.$"):
        services.slot_mark_defended(slot=held, actor=officer)


# --- Calendar file ---------------------------------------------------------------------------------


def unfolded(ics: str) -> dict[str, str]:
    lines = ics.replace("\r\n ", "").split("\r\n")
    assert lines[-1] == ""
    return dict(line.split(":", 1) for line in lines[:-1] if not line.startswith(("BEGIN", "END")))


def test_text_is_escaped_per_rfc_5545():
    assert escape_text("Львів, вул. 1; кім. 2\\3\nпов. 4") == "Львів\\, вул. 1\\; кім. 2\\\\3\\nпов. 4"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "ї" * 70

    folded = fold(line)

    assert folded.endswith("\r\n")
    physical = folded[:-2].split("\r\n")
    assert [len(part.encode()) for part in physical] == [74, 75, 5]
    assert physical[1].startswith(" ") and "".join(p.removeprefix(" ") for p in physical) == line


def test_invitation_ics_describes_the_slot_in_utc(call):
    session = session_of(call, venue="Львів, вул. Городоцька, 1; зала 2", slot_minutes=45)
    slot = DefenseSlotFactory(
        session=session, application=plan_submitted_application(call=call), starts_at=kyiv(10, 45)
    )

    ics = invitation_ics(slot)

    fields = unfolded(ics)
    assert ics.startswith("BEGIN:VCALENDAR\r\nPRODID:-//onepluone//Defense sessions//EN\r\nVERSION:2.0\r\n")
    assert ics.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert (fields["METHOD"], fields["UID"], fields["DTSTART"], fields["DTEND"]) == (
        "REQUEST",
        f"slot-{slot.pk}@onepluone",
        "20300612T074500Z",
        "20300612T083000Z",
    )
    assert fields["SUMMARY"] == f"1+1: defense of your business plan {slot.application.reference}"
    assert fields["LOCATION"] == "Львів\\, вул. Городоцька\\, 1\\; зала 2"
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert "\n" not in ics.replace("\r\n", "")


# --- Emails ----------------------------------------------------------------------------------------


def calendar_of(message: email.message.Message) -> tuple[str, str]:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), part.get_payload(decode=True).decode()


def body_of(message: email.message.Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def parsed_outbox() -> list[email.message.Message]:
    return [email.message_from_bytes(m.message().as_bytes()) for m in mail.outbox]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_scheduling_sends_the_invitation_in_the_applicant_language(eager_tasks, officer, language):
    call = CallFactory()
    application = plan_submitted_application(call=call, language=language)
    description = "Кімната 12 на другому поверсі, вхід з подвір'я; " * 3
    session = session_of(call, venue=description, online_link="https://meet.example.org/1p1-defense")
    mail.outbox.clear()

    slot = services.slot_schedule(session=session, application=application, actor=officer, starts_at=kyiv(10, 30))

    [message] = parsed_outbox()
    slot.refresh_from_db()
    body = body_of(message).splitlines()
    method, ics = calendar_of(message)
    fields = unfolded(ics)
    assert (message["To"], slot.invited_at is not None, method) == (application.applicant.email, True, "REQUEST")
    with translation.override(language):
        expected = [
            gettext("Dear %(name)s,") % {"name": "Марія"},
            gettext("Date: %(date)s") % {"date": "12.06.2030"},
            gettext("Time: %(time)s–%(ends)s (Kyiv time)") % {"time": "10:30", "ends": "11:00"},
            gettext("Venue: %(venue)s") % {"venue": description},
            gettext("Online link: %(link)s") % {"link": "https://meet.example.org/1p1-defense"},
            gettext("The 1+1 programme team"),
        ]
    assert [line for line in body if line in expected] == expected
    assert (fields["UID"], fields["DTSTART"], fields["DTEND"]) == (
        f"slot-{slot.pk}@onepluone",
        "20300612T073000Z",
        "20300612T080000Z",
    )
    assert fields["LOCATION"] == escape_text(description)
    assert "\r\n " in ics and all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


@pytest.mark.django_db(transaction=True)
def test_the_invitation_is_sent_once(eager_tasks, officer):
    call = CallFactory()
    slot = services.slot_schedule(
        session=session_of(call), application=plan_submitted_application(call=call), actor=officer
    )

    again = send_defense_invitation.delay(slot.pk).get()

    assert (again, len(mail.outbox)) == (False, 1)


@pytest.mark.django_db(transaction=True)
def test_moving_sends_an_invitation_for_the_new_slot(eager_tasks, officer):
    call = CallFactory()
    application = plan_submitted_application(call=call)
    services.slot_schedule(session=session_of(call), application=application, actor=officer)

    new = services.slot_schedule(session=session_of(call), application=application, actor=officer, starts_at=kyiv(11))

    assert [unfolded(calendar_of(m)[1])["UID"] for m in parsed_outbox()][1:] == [f"slot-{new.pk}@onepluone"]
    assert len(mail.outbox) == 2


def test_reminders_go_only_for_tomorrow_and_only_once(call):
    tomorrow = timezone.localdate() + timedelta(days=1)
    due = DefenseSlotFactory(session=session_of(call), starts_at=kyiv(9, day=tomorrow))
    late_evening = DefenseSlotFactory(session=session_of(call), starts_at=kyiv(23, 30, day=tomorrow))
    DefenseSlotFactory(session=session_of(call), starts_at=kyiv(9, day=tomorrow + timedelta(days=1)))
    DefenseSlotFactory(session=session_of(call), starts_at=kyiv(9, day=tomorrow), status=SlotStatus.CANCELLED)

    sent = send_defense_reminders()
    again = send_defense_reminders()

    reminded = sorted(DefenseSlot.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True))
    assert (sent, again, reminded) == (2, 0, sorted([due.pk, late_evening.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [due.application.applicant.email, late_evening.application.applicant.email]
    )
    with translation.override("uk"):
        expected = sorted(
            gettext("1+1: your business plan defense is tomorrow (%(reference)s)")
            % {"reference": slot.application.reference}
            for slot in (due, late_evening)
        )
    assert sorted(m.subject for m in mail.outbox) == expected
