"""Staff sessions end after 30 minutes idle or 12 hours in all; applicants' last 14 days (accounts.sessions).

Time is moved by moving the session's own timestamps back; nothing sleeps.
"""

import time

import pytest

from accounts.roles import Role
from accounts.sessions import SEEN_AT, SIGNED_IN_AT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE


def move_back(client, *, signed_in: float, seen: float) -> None:
    """Make the session look as if its user signed in `signed_in` seconds ago and was last seen `seen` ago."""
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in
    session[SEEN_AT] = now - seen
    session.save()


@pytest.fixture
def officer_client(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    return client


def test_a_staff_session_idle_for_29_minutes_goes_on(officer_client):
    move_back(officer_client, signed_in=29 * MINUTE, seen=29 * MINUTE)

    response = officer_client.get("/uk/staff/")

    assert response.status_code == 200
    assert time.time() - officer_client.session[SEEN_AT] < 5  # being seen restarts the idle clock


def test_a_staff_session_idle_for_31_minutes_is_signed_out(officer_client):
    move_back(officer_client, signed_in=31 * MINUTE, seen=31 * MINUTE)

    response = officer_client.get("/uk/staff/")

    assert response.status_code == 302
    assert response["Location"] == "/uk/accounts/login/?next=%2Fuk%2Fstaff%2F"
    assert "_auth_user_id" not in officer_client.session
    login_page = officer_client.get(response["Location"])
    assert "Ваш сеанс завершився. Увійдіть знову." in login_page.text


def test_an_active_staff_session_ends_12_hours_after_signing_in(officer_client):
    move_back(officer_client, signed_in=11 * HOUR + 59 * MINUTE, seen=MINUTE)
    assert officer_client.get("/uk/staff/").status_code == 200

    move_back(officer_client, signed_in=12 * HOUR + MINUTE, seen=MINUTE)
    response = officer_client.get("/uk/staff/")

    assert response["Location"] == "/uk/accounts/login/?next=%2Fuk%2Fstaff%2F"


def test_polling_by_htmx_does_not_keep_a_staff_session_alive(officer_client):
    move_back(officer_client, signed_in=20 * MINUTE, seen=20 * MINUTE)
    seen_before = officer_client.session[SEEN_AT]

    officer_client.get("/uk/staff/", headers={"HX-Request": "true"})

    assert officer_client.session[SEEN_AT] == seen_before


def test_an_expired_staff_session_polled_by_htmx_reloads_the_whole_page_to_sign_in(officer_client):
    move_back(officer_client, signed_in=40 * MINUTE, seen=40 * MINUTE)

    response = officer_client.get("/uk/staff/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == "/uk/accounts/login/?next=%2Fuk%2Fstaff%2F"


def test_staff_session_cookies_and_rows_expire_after_30_idle_minutes(officer_client):
    officer_client.get("/uk/staff/")

    assert officer_client.session.get_expiry_age() == 30 * MINUTE


def test_an_applicants_session_lasts_14_days_idle(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    move_back(client, signed_in=13 * 24 * HOUR, seen=13 * 24 * HOUR)

    response = client.get("/uk/dashboard/")

    assert response.status_code == 200
    assert client.session.get_expiry_age() == 14 * 24 * HOUR
