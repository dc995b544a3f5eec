"""What every browser test does: sign in through the real login form, and for staff through the
real authenticator-app step, with the code an app would show for the enrolled secret."""

from accounts.models import User
from accounts.roles import requires_second_factor
from tests.factories import PASSWORD
from tests.signin import TOTP_SECRET, totp_authenticator, totp_code

# A code is accepted once (allauth remembers used codes); the server accepts the previous, the
# current and the next period's code (MFA_TOTP_TOLERANCE), so a second sign-in within the same 30
# seconds uses the next one.
_used_codes: set[tuple[int, str]] = set()


def fresh_totp_code(user) -> str:
    for steps_ahead in (0, 1, -1):
        code = totp_code(TOTP_SECRET, steps_ahead=steps_ahead)
        if (user.pk, code) not in _used_codes:
            _used_codes.add((user.pk, code))
            return code
    raise AssertionError(f"{user.email} signed in more than three times in 30 seconds")


def sign_in(page, base_url: str, email: str, next_path: str = "", *, language: str = "uk") -> None:
    """Sign in on the login page (Ukrainian by default); with `next_path`, land there afterwards. Staff are given
    an authenticator app (tests.signin.TOTP_SECRET) if they have none, and enter its code."""
    user = User.objects.get(email=email)
    if requires_second_factor(user):
        totp_authenticator(user)
    page.goto(f"{base_url}/{language}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if requires_second_factor(user):
        enter_totp_code(page, fresh_totp_code(user))


def enter_totp_code(page, code: str) -> None:
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", code)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
