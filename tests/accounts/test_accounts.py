import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.roles import Role, has_role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

SIGNUP = {
    "first_name": "Olena",
    "last_name": "Savchuk",
    "email": "Olena@Example.org",
    "password1": "Kvitka-2021-Lviv!",
    "password2": "Kvitka-2021-Lviv!",
}


def test_signup_makes_an_applicant_in_the_language_of_the_page_and_sends_a_verification_link(client, settings):
    settings.SITE_URL = "https://grants.example.org/"
    response = client.post("/en/accounts/signup/", SIGNUP)

    user = get_user_model().objects.get()
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert (user.email, user.first_name, user.preferred_language) == ("olena@example.org", "Olena", "en")
    assert has_role(user, Role.APPLICANT)
    [message] = mail.outbox
    assert message.to == ["olena@example.org"]
    # on SITE_URL, whatever host the request came to
    assert re.search(r"(?<!\S)https://grants\.example\.org/en/accounts/confirm-email/\S+/(?!\S)", message.body)


def test_an_unverified_account_cannot_sign_in(client):
    client.post("/uk/accounts/signup/", SIGNUP)
    client.logout()

    response = client.post("/uk/accounts/login/", {"login": "olena@example.org", "password": SIGNUP["password1"]})

    assert response["Location"] == "/uk/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_in_the_users_language(client, settings):
    settings.SITE_URL = "https://grants.example.org"
    client.post("/uk/accounts/signup/", SIGNUP)
    mail.outbox.clear()

    client.post("/uk/accounts/password/reset/", {"email": "olena@example.org"})

    [message] = mail.outbox
    assert re.search(r"(?<!\S)https://grants\.example\.org/uk/accounts/password/reset/key/\S+/(?!\S)", message.body)


def test_a_weak_password_is_refused_with_a_reason(client):
    response = client.post("/en/accounts/signup/", {**SIGNUP, "password1": "12345678", "password2": "12345678"})

    assert response.status_code == 200
    assert get_user_model().objects.count() == 0
    assert "This password is too short. It must contain at least 10 characters." in response.text
