"""What the applicant sees of their defense (when, where, a calendar file, their consultant), and when the
outcome of a slot may be recorded: the officer once the slot has begun, the chair once the session has."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus as S
from plans.models import ConsultantAssignment
from reviews.enums import SlotStatus
from reviews.exceptions import ReviewError
from reviews.models import DefenseSlot
from reviews.sessions import services
from tests.conftest import messages_of, url
from tests.factories import DefenseSessionFactory, DefenseSlotFactory, UserFactory, submitted_application

pytestmark = pytest.mark.django_db

KYIV = timezone.get_default_timezone()


def slot_in_session_today(*, session_began: bool, slot_in: timedelta) -> DefenseSlot:
    """A scheduled slot `slot_in` from now, in a session today that began an hour ago (or begins in an hour)."""
    now = timezone.localtime()
    begins = now - timedelta(hours=1) if session_began else now + timedelta(hours=1)
    session = DefenseSessionFactory(
        date=begins.date(), starts_at=begins.time().replace(second=0, microsecond=0), ends_at=time(23, 59, 59)
    )
    application = submitted_application(call=session.call, status=S.INVITED_TO_DEFENSE)
    return DefenseSlotFactory(session=session, application=application, starts_at=now + slot_in)


def test_the_chair_records_a_defense_during_the_session_before_the_slots_own_time(officer):
    slot = slot_in_session_today(session_began=True, slot_in=timedelta(minutes=30))

    with pytest.raises(ReviewError, match="^The defense has not started yet.$"):
        services.slot_mark_defended(slot=slot, actor=officer)
    services.slot_mark_defended(slot=slot, actor=slot.session.chair)

    slot.refresh_from_db()
    slot.application.refresh_from_db()
    assert (slot.status, slot.application.status) == (SlotStatus.DEFENDED, S.DEFENDED)


def test_nobody_records_a_defense_before_the_session_begins(officer):
    slot = slot_in_session_today(session_began=False, slot_in=timedelta(hours=2))

    for actor in (officer, slot.session.chair):
        with pytest.raises(ReviewError, match="^The defense has not started yet.$"):
            services.slot_mark_no_show(slot=slot, actor=actor)
    slot.refresh_from_db()
    assert slot.status == SlotStatus.SCHEDULED


def test_the_officer_records_the_outcome_after_the_fact(officer):
    slot = DefenseSlotFactory(started=True, starts_at=timezone.now() - timedelta(days=2))

    services.slot_mark_no_show(slot=slot, actor=officer)

    slot.refresh_from_db()
    assert slot.status == SlotStatus.NO_SHOW


def test_the_chairs_page_records_the_defense_and_refuses_other_reviewers(client):
    slot = slot_in_session_today(session_began=True, slot_in=timedelta(minutes=15))
    chair = slot.session.chair
    client.force_login(UserFactory(role=Role.REVIEWER))
    assert client.post(url("reviewing:chair_defended", slot.session_id, slot.pk)).status_code == 404
    client.force_login(chair)

    page = client.get(url("reviewing:chair", slot.session_id))
    response = client.post(url("reviewing:chair_defended", slot.session_id, slot.pk), follow=True)

    assert page.text.count('data-testid="record-slot"') == 1
    assert messages_of(response) == [f"{slot.application.reference} is marked as defended."]
    slot.refresh_from_db()
    assert slot.status == SlotStatus.DEFENDED
    assert 'data-testid="record-slot"' not in client.get(url("reviewing:chair", slot.session_id)).text


def test_the_applicant_sees_their_slot_in_kyiv_time_with_a_calendar_file_and_their_consultant(client):
    starts = datetime(2030, 5, 14, 11, 30, tzinfo=KYIV)
    session = DefenseSessionFactory(date=starts.date(), online_link="https://meet.example.org/1p1")
    slot = DefenseSlotFactory(session=session, starts_at=starts)
    application = slot.application
    consultant = UserFactory(role=Role.CONSULTANT, first_name="Ірина", last_name="Бойко", email="iryna@example.org")
    ConsultantAssignment.objects.create(application=application, consultant=consultant)
    client.force_login(application.applicant)

    detail = client.get(url("applications:application_detail", application.pk, lang="uk")).text
    dashboard = client.get(url("dashboard", lang="uk")).text
    ics = client.get(url("applicant_defense_ics", slot.pk))

    for page in (detail, dashboard):
        assert 'data-testid="applicant-defense"' in page
        assert "14.05.2030" in page and "11:30–12:00, за київським часом" in page
        assert "Львів, вул. Городоцька, 1" in page and "https://meet.example.org/1p1" in page
        assert "iryna@example.org" in page
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert "METHOD:PUBLISH" in ics.text and "DTSTART:20300514T083000Z" in ics.text


def test_nobody_else_downloads_an_applicants_calendar_file(client):
    slot = DefenseSlotFactory()
    client.force_login(UserFactory())

    assert client.get(url("applicant_defense_ics", slot.pk)).status_code == 404
