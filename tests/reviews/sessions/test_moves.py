"""A defense slot's status changes only through `slot_move`, which writes its history; `available_moves`
reads the same table per role."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.services import application_move
from common.exceptions import InvalidMove
from reviews.enums import SLOT_MOVES, SlotStatus
from reviews.exceptions import ReviewError
from reviews.models import DefenseSlot, DefenseSlotStatusChange
from reviews.sessions import services
from tests.factories import (
    CallFactory,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PanelMemberFactory,
    UserFactory,
    shortlisted_application,
)

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2030, 6, 12)
S = ApplicationStatus


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROGRAMME_OFFICER)


def invited(call, officer):
    """A shortlisted application of the call moved on by the state machine to a submitted plan."""
    application = shortlisted_application(call=call)
    application_move(application, S.PLAN_SUBMITTED, actor=officer)
    application.refresh_from_db()
    return application


def started_slot(officer) -> DefenseSlot:
    """A scheduled slot that started an hour ago, its application invited to defense."""
    session = DefenseSessionFactory()
    application = invited(session.call, officer)
    application_move(application, S.INVITED_TO_DEFENSE, actor=officer)
    return DefenseSlotFactory(session=session, application=application, starts_at=timezone.now() - timedelta(hours=1))


def history(slot: DefenseSlot) -> list[tuple]:
    return [
        (change.from_status, change.to_status, change.actor, change.note_text)
        for change in DefenseSlotStatusChange.objects.filter(slot=slot)
    ]


def test_the_table_names_every_status_and_only_scheduled_moves():
    assert set(SLOT_MOVES.moves) == set(SlotStatus.values) == set(SLOT_MOVES.actors)
    assert [status for status, moves in SLOT_MOVES.moves.items() if moves] == [SlotStatus.SCHEDULED]


def test_cancelling_writes_who_from_to_and_the_reason(officer):
    slot = started_slot(officer)
    before = timezone.now()

    services.slot_cancel(slot=slot, actor=officer, note="Заявник захворів")

    change = DefenseSlotStatusChange.objects.get(slot=slot)
    assert history(slot) == [(SlotStatus.SCHEDULED, SlotStatus.CANCELLED, officer, "Заявник захворів")]
    assert change.created_at >= before


def test_the_chair_marks_a_no_show_and_defended_with_a_history_row_each(officer):
    first, second = started_slot(officer), started_slot(officer)

    services.slot_mark_no_show(slot=first, actor=first.session.chair)
    services.slot_mark_defended(slot=second, actor=second.session.chair)

    assert history(first) == [(SlotStatus.SCHEDULED, SlotStatus.NO_SHOW, first.session.chair, "")]
    assert history(second) == [(SlotStatus.SCHEDULED, SlotStatus.DEFENDED, second.session.chair, "")]


def test_giving_an_invited_application_a_new_time_cancels_its_old_slot_with_a_history_row(officer):
    call = CallFactory()
    session = DefenseSessionFactory(call=call, date=DAY, starts_at=time(10), ends_at=time(12), slot_minutes=30)
    application = invited(call, officer)
    old = services.slot_schedule(session=session, application=application, actor=officer)

    new = services.slot_schedule(
        session=session, application=application, actor=officer, starts_at=datetime.combine(DAY, time(11), KYIV)
    )

    old.refresh_from_db()
    assert (old.status, new.status) == (SlotStatus.CANCELLED, SlotStatus.SCHEDULED)
    assert history(old) == [
        (SlotStatus.SCHEDULED, SlotStatus.CANCELLED, officer, "Moved to 12.06.2030 11:00, session of 12.06.2030 10:00.")
    ]
    assert history(new) == []
    change = old.status_changes.get()
    assert (change.note, change.note_code) == ("", "moved")  # stored as a code, worded for each reader
    with translation.override("uk"):
        assert change.note_text == "Перенесено на 12.06.2030 11:00, засідання 12.06.2030 10:00."


def test_a_move_the_table_refuses_changes_nothing(officer):
    slot = started_slot(officer)
    services.slot_mark_no_show(slot=slot, actor=officer)

    with pytest.raises(InvalidMove) as refused:
        services.slot_move(slot, SlotStatus.CANCELLED, actor=officer, note="Запізно")

    slot.refresh_from_db()
    assert isinstance(refused.value, ReviewError)
    assert refused.value.message == "This slot is already “Did not attend”."
    assert slot.status == SlotStatus.NO_SHOW
    assert [change.to_status for change in DefenseSlotStatusChange.objects.filter(slot=slot)] == [SlotStatus.NO_SHOW]


def test_an_actor_the_table_leaves_out_is_refused_and_nothing_is_written(officer):
    slot = started_slot(officer)

    with pytest.raises(PermissionDenied):
        services.slot_move(slot, SlotStatus.CANCELLED, actor=slot.session.chair, note="Причина")

    slot.refresh_from_db()
    assert (slot.status, history(slot)) == (SlotStatus.SCHEDULED, [])


@pytest.mark.parametrize(
    ("who", "moves"),
    [
        ("officer", [SlotStatus.DEFENDED, SlotStatus.NO_SHOW, SlotStatus.CANCELLED]),
        ("chair", [SlotStatus.DEFENDED, SlotStatus.NO_SHOW]),
        ("panel_reviewer", []),
        ("approver", []),
        ("applicant", []),
    ],
)
def test_available_moves_of_a_scheduled_slot_by_role(officer, who, moves):
    slot = started_slot(officer)
    actors = {
        "officer": officer,
        "chair": slot.session.chair,
        "panel_reviewer": PanelMemberFactory(session=slot.session).reviewer,
        "approver": UserFactory(role=Role.APPROVER),
        "applicant": slot.application.applicant,
    }

    assert slot.available_moves(actors[who]) == moves


def test_a_finished_slot_has_no_moves_for_anyone(officer):
    slot = started_slot(officer)
    services.slot_mark_defended(slot=slot, actor=officer)
    slot.refresh_from_db()

    assert (slot.available_moves(officer), slot.available_moves(slot.session.chair)) == ([], [])
