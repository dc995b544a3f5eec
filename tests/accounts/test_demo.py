"""The demo stays walkable with two-factor authentication: its staff get the demo's authenticator app."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_TOTP_SECRET, demo_staff_enrol, demo_totp_code
from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.signin import totp_code

pytestmark = pytest.mark.django_db


def test_demo_staff_get_the_demo_authenticator_and_applicants_none():
    officer = UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    applicant = UserFactory(role=Role.APPLICANT, email="applicant@example.org")
    out = io.StringIO()

    demo_staff_enrol(out)
    demo_staff_enrol(out)  # seed_demo runs again: nothing doubles

    assert sorted(Authenticator.objects.filter(user=officer).values_list("type", flat=True)) == [
        "recovery_codes",
        "totp",
    ]
    assert Authenticator.objects.filter(user=applicant).count() == 0
    assert DEMO_TOTP_SECRET in out.getvalue()


def test_demo_totp_prints_the_code_the_sign_in_accepts(plain_client):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    demo_staff_enrol(io.StringIO())
    out = io.StringIO()

    call_command("demo_totp", "officer@example.org", stdout=out)
    code = out.getvalue().split()[0]
    plain_client.post("/uk/accounts/login/", {"login": officer.email, "password": PASSWORD})
    response = plain_client.post("/uk/accounts/2fa/authenticate/", {"code": code})

    assert code == totp_code(DEMO_TOTP_SECRET)
    assert response["Location"] == "/uk/dashboard/"


def test_demo_totp_knows_no_code_for_an_account_outside_the_demo():
    user = UserFactory(role=Role.PROGRAMME_OFFICER)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})

    with pytest.raises(LookupError):
        demo_totp_code(user.email, at=0)
    with pytest.raises(CommandError):
        call_command("demo_totp", user.email, stdout=io.StringIO())


def test_the_tests_codes_are_rfc_6238s():
    """RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32 below): 94287082 at 59 s and
    07081804 at 1111111109 s, of which an authenticator app shows the last 6 digits."""
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    assert (totp_code(secret, at=59), totp_code(secret, at=1111111109)) == ("287082", "081804")
