"""`Application.available_moves(actor)` reads the move table with the actor's roles and ownership, and the
pages show the buttons it allows."""

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.exceptions import InvalidTransition
from applications.selectors import applicant_actions
from applications.services import application_move
from applications.staff.selectors import screening_actions
from common.exceptions import InvalidMove
from tests.factories import UserFactory, submitted_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def application():
    return submitted_application()


def actor(who: str, application):
    if who == "owner":
        return application.applicant
    return UserFactory(role={"other_applicant": Role.APPLICANT, "officer": Role.PROGRAMME_OFFICER}.get(who, who))


@pytest.mark.parametrize(
    ("who", "moves"),
    [
        ("owner", [S.WITHDRAWN]),
        ("other_applicant", []),
        ("officer", [S.SHORTLISTED, S.REJECTED]),
        (Role.APPROVER, []),
        (Role.REVIEWER, []),
        (Role.CONSULTANT, []),
    ],
)
def test_available_moves_of_a_submitted_application_by_role(application, who, moves):
    assert application.available_moves(actor(who, application)) == moves


def test_a_rejected_application_has_no_moves_for_anyone(application):
    officer = actor("officer", application)
    application_move(application, S.REJECTED, actor=officer)
    application.refresh_from_db()

    assert (application.available_moves(officer), application.available_moves(application.applicant)) == ([], [])


def test_only_the_applicant_is_offered_the_withdrawal(application):
    officer = actor("officer", application)

    assert applicant_actions(application.applicant, application).can_withdraw is True
    assert applicant_actions(officer, application).can_withdraw is False


def test_the_screening_buttons_follow_the_viewers_moves(application):
    officer, approver = actor("officer", application), actor(Role.APPROVER, application)

    by_officer, by_approver = screening_actions(officer, application), screening_actions(approver, application)

    assert (by_officer.can_screen, by_officer.can_shortlist, by_officer.can_reject) == (True, True, True)
    assert (by_approver.can_screen, by_approver.can_shortlist, by_approver.can_reject) == (False, False, False)


def test_a_refused_move_is_an_invalid_move_in_the_users_words(application):
    with pytest.raises(InvalidMove) as refused:
        application_move(application, S.AWARDED, actor=actor("officer", application))

    assert isinstance(refused.value, InvalidTransition)
    assert refused.value.message == "An application that is “Submitted” cannot become “Awarded”."


def test_the_withdraw_link_shows_on_the_applicants_page_until_the_application_is_final(client, application):
    client.force_login(application.applicant)
    link = f"/en/applications/{application.pk}/withdraw/"

    open_page = client.get(f"/en/applications/{application.pk}/")
    application_move(application, S.REJECTED, actor=actor("officer", application))
    final_page = client.get(f"/en/applications/{application.pk}/")

    assert (link in open_page.text, link in final_page.text) == (True, False)
