"""In real Chromium: staff sign in with the password and then a code from their authenticator app,
computed here from the enrolled secret (RFC 6238); a wrong code is refused in Ukrainian. A staff
member without an authenticator sets one up from the QR page on their first sign-in."""

import pytest

from accounts.roles import Role
from tests.e2e.browser import enter_totp_code
from tests.factories import PASSWORD, UserFactory
from tests.signin import TOTP_SECRET, totp_authenticator, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/uk/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_staff_give_the_code_after_the_password_and_a_wrong_one_is_refused(live_server, new_page):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    totp_authenticator(officer)
    page = new_page()

    password_step(page, live_server.url, officer.email)
    page.wait_for_url("**/uk/accounts/2fa/authenticate/")
    page.fill("input[name=code]", "123456" if totp_code(TOTP_SECRET) != "123456" else "654321")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    refused = page.text_content("main")
    still_asked = page.url
    enter_totp_code(page, totp_code(TOTP_SECRET))
    page.wait_for_url("**/uk/staff/")

    assert "Неправильний код." in refused
    assert still_asked == f"{live_server.url}/uk/accounts/2fa/authenticate/"
    assert page.text_content("[data-testid=current-user]") == "officer@example.org"


def test_staff_without_an_authenticator_set_one_up_on_their_first_sign_in(live_server, new_page):
    UserFactory(role=Role.APPROVER, email="approver@example.org")
    page = new_page()

    password_step(page, live_server.url, "approver@example.org")
    page.wait_for_url("**/uk/accounts/2fa/totp/activate/?next=*")
    qr_width = page.locator("main img").evaluate("img => img.naturalWidth")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/uk/accounts/2fa/recovery-codes/")
    codes = page.input_value("#recovery_codes").split()
    page.goto(f"{live_server.url}/uk/staff/decisions/")

    assert qr_width > 0
    assert len(codes) == 10
    assert page.url == f"{live_server.url}/uk/staff/decisions/"
