"""The programme officers' defense-session pages: sessions of a call, scheduling, slots and panels."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from applications.enums import ApplicationStatus, Region
from applications.models import Application
from reviews.enums import SheetStatus, SlotStatus
from reviews.models import ConflictDeclaration, DefenseSession, DefenseSlot, PanelMember, Rubric, ScoreSheet
from reviews.rubrics.defaults import DEFAULT_CRITERIA
from reviews.rubrics.services import rubric_create_default
from reviews.sessions import services as scheduling
from tests.factories import (
    CallFactory,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PanelMemberFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
DAY = date(2030, 6, 12)


def url(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"defense:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def waiting(call, region=Region.LVIV) -> Application:
    application = shortlisted_application(call=call, region=region)
    PlanVersionFactory(plan__application=application, submitted_at=timezone.now())
    Application.objects.filter(pk=application.pk).update(status=S.PLAN_SUBMITTED)
    application.refresh_from_db()
    return application


def session_of(call, **kwargs) -> DefenseSession:
    fields = {"date": DAY, "starts_at": time(10), "ends_at": time(12), "slot_minutes": 30, "capacity": 4}
    session = DefenseSessionFactory(call=call, **{**fields, **kwargs})
    PanelMember.objects.create(session=session, reviewer=session.chair)
    return session


def past_slot(session) -> DefenseSlot:
    """A scheduled slot that started an hour ago, its application invited to defense."""
    slot = DefenseSlotFactory(session=session, starts_at=timezone.now() - timedelta(hours=1))
    Application.objects.filter(pk=slot.application_id).update(status=S.INVITED_TO_DEFENSE)
    return slot


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROGRAMME_OFFICER)


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def session(call):
    return session_of(call)


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


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
        url("call", call.pk),
        url("session_create", call.pk),
        url("session", session.pk),
        url("session_edit", session.pk),
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

    call_page = client.get(url("call", call.pk))
    session_page = client.get(url("session", session.pk))

    assert (call_page.status_code, session_page.status_code) == (200, 200)
    assert ("Schedule automatically" in call_page.content.decode(), "New session" in call_page.content.decode()) == (
        False,
        False,
    )
    assert (url("slot_cancel", slot.pk) in session_page.content.decode(), session_page.context["can_manage"]) == (
        False,
        False,
    )
    assert [
        client.get(path).status_code for path in (url("session_create", call.pk), url("session_edit", session.pk))
    ] == [
        403,
        403,
    ]


def test_approvers_cannot_post(client, call, session):
    client.force_login(UserFactory(role=Role.APPROVER))
    slot = DefenseSlotFactory(session=session)
    posts = [
        url("schedule_automatically", call.pk),
        url("session_create", call.pk),
        url("session_edit", session.pk),
        url("slot_schedule", session.pk),
        url("member_add", session.pk),
        url("slot_move", slot.pk),
        url("slot_cancel", slot.pk),
        url("slot_no_show", slot.pk),
        url("slot_defended", slot.pk),
    ]

    assert [client.post(path, {"note": "x"}).status_code for path in posts] == [403] * 9
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.SCHEDULED


def test_the_screening_queue_links_to_the_defense_sessions(as_officer, call):
    with translation.override("en"):
        response = as_officer.get(reverse("staff:queue", args=[call.pk]))

    assert f'href="{url("call", call.pk)}" data-testid="defense-sessions"' in response.content.decode()


# --- The call's sessions ----------------------------------------------------------------------------


def test_the_call_page_creates_the_default_rubric_once(as_officer, call):
    as_officer.get(url("call", call.pk))
    as_officer.get(url("call", call.pk))

    assert (Rubric.objects.filter(call=call).count(), call.rubric.criteria.count()) == (1, len(DEFAULT_CRITERIA))


def test_the_call_page_lists_sessions_and_the_applications_waiting(as_officer, call, session):
    PanelMemberFactory(session=session)
    DefenseSlotFactory(session=session)
    first = waiting(call, region=Region.KYIV_CITY)
    DefenseSlotFactory(session=session, application=waiting(call), status=SlotStatus.SCHEDULED)
    shortlisted_application(call=call)

    response = as_officer.get(url("call", call.pk))

    row = response.context["sessions"][0]
    assert (row.n_members, row.n_held, row.capacity) == (2, 2, 4)
    assert [a.reference for a in response.context["waiting"]] == [first.reference]
    assert '<td class="text-end" data-testid="session-load">2 / 4</td>' in response.content.decode()


def test_scheduling_automatically_reports_what_was_scheduled_and_what_did_not_fit(as_officer, call):
    session_of(call, capacity=1)
    first, second = waiting(call), waiting(call)

    response = as_officer.post(url("schedule_automatically", call.pk), follow=True)

    assert messages_of(response) == [
        "1 application scheduled.",
        f"No free slot left for: {second.reference}. Add a session or more capacity.",
    ]
    assert list(DefenseSlot.objects.values_list("application_id", "status")) == [(first.pk, SlotStatus.SCHEDULED)]
    assert [a.reference for a in response.context["waiting"]] == [second.reference]


# --- Creating and editing a session -----------------------------------------------------------------


def test_a_session_ending_before_it_starts_is_refused_and_the_values_kept(as_officer, call):
    chair = UserFactory(role=Role.REVIEWER)

    response = as_officer.post(url("session_create", call.pk), session_data(chair, starts_at="14:00", ends_at="13:00"))

    assert response.status_code == 200
    assert messages_of(response) == ["The session is not saved yet: please correct the highlighted fields."]
    assert response.context["form"].errors == {"ends_at": ["The session must end after it starts."]}
    assert ('value="Львів, вул. Городоцька, 1"' in response.content.decode(), DefenseSession.objects.count()) == (
        True,
        0,
    )


def test_a_session_without_venue_or_link_is_refused(as_officer, call):
    chair = UserFactory(role=Role.REVIEWER)

    response = as_officer.post(url("session_create", call.pk), session_data(chair, venue="", capacity="7"))

    assert response.context["form"].errors == {"__all__": ["Give the venue, the online link, or both."]}
    assert ('name="capacity" value="7"' in response.content.decode(), DefenseSession.objects.count()) == (True, 0)


def test_a_chair_who_is_not_a_reviewer_is_refused(as_officer, call):
    response = as_officer.post(url("session_create", call.pk), session_data(UserFactory(role=Role.APPLICANT)))

    assert response.context["form"].errors == {"chair": ["The chair must be one of the reviewers."]}


def test_creating_a_session_puts_the_chair_on_the_panel(as_officer, call):
    chair, member = UserFactory(role=Role.REVIEWER), UserFactory(role=Role.REVIEWER)

    response = as_officer.post(
        url("session_create", call.pk), session_data(chair, [member], online_link="https://meet.example.org/a")
    )

    session = DefenseSession.objects.get()
    assert response.url == url("session", session.pk)
    assert (session.call, session.chair, session.starts_at, session.ends_at, session.capacity) == (
        call,
        chair,
        time(10),
        time(13),
        6,
    )
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([chair.pk, member.pk])


def test_editing_the_panel_adds_and_removes_members(as_officer, call, session):
    leaving = PanelMemberFactory(session=session).reviewer
    joining = UserFactory(role=Role.REVIEWER)

    response = as_officer.post(url("session_edit", session.pk), session_data(session.chair, [joining]))

    assert response.url == url("session", session.pk)
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([session.chair_id, joining.pk])
    assert PanelMember.objects.filter(reviewer=leaving).count() == 0


def test_a_member_who_declared_cannot_be_removed(as_officer, call, session):
    declared = PanelMemberFactory(session=session).reviewer
    slot = DefenseSlotFactory(session=session, starts_at=scheduling.session_slots(session)[0])
    ConflictDeclaration.objects.create(application=slot.application, reviewer=declared, conflicted=False)

    response = as_officer.post(url("session_edit", session.pk), session_data(session.chair, []))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"{declared} cannot leave the panel: they have already declared a conflict of interest or scored an "
        "application of this session."
    ]
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([session.chair_id, declared.pk])
    assert DefenseSession.objects.get(pk=session.pk).ends_at == time(12)


def test_shrinking_a_session_below_its_scheduled_slots_is_refused(as_officer, call, session):
    application = waiting(call)
    scheduling.slot_schedule(session=session, application=application, actor=UserFactory(role=Role.PROGRAMME_OFFICER))
    scheduling.slot_schedule(session=session, application=waiting(call), actor=UserFactory(role=Role.PROGRAMME_OFFICER))

    response = as_officer.post(url("session_edit", session.pk), session_data(session.chair, capacity="1"))

    assert response.context["form"].non_field_errors() == [
        "2 applications already have their slots in this session; the new date, times, slot length or capacity "
        "would leave some of them without one. Move them first."
    ]


# --- Slots ------------------------------------------------------------------------------------------


def test_scheduling_one_application_into_a_named_slot(as_officer, call, session):
    application = waiting(call)
    eleven = scheduling.session_slots(session)[2]

    response = as_officer.post(
        url("slot_schedule", session.pk), {"application": application.pk, "starts_at": eleven.isoformat()}, follow=True
    )

    assert messages_of(response) == [f"{application.reference} is scheduled at 11:00."]
    slot = DefenseSlot.objects.get()
    assert (slot.session, slot.starts_at, slot.status) == (session, eleven, SlotStatus.SCHEDULED)
    assert Application.objects.get(pk=application.pk).status == S.INVITED_TO_DEFENSE


def test_scheduling_without_a_choice_is_refused(as_officer, session):
    response = as_officer.post(url("slot_schedule", session.pk), {"application": ""}, follow=True)

    assert messages_of(response) == ["Choose the application to schedule."]


def test_moving_a_slot_to_another_session(as_officer, call, session, officer):
    other = session_of(call, date=DAY + timedelta(days=1))
    slot = scheduling.slot_schedule(session=session, application=waiting(call), actor=officer)
    target = scheduling.session_slots(other)[1]

    response = as_officer.post(url("slot_move", slot.pk), {"target": f"{other.pk}|{target.isoformat()}"}, follow=True)

    assert messages_of(response) == [f"{slot.application.reference} is moved to 13.06.2030 10:30, session of {other}."]
    assert list(DefenseSlot.objects.order_by("pk").values_list("session_id", "starts_at", "status")) == [
        (session.pk, slot.starts_at, SlotStatus.CANCELLED),
        (other.pk, target, SlotStatus.SCHEDULED),
    ]


def test_moving_to_a_taken_slot_is_refused(as_officer, call, session, officer):
    slot = scheduling.slot_schedule(session=session, application=waiting(call), actor=officer)
    taken = scheduling.slot_schedule(session=session, application=waiting(call), actor=officer)

    response = as_officer.post(
        url("slot_move", slot.pk), {"target": f"{session.pk}|{taken.starts_at.isoformat()}"}, follow=True
    )

    assert messages_of(response) == ["That slot is no longer free; reload the page and choose another."]


def test_cancelling_needs_a_reason(as_officer, call, session, officer):
    slot = scheduling.slot_schedule(session=session, application=waiting(call), actor=officer)

    refused = as_officer.post(url("slot_cancel", slot.pk), {"note": " "}, follow=True)
    done = as_officer.post(url("slot_cancel", slot.pk), {"note": "Захворіла"}, follow=True)

    assert (messages_of(refused), messages_of(done)) == (
        ["Say briefly why the slot is cancelled."],
        [f"The slot of {slot.application.reference} is cancelled."],
    )
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.CANCELLED
    assert [a.pk for a in done.context["schedule_form"].fields["application"].queryset] == [slot.application_id]


def test_a_future_slot_cannot_be_marked_a_no_show(as_officer, call, session, officer):
    slot = scheduling.slot_schedule(session=session, application=waiting(call), actor=officer)

    response = as_officer.post(url("slot_no_show", slot.pk), follow=True)

    assert messages_of(response) == ["The defense has not started yet."]
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.SCHEDULED


def test_marking_a_no_show(as_officer, session):
    slot = past_slot(session)

    response = as_officer.post(url("slot_no_show", slot.pk), follow=True)

    assert messages_of(response) == [f"{slot.application.reference} is marked as not attending."]
    assert DefenseSlot.objects.get(pk=slot.pk).status == SlotStatus.NO_SHOW


def test_marking_defended_moves_the_application_on(as_officer, session):
    slot = past_slot(session)

    response = as_officer.post(url("slot_defended", slot.pk), follow=True)
    again = as_officer.post(url("slot_defended", slot.pk), follow=True)

    assert (messages_of(response), messages_of(again)) == (
        [f"{slot.application.reference} is marked as defended."],
        ["This slot is already “Defended”."],
    )
    assert (DefenseSlot.objects.get(pk=slot.pk).status, Application.objects.get(pk=slot.application_id).status) == (
        SlotStatus.DEFENDED,
        S.DEFENDED,
    )


def test_the_session_page_lists_slots_in_time_order(as_officer, call, session, officer):
    late = scheduling.slot_schedule(
        session=session, application=waiting(call), actor=officer, starts_at=scheduling.session_slots(session)[3]
    )
    early = scheduling.slot_schedule(session=session, application=waiting(call), actor=officer)

    response = as_officer.get(url("session", session.pk))

    assert response.context["slots"] == [early, late]
    assert f'href="/en/reviewing/sessions/{session.pk}/chair/"' in response.content.decode()


# --- Panel and shortfall ----------------------------------------------------------------------------


def test_the_shortfall_counts_only_submitted_scores_without_a_conflict(as_officer, call, session):
    rubric = rubric_create_default(call=call)
    rubric.min_independent_scores = 3
    rubric.save()
    free, conflicted, drafting = (PanelMemberFactory(session=session).reviewer for _ in range(3))
    slot = DefenseSlotFactory(session=session)
    application = slot.application
    for reviewer in (free, drafting, session.chair):
        ConflictDeclaration.objects.create(application=application, reviewer=reviewer, conflicted=False)
    ConflictDeclaration.objects.create(application=application, reviewer=conflicted, conflicted=True, reason="Кум")
    ScoreSheet.objects.create(application=application, reviewer=free, status=SheetStatus.SUBMITTED)
    ScoreSheet.objects.create(application=application, reviewer=conflicted, status=SheetStatus.SUBMITTED)
    ScoreSheet.objects.create(application=application, reviewer=drafting, status=SheetStatus.DRAFT)
    DefenseSlotFactory(session=session, status=SlotStatus.CANCELLED)

    response = as_officer.get(url("session", session.pk))

    assert [
        (c.slot, c.independent, c.free_members, c.short_by, c.panel_short_by) for c in response.context["coverage"]
    ] == [(slot, 1, 3, 2, 0)]
    assert '<span class="badge text-bg-warning">short of 2</span>' in response.content.decode()


def test_a_panel_too_small_is_flagged(as_officer, call, session):
    rubric_create_default(call=call)
    DefenseSlotFactory(session=session)

    response = as_officer.get(url("session", session.pk))

    assert [(c.independent, c.free_members, c.short_by, c.panel_short_by) for c in response.context["coverage"]] == [
        (0, 1, 3, 2)
    ]
    assert "panel short of 2 reviewers" in response.content.decode()


def test_adding_a_reviewer_to_the_panel(as_officer, session):
    reviewer = UserFactory(role=Role.REVIEWER)

    response = as_officer.post(url("member_add", session.pk), {"reviewer": reviewer.pk}, follow=True)
    again = as_officer.post(url("member_add", session.pk), {"reviewer": reviewer.pk}, follow=True)

    assert (messages_of(response), messages_of(again)) == (
        [f"{reviewer} is added to the panel."],
        ["That person is not a reviewer, or is already on the panel."],
    )
    assert sorted(session.members.values_list("reviewer_id", flat=True)) == sorted([session.chair_id, reviewer.pk])


# --- Queries ----------------------------------------------------------------------------------------


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_session_page_runs_the_same_queries_for_one_slot_as_for_twenty(as_officer, call):
    session = session_of(call, ends_at=time(20), capacity=20)
    rubric_create_default(call=call)
    session_of(call, date=DAY + timedelta(days=1))
    reviewers = [PanelMemberFactory(session=session).reviewer for _ in range(3)]
    times = scheduling.session_slots(session)

    def slot_at(index):
        slot = DefenseSlotFactory(session=session, starts_at=times[index])
        ConflictDeclaration.objects.create(application=slot.application, reviewer=reviewers[0], conflicted=False)
        ScoreSheet.objects.create(application=slot.application, reviewer=reviewers[0], status=SheetStatus.SUBMITTED)

    slot_at(0)
    waiting(call)
    one = queries_for(as_officer, url("session", session.pk))
    for index in range(1, 20):
        slot_at(index)
        waiting(call)
    many = queries_for(as_officer, url("session", session.pk))

    assert (one, many) == (14, 14)


def test_the_call_page_runs_the_same_queries_for_one_session_as_for_twenty(as_officer, call):
    rubric_create_default(call=call)
    session_of(call)
    waiting(call)
    one = queries_for(as_officer, url("call", call.pk))
    for day in range(1, 20):
        DefenseSlotFactory(session=session_of(call, date=DAY + timedelta(days=day)))
        waiting(call)
    many = queries_for(as_officer, url("call", call.pk))

    assert (one, many) == (7, 7)
