"""Signing staff in, in tests, with their second factor.

Staff open no page without a second factor (accounts.mfa). The `client` fixture (tests/conftest.py)
is a `SecondFactorClient`: its `force_login` leaves the session as signing in through the form and
then the authenticator-app step leaves it. It gives a staff user an authenticator app with
`TOTP_SECRET` if they have none, and records the two steps in the session exactly as allauth's
`record_authentication` does (`account_authentication_methods`: a password record, then an `mfa`
record naming the authenticator). Applicants are logged in as before. Tests of the rule itself use
`plain_client`, whose `force_login` records nothing (tests/accounts/test_mfa.py).

`totp_code(secret)` computes the code an authenticator app would show (RFC 6238, allauth's helpers),
for the browser tests (tests/e2e/browser.py) and the tests that post a code.
"""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from accounts.mfa import totp_enrol
from accounts.roles import requires_second_factor

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - a test fixture's authenticator app


def totp_code(secret: str = TOTP_SECRET, *, steps_ahead: int = 0, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // mfa_settings.TOTP_PERIOD) + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))


def totp_authenticator(user) -> Authenticator:
    """The user's authenticator app, enrolled with TOTP_SECRET when they have none."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or totp_enrol(user=user, secret=TOTP_SECRET)


class SecondFactorClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if requires_second_factor(user):
            record_second_factor(self, user)


def record_second_factor(client: Client, user) -> None:
    """Write what allauth writes after the password and the authenticator-app steps."""
    authenticator = totp_authenticator(user)
    now = time.time()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


def reauthenticate(client: Client, *, password: str) -> None:
    """Confirm the password again on allauth's page, as a user asked before an export does."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content
