"""Exports of personal data ask for the password again (accounts.reauth), on the ranking's CSV and XLSX."""

import time

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.models import AccessLogEntry
from tests.factories import PASSWORD, CallFactory, UserFactory
from tests.signin import reauthenticate

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(reference_prefix="RA", cycle_year=2021)


@pytest.fixture
def officer_client(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    return client


@pytest.mark.parametrize("name", ["ranking:export_csv", "ranking:export_xlsx"])
def test_an_export_asks_for_the_password_first_and_exports_nothing_meanwhile(officer_client, call, name):
    url = reverse(name, args=[call.pk])

    response = officer_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/reauthenticate/?next={url.replace('/', '%2F')}"
    assert AccessLogEntry.objects.count() == 0


def test_after_the_password_the_user_is_taken_back_to_the_export(officer_client, call):
    url = reverse("ranking:export_csv", args=[call.pk])
    asked = officer_client.get(url)

    confirmed = officer_client.post(asked["Location"], {"password": PASSWORD})
    reason_asked = officer_client.get(confirmed["Location"])
    exported = officer_client.post(url, {"reason": "Budget review by the programme board."})

    assert confirmed["Location"] == url
    assert reason_asked.templates[0].name == "audit/export_reason.html"
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == 'attachment; filename="ranking-RA-2021.csv"'


def test_a_wrong_password_exports_nothing(officer_client, call):
    url = reverse("ranking:export_csv", args=[call.pk])
    asked = officer_client.get(url)

    refused = officer_client.post(asked["Location"], {"password": "not-my-password"})

    assert refused.status_code == 200
    assert officer_client.get(url).status_code == 302


def test_the_confirmation_holds_for_5_minutes(officer_client, call):
    url = reverse("ranking:export_csv", args=[call.pk])
    reauthenticate(officer_client, password=PASSWORD)
    assert officer_client.get(url).status_code == 200

    session = officer_client.session
    records = session["account_authentication_methods"]
    records[-1]["at"] = time.time() - 301
    session["account_authentication_methods"] = records
    session.save()

    assert officer_client.get(url).status_code == 302


def test_a_user_who_may_not_export_is_refused_before_being_asked_for_a_password(client, call):
    client.force_login(UserFactory(role=Role.REVIEWER))

    response = client.get(reverse("ranking:export_csv", args=[call.pk]))

    assert response.status_code == 403
