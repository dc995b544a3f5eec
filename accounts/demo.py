"""The demo's second factor: every demo account that needs one (accounts.roles.requires_second_factor)
gets an authenticator app with one known secret, printed with the demo logins, so that `make demo`
stays walkable. `manage.py demo_totp <email>` prints the current code. Demo data only: a real
account's secret is never known, printed or shared.
"""

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model

from .mfa import totp_enrol
from .roles import requires_second_factor

DEMO_TOTP_SECRET = "ONEPLUSONEDEMOTOTPSECRETKEY23456"  # noqa: S105 - printed on purpose: demo data only


def demo_staff_enrol(stdout) -> None:
    """Enrol the demo's staff accounts that have no authenticator app yet, and say how to sign in."""
    for user in get_user_model().objects.filter(email__endswith="@example.org").order_by("email"):
        if requires_second_factor(user) and not Authenticator.objects.filter(user=user).exists():
            totp_enrol(user=user, secret=DEMO_TOTP_SECRET)
    stdout.write(
        "Staff accounts (officer, approver, consultant, reviewer, donor, admin) then ask for a code from an\n"
        f"authenticator app: add the secret {DEMO_TOTP_SECRET} to one (any app: Google Authenticator,\n"
        "Aegis, 1Password...), or print the current code with\n"
        "  DJANGO_SETTINGS_MODULE=onepluone.settings.local .venv/bin/python manage.py demo_totp officer@example.org\n"
    )


def demo_totp_code(email: str, *, at: float) -> tuple[str, int]:
    """The code of `email`'s demo authenticator app at time `at`, and the seconds it stays valid.

    Raises LookupError for an account without the demo's authenticator app."""
    totp = Authenticator.objects.filter(user__email__iexact=email, type=Authenticator.Type.TOTP).first()
    if totp is None or decrypt(totp.data["secret"]) != DEMO_TOTP_SECRET:
        raise LookupError(email)
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(at // period)))
    return code, period - int(at % period)
