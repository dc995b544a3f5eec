"""The programme officers' defense-session pages: sessions of a call, scheduling, slots and panels."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.enums import ApplicationStatus, Region
from applications.models import Application
from reviews.enums import SlotStatus
from reviews.models import DefenseSession, DefenseSlot, PanelMember, Rubric
from reviews.rubrics.defaults import DEFAULT_CRITERIA
from reviews.rubrics.services import rubric_create_default
from reviews.sessions import services as scheduling
from tests.conftest import messages_of, one_and_many, url
from tests.factories import (
    CallFactory,
    ConflictDeclarationFactory,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PanelMemberFactory,
    RubricFactory,
    ScoreSheetFactory,
    UserFactory,
    plan_submitted_application,
    shortlisted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
DAY = date(2030, 6, 12)


def session_of(call, **kwargs) -> DefenseSession:
    fields = {"date": DAY, "starts_at": time(10), "ends_at": time(12), "slot_minutes": 30, "capacity": 4}
    session = DefenseSessionFactory(call=call, **{**fields, **kwargs})
    PanelMember.objects.create(session=session, reviewer=session.chair)
    return session


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def session(call):
    return session_of(call)


def session_data(chair, members=(), **overrides) -> dict:
    data = {
        "date": "2030-06-12",
        "starts_at": "10:00",
        "ends_at": "13:00",
        "venue": "Львів, вул. Городоцька, 1",
        "online_link": "",
        "region": Region.LVIV,
        "slot_minutes": "30",
        "capacity": "6",
        "chair": str(chair.pk),
        "members": [str(member.pk) for member in members],
    }
    return {**data, **overrides}


# --- Permissions ------------------------------------------------------------------------------------


def pages(call, session) -> list[str]:
    return [
        url("defense:call", call.pk),
        url("defense:session_create", call.pk),
        url("defense:session", session.pk),
        url("defense:session_edit", session.pk),
    ]


def test_anonymous_visitors_go_to_the_login_page(client, call, session):
    responses = [client.get(path) for path in pages(call, session)]

    assert [(r.status_code, r.url) for r in responses] == [
        (302, redirect_to_login(path).url) for path in pages(call, session)
    ]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CONSULTANT])
def test_applicants_reviewers_and_consultants_are_refused(client, call, session, role):
    client.force_login(UserFactory(role=role))

    assert [client.get(path).status_code for path in pages(call, session)] == [403, 403, 403, 403]


def test_approvers_see_the_pages_without_the_buttons(client, call, session):
    client.force_login(UserFactory(role=Role.APPROVER))
    slot = DefenseSlotFactory(session=session)

    call_page = client.get(url("defense:call", call.pk))
    session_page = client.get(url("defense:session", session.pk))

    assert (call_page.status_code, session_page.status_code) == (200, 200)
    assert ("Schedule automatically" in call_page.content.decode(), "New session" in call_page.content.decode()) == (
        False,
        False,
    )
    assert (
        url("defense:slot_cancel", slot.pk) in session_page.content.decode(),
        session_page.context["can_manage"],
    ) == (
        False,
        False,
    )
    assert [
        client.get(path).status_code
        for path in (url("defense:session_create", call.pk), url("defense:session_edit", session.pk))
    ] == [
        403,
        403,
    ]


def test_approvers_cannot_post(client, call, session):
    client.force_login(UserFactory(role=Role.APPROVER))
    slot = DefenseSlotFactory(session=session)
    posts = [
        url("defense:schedule_automatically", call.pk),
        url("defense:session_create", call.pk),
        url("defense:session_edit", session.pk),
        url("defense:slot_schedule", session.pk),
        url("defense:member_add", session.pk),
        url("defense:slot_move", slot.pk),
        url("defense:slot_cancel", slot.pk),
        url("defense:slot_no_show", slot.pk),
        url("defense:slot_defended", slot.pk),
    ]

    assert [client.post(path, {"note": "x"}).status_code for path in posts] == [403] * 9
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.SCHEDULED


def test_the_screening_queue_links_to_the_defense_sessions(officer_client, call):
    with translation.override("en"):
        response = officer_client.get(reverse("staff:queue", args=[call.pk]))

    assert f'href="{url("defense:call", call.pk)}" data-testid="defense-sessions"' in response.content.decode()


# --- The call's sessions ----------------------------------------------------------------------------


def test_the_call_page_creates_the_default_rubric_once(officer_client, call):
    officer_client.get(url("defense:call", call.pk))
    officer_client.get(url("defense:call", call.pk))

    assert (Rubric.objects.filter(call=call).count(), call.rubric.criteria.count()) == (1, len(DEFAULT_CRITERIA))


def test_the_call_page_lists_sessions_and_the_applications_waiting(officer_client, call, session):
    PanelMemberFactory(session=session)
    DefenseSlotFactory(session=session)
    first = plan_submitted_application(call=call, region=Region.KYIV_CITY)
    DefenseSlotFactory(session=session, application=plan_submitted_application(call=call), status=SlotStatus.SCHEDULED)
    shortlisted_application(call=call)

    response = officer_client.get(url("defense:call", call.pk))

    row = response.context["sessions"][0]
    assert (row.n_members, row.n_held, row.capacity) == (2, 2, 4)
    assert [a.reference for a in response.context["waiting"]] == [first.reference]
    assert '<td class="text-end" data-testid="session-load">2 / 4</td>' in response.content.decode()


def test_scheduling_automatically_reports_what_was_scheduled_and_what_did_not_fit(officer_client, call):
    session_of(call, capacity=1)
    first, second = plan_submitted_application(call=call), plan_submitted_application(call=call)

    response = officer_client.post(url("defense:schedule_automatically", call.pk), follow=True)

    assert messages_of(response) == [
        "1 application scheduled.",
        f"No free slot left for: {second.reference}. Add a session or more capacity.",
    ]
    assert list(DefenseSlot.objects.values_list("application_id", "status")) == [(first.pk, SlotStatus.SCHEDULED)]
    assert [a.reference for a in response.context["waiting"]] == [second.reference]


# --- Creating and editing a session -----------------------------------------------------------------


def test_a_session_ending_before_it_starts_is_refused_and_the_values_kept(officer_client, call):
    chair = UserFactory(role=Role.REVIEWER)

    response = officer_client.post(
        url("defense:session_create", call.pk), session_data(chair, starts_at="14:00", ends_at="13:00")
    )

    assert response.status_code == 200
    assert messages_of(response) == ["The session is not saved yet: please correct the highlighted fields."]
    assert response.context["form"].errors == {"ends_at": ["The session must end after it starts."]}
    assert ('value="Львів, вул. Городоцька, 1"' in response.content.decode(), DefenseSession.objects.count()) == (
        True,
        0,
    )


def test_a_session_without_venue_or_link_is_refused(officer_client, call):
    chair = UserFactory(role=Role.REVIEWER)

    response = officer_client.post(url("defense:session_create", call.pk), session_data(chair, venue="", capacity="7"))

    assert response.context["form"].errors == {"__all__": ["Give the venue, the online link, or both."]}
    assert ('name="capacity" value="7"' in response.content.decode(), DefenseSession.objects.count()) == (True, 0)


def test_a_chair_who_is_not_a_reviewer_is_refused(officer_client, call):
    response = officer_client.post(
        url("defense:session_create", call.pk), session_data(UserFactory(role=Role.APPLICANT))
    )

    assert response.context["form"].errors == {"chair": ["The chair must be one of the reviewers."]}


def test_creating_a_session_puts_the_chair_on_the_panel(officer_client, call):
    chair, member = UserFactory(role=Role.REVIEWER), UserFactory(role=Role.REVIEWER)

    response = officer_client.post(
        url("defense:session_create", call.pk), session_data(chair, [member], online_link="https://meet.example.org/a")
    )

    session = DefenseSession.objects.get()
    assert response.url == url("defense:session", session.pk)
    assert (session.call, session.chair, session.starts_at, session.ends_at, session.capacity) == (
        call,
        chair,
        time(10),
        time(13),
        6,
    )
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([chair.pk, member.pk])


def test_editing_the_panel_adds_and_removes_members(officer_client, call, session):
    leaving = PanelMemberFactory(session=session).reviewer
    joining = UserFactory(role=Role.REVIEWER)

    response = officer_client.post(url("defense:session_edit", session.pk), session_data(session.chair, [joining]))

    assert response.url == url("defense:session", session.pk)
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([session.chair_id, joining.pk])
    assert PanelMember.objects.filter(reviewer=leaving).count() == 0


def test_a_member_who_declared_cannot_be_removed(officer_client, call, session):
    declared = PanelMemberFactory(session=session).reviewer
    slot = DefenseSlotFactory(session=session, starts_at=scheduling.session_slots(session)[0])
    ConflictDeclarationFactory(application=slot.application, reviewer=declared)

    response = officer_client.post(url("defense:session_edit", session.pk), session_data(session.chair, []))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"{declared} cannot leave the panel: they have already declared a conflict of interest or scored an "
        "application of this session."
    ]
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([session.chair_id, declared.pk])
    assert DefenseSession.objects.get(pk=session.pk).ends_at == time(12)


def test_shrinking_a_session_below_its_scheduled_slots_is_refused(officer_client, call, session):
    application = plan_submitted_application(call=call)
    scheduling.slot_schedule(session=session, application=application, actor=UserFactory(role=Role.PROGRAMME_OFFICER))
    scheduling.slot_schedule(
        session=session,
        application=plan_submitted_application(call=call),
        actor=UserFactory(role=Role.PROGRAMME_OFFICER),
    )

    response = officer_client.post(url("defense:session_edit", session.pk), session_data(session.chair, capacity="1"))

    assert response.context["form"].non_field_errors() == [
        "2 applications already have their slots in this session; the new date, times, slot length or capacity "
        "would leave some of them without one. Move them first."
    ]


# --- Slots ------------------------------------------------------------------------------------------


def test_scheduling_one_application_into_a_named_slot(officer_client, call, session):
    application = plan_submitted_application(call=call)
    eleven = scheduling.session_slots(session)[2]

    response = officer_client.post(
        url("defense:slot_schedule", session.pk),
        {"application": application.pk, "starts_at": eleven.isoformat()},
        follow=True,
    )

    assert messages_of(response) == [f"{application.reference} is scheduled at 11:00."]
    slot = DefenseSlot.objects.get()
    assert (slot.session, slot.starts_at, slot.status) == (session, eleven, SlotStatus.SCHEDULED)
    assert Application.objects.get(pk=application.pk).status == S.INVITED_TO_DEFENSE


def test_scheduling_without_a_choice_is_refused(officer_client, session):
    response = officer_client.post(url("defense:slot_schedule", session.pk), {"application": ""}, follow=True)

    assert messages_of(response) == ["Choose the application to schedule."]


def test_moving_a_slot_to_another_session(officer_client, call, session, officer):
    other = session_of(call, date=DAY + timedelta(days=1))
    slot = scheduling.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)
    target = scheduling.session_slots(other)[1]

    response = officer_client.post(
        url("defense:slot_move", slot.pk), {"target": f"{other.pk}|{target.isoformat()}"}, follow=True
    )

    assert messages_of(response) == [f"{slot.application.reference} is moved to 13.06.2030 10:30, session of {other}."]
    assert list(DefenseSlot.objects.order_by("pk").values_list("session_id", "starts_at", "status")) == [
        (session.pk, slot.starts_at, SlotStatus.CANCELLED),
        (other.pk, target, SlotStatus.SCHEDULED),
    ]


def test_moving_to_a_taken_slot_is_refused(officer_client, call, session, officer):
    slot = scheduling.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)
    taken = scheduling.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)

    response = officer_client.post(
        url("defense:slot_move", slot.pk), {"target": f"{session.pk}|{taken.starts_at.isoformat()}"}, follow=True
    )

    assert messages_of(response) == ["That slot is no longer free; reload the page and choose another."]


def test_cancelling_needs_a_reason(officer_client, call, session, officer):
    slot = scheduling.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)

    refused = officer_client.post(url("defense:slot_cancel", slot.pk), {"note": " "}, follow=True)
    done = officer_client.post(url("defense:slot_cancel", slot.pk), {"note": "Захворіла"}, follow=True)

    assert (messages_of(refused), messages_of(done)) == (
        ["Say briefly why the slot is cancelled."],
        [f"The slot of {slot.application.reference} is cancelled."],
    )
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.CANCELLED
    assert [a.pk for a in done.context["schedule_form"].fields["application"].queryset] == [slot.application_id]


def test_a_future_slot_cannot_be_marked_a_no_show(officer_client, call, session, officer):
    slot = scheduling.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)

    response = officer_client.post(url("defense:slot_no_show", slot.pk), follow=True)

    assert messages_of(response) == ["The defense has not started yet."]
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.SCHEDULED


def test_marking_a_no_show(officer_client, session):
    slot = DefenseSlotFactory(session=session, started=True)

    response = officer_client.post(url("defense:slot_no_show", slot.pk), follow=True)

    assert messages_of(response) == [f"{slot.application.reference} is marked as not attending."]
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.NO_SHOW


def test_marking_defended_moves_the_application_on(officer_client, session):
    slot = DefenseSlotFactory(session=session, started=True)

    response = officer_client.post(url("defense:slot_defended", slot.pk), follow=True)
    again = officer_client.post(url("defense:slot_defended", slot.pk), follow=True)

    assert (messages_of(response), messages_of(again)) == (
        [f"{slot.application.reference} is marked as defended."],
        ["This slot is already “Defended”."],
    )
    assert (DefenseSlot.objects.get(pk=slot.pk).status, Application.objects.get(pk=slot.application_id).status) == (
        SlotStatus.DEFENDED,
        S.DEFENDED,
    )


def test_the_session_page_lists_slots_in_time_order(officer_client, call, session, officer):
    late = scheduling.slot_schedule(
        session=session,
        application=plan_submitted_application(call=call),
        actor=officer,
        starts_at=scheduling.session_slots(session)[3],
    )
    early = scheduling.slot_schedule(session=session, application=plan_submitted_application(call=call), actor=officer)

    response = officer_client.get(url("defense:session", session.pk))

    assert response.context["slots"] == [early, late]
    assert f'href="/en/reviewing/sessions/{session.pk}/chair/"' in response.content.decode()


# --- Panel and shortfall ----------------------------------------------------------------------------


def test_the_shortfall_counts_only_submitted_scores_without_a_conflict(officer_client, call, session):
    RubricFactory(call=call, min_independent_scores=3)
    free, conflicted, drafting = (PanelMemberFactory(session=session).reviewer for _ in range(3))
    slot = DefenseSlotFactory(session=session)
    application = slot.application
    for reviewer in (free, drafting, session.chair):
        ConflictDeclarationFactory(application=application, reviewer=reviewer)
    ConflictDeclarationFactory(application=application, reviewer=conflicted, conflicted=True, reason="Кум")
    ScoreSheetFactory(application=application, reviewer=free, submitted=True)
    ScoreSheetFactory(application=application, reviewer=conflicted, submitted=True)
    ScoreSheetFactory(application=application, reviewer=drafting)
    DefenseSlotFactory(session=session, status=SlotStatus.CANCELLED)

    response = officer_client.get(url("defense:session", session.pk))

    assert [
        (c.slot, c.independent, c.free_members, c.short_by, c.panel_short_by) for c in response.context["coverage"]
    ] == [(slot, 1, 3, 2, 0)]
    assert '<span class="badge text-bg-warning">short of 2</span>' in response.content.decode()


def test_a_panel_too_small_is_flagged(officer_client, call, session):
    rubric_create_default(call=call)
    DefenseSlotFactory(session=session)

    response = officer_client.get(url("defense:session", session.pk))

    assert [(c.independent, c.free_members, c.short_by, c.panel_short_by) for c in response.context["coverage"]] == [
        (0, 1, 3, 2)
    ]
    assert "panel short of 2 reviewers" in response.content.decode()


def test_adding_a_reviewer_to_the_panel(officer_client, session):
    reviewer = UserFactory(role=Role.REVIEWER)

    response = officer_client.post(url("defense:member_add", session.pk), {"reviewer": reviewer.pk}, follow=True)
    again = officer_client.post(url("defense:member_add", session.pk), {"reviewer": reviewer.pk}, follow=True)

    assert (messages_of(response), messages_of(again)) == (
        [f"{reviewer} is added to the panel."],
        ["That person is not a reviewer, or is already on the panel."],
    )
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([session.chair_id, reviewer.pk])


# --- Queries ----------------------------------------------------------------------------------------


@one_and_many(20)
def test_the_session_page_runs_the_same_queries_for_one_slot_as_for_twenty(officer_client, page_queries, call, size):
    session = session_of(call, ends_at=time(20), capacity=20)
    rubric_create_default(call=call)
    session_of(call, date=DAY + timedelta(days=1))
    reviewers = [PanelMemberFactory(session=session).reviewer for _ in range(3)]
    for starts_at in scheduling.session_slots(session)[:size]:
        slot = DefenseSlotFactory(session=session, starts_at=starts_at)
        ConflictDeclarationFactory(application=slot.application, reviewer=reviewers[0])
        ScoreSheetFactory(application=slot.application, reviewer=reviewers[0], submitted=True)
        plan_submitted_application(call=call)

    page_queries(15, url("defense:session", session.pk))


@one_and_many(20)
def test_the_call_page_runs_the_same_queries_for_one_session_as_for_twenty(officer_client, page_queries, call, size):
    rubric_create_default(call=call)
    session_of(call)
    plan_submitted_application(call=call)
    for day in range(1, size):
        DefenseSlotFactory(session=session_of(call, date=DAY + timedelta(days=day)))
        plan_submitted_application(call=call)

    page_queries(7, url("defense:call", call.pk))
