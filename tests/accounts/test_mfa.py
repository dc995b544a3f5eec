"""Two-factor authentication: required for every role but applicants (accounts.mfa), optional for them.

`plain_client` is Django's test client: its force_login records the password step only, as signing
in through Django's admin form would. `client` (tests/signin.py) records the second factor as well.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.signin import TOTP_SECRET, record_second_factor, totp_authenticator, totp_code

pytestmark = pytest.mark.django_db

NON_APPLICANT_ROLES = [Role.PROGRAMME_OFFICER, Role.APPROVER, Role.CONSULTANT, Role.REVIEWER, Role.DONOR_AUDITOR]


def sign_in_with_password(client, user, *, language="uk"):
    return client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})


@pytest.mark.parametrize("role", NON_APPLICANT_ROLES)
def test_a_staff_role_without_an_authenticator_is_sent_to_set_one_up(plain_client, role):
    user = UserFactory(role=role)
    plain_client.force_login(user)

    response = plain_client.get("/uk/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/uk/accounts/2fa/totp/activate/?next=%2Fuk%2Fdashboard%2F"


def test_a_superuser_without_an_authenticator_is_sent_to_set_one_up(plain_client):
    admin = UserFactory(role=Role.APPLICANT, is_staff=True, is_superuser=True)
    plain_client.force_login(admin)

    response = plain_client.get("/uk/admin/")

    assert response["Location"] == "/uk/accounts/2fa/totp/activate/?next=%2Fuk%2Fadmin%2F"


@pytest.mark.parametrize("role", NON_APPLICANT_ROLES)
def test_a_staff_session_without_the_second_factor_is_asked_for_it(plain_client, role):
    user = UserFactory(role=role)
    totp_authenticator(user)
    plain_client.force_login(user)

    response = plain_client.get("/uk/dashboard/")

    assert response["Location"] == "/uk/accounts/2fa/reauthenticate/?next=%2Fuk%2Fdashboard%2F"


def test_a_staff_member_with_only_a_security_key_is_asked_for_the_key(plain_client):
    user = UserFactory(role=Role.APPROVER)
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    plain_client.force_login(user)

    response = plain_client.get("/uk/staff/")

    assert response["Location"] == "/uk/accounts/2fa/webauthn/reauthenticate/?next=%2Fuk%2Fstaff%2F"


def test_an_htmx_request_is_redirected_as_a_whole_page(plain_client):
    plain_client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = plain_client.get("/uk/staff/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/uk/accounts/2fa/totp/activate/?next=%2Fuk%2Fstaff%2F"


@pytest.mark.parametrize("path", ["/uk/", "/uk/calls/", "/uk/accounts/2fa/", "/uk/accounts/reauthenticate/"])
def test_public_and_set_up_pages_stay_open_to_staff_without_a_second_factor(plain_client, path):
    plain_client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = plain_client.get(path)

    assert response.status_code == 200


def test_applicants_need_no_second_factor(plain_client):
    plain_client.force_login(UserFactory(role=Role.APPLICANT))

    response = plain_client.get("/uk/dashboard/")

    assert response.status_code == 200


def test_the_test_clients_sign_in_with_both_factors_opens_staff_pages(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = client.get("/uk/staff/")

    assert response.status_code == 200


def test_a_staff_member_signs_in_with_the_password_and_then_the_code(plain_client):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    totp_authenticator(officer)

    after_password = sign_in_with_password(plain_client, officer)
    wrong = plain_client.post("/uk/accounts/2fa/authenticate/", {"code": "000000"})
    right = plain_client.post("/uk/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})

    assert after_password["Location"] == "/uk/accounts/2fa/authenticate/"
    assert wrong.status_code == 200
    assert "Неправильний код." in wrong.text
    assert right["Location"] == "/uk/dashboard/"
    assert plain_client.get("/uk/staff/").status_code == 200


def test_the_test_clients_session_records_what_a_real_sign_in_records(plain_client, client):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    totp_authenticator(officer)
    sign_in_with_password(plain_client, officer)
    plain_client.post("/uk/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})

    record_second_factor(client, officer)

    def shape(session):
        return [sorted(record) for record in session["account_authentication_methods"]]

    assert shape(client.session) == shape(plain_client.session)
    assert client.session["account_authentication_methods_user"] == str(officer.pk)


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator after commit
def test_a_staff_member_without_an_authenticator_sets_one_up_right_after_signing_in(plain_client):
    approver = UserFactory(role=Role.APPROVER)

    after_password = sign_in_with_password(plain_client, approver)
    redirected = plain_client.get(after_password["Location"])
    form = plain_client.get(redirected["Location"])
    secret = plain_client.session["mfa.totp.secret"]
    activated = plain_client.post("/uk/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert after_password["Location"] == "/uk/dashboard/"
    assert redirected["Location"] == "/uk/accounts/2fa/totp/activate/?next=%2Fuk%2Fdashboard%2F"
    assert form.status_code == 200  # no second password prompt right after signing in
    assert activated["Location"] == "/uk/accounts/2fa/recovery-codes/"
    assert list(Authenticator.objects.filter(user=approver).values_list("type", flat=True).order_by("type")) == [
        Authenticator.Type.RECOVERY_CODES,
        Authenticator.Type.TOTP,
    ]
    assert plain_client.get("/uk/staff/").status_code == 200


def test_an_applicant_may_enable_an_authenticator_app_and_is_then_asked_for_it(plain_client):
    applicant = UserFactory(role=Role.APPLICANT)
    sign_in_with_password(plain_client, applicant)
    plain_client.get("/uk/accounts/2fa/totp/activate/")
    plain_client.post("/uk/accounts/2fa/totp/activate/", {"code": totp_code(plain_client.session["mfa.totp.secret"])})
    plain_client.post("/uk/accounts/logout/")

    after_password = sign_in_with_password(plain_client, applicant)

    assert after_password["Location"] == "/uk/accounts/2fa/authenticate/"


def test_a_staff_member_cannot_remove_their_only_authenticator_app(client):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    client.force_login(officer)
    client.post("/uk/accounts/reauthenticate/", {"password": PASSWORD})

    response = client.post("/uk/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).count() == 1


def test_an_applicant_may_remove_their_authenticator_app(client):
    applicant = UserFactory(role=Role.APPLICANT)
    totp_authenticator(applicant)
    client.force_login(applicant)
    client.post("/uk/accounts/reauthenticate/", {"password": PASSWORD})

    response = client.post("/uk/accounts/2fa/totp/deactivate/")

    assert response["Location"] == "/uk/accounts/2fa/"
    assert Authenticator.objects.filter(user=applicant, type=Authenticator.Type.TOTP).count() == 0


def test_an_applicant_promoted_to_a_staff_role_is_asked_to_set_up_a_second_factor(client):
    user = UserFactory(role=Role.APPLICANT)
    client.force_login(user)
    user.groups.add(Group.objects.get(name=Role.CONSULTANT))

    response = client.get("/uk/dashboard/")

    assert response["Location"] == "/uk/accounts/2fa/totp/activate/?next=%2Fuk%2Fdashboard%2F"
