"""Consent per purpose with the notice version: seen and changed from the person's "My data" page at any
time, and withdrawal takes effect for every report that asks `consented`."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.enums import ConsentPurpose
from applications.models import Application, Consent
from applications.privacy.selectors import applications_consenting, consented
from tests.factories import UserFactory, submitted_application

pytestmark = pytest.mark.django_db
P = ConsentPurpose


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_the_three_purposes_each_have_a_current_notice():
    from applications.selectors import consent_notices_current

    notices = {notice.purpose: (notice.version, notice.required) for notice in consent_notices_current()}

    assert {P.SELECTION, P.DONOR_REPORTING, P.STORIES} <= set(notices)
    assert notices[P.SELECTION] == ("2021.1", True)
    assert (notices[P.DONOR_REPORTING][1], notices[P.STORIES][1]) == (False, False)


def test_a_submitted_applicant_withdraws_and_gives_consents_from_their_data_page(client):
    application = submitted_application()
    client.force_login(application.applicant)
    change = url("privacy:consent_change", application.pk)
    assert (consented(application, P.STORIES), consented(application, P.DONOR_REPORTING)) == (True, True)

    page = client.get(url("privacy:my_data"))
    client.post(change, {"purpose": P.STORIES, "action": "withdraw"})
    after_withdrawal = (consented(application, P.STORIES), consented(application, P.DONOR_REPORTING))
    client.post(change, {"purpose": P.STORIES, "action": "give"})
    client.post(change, {"purpose": P.STORIES, "action": "give"})

    assert page.status_code == 200 and 'data-testid="consent-stories"' in page.content.decode()
    assert after_withdrawal == (False, True)
    assert consented(application, P.STORIES) is True
    rows = Consent.objects.filter(application=application, notice__purpose=P.STORIES).order_by("pk")
    assert [(row.notice.version, row.withdrawn_at is None) for row in rows] == [("2021.1", False), ("2021.1", True)]


def test_the_consent_to_processing_cannot_be_withdrawn_while_the_application_runs(client):
    application = submitted_application()
    client.force_login(application.applicant)

    response = client.post(
        url("privacy:consent_change", application.pk), {"purpose": P.SELECTION, "action": "withdraw"}, follow=True
    )

    assert consented(application, P.SELECTION) is True
    assert [str(m) for m in response.context["messages"]] == [
        "Processing your application needs this consent. To stop it, withdraw the application or ask us to erase "
        "your data."
    ]


def test_nobody_changes_someone_elses_consent(client):
    application = submitted_application()
    client.force_login(UserFactory())

    response = client.post(url("privacy:consent_change", application.pk), {"purpose": P.STORIES, "action": "withdraw"})

    assert (response.status_code, consented(application, P.STORIES)) == (404, True)


def test_reports_filter_many_applications_by_consent_in_one_query(client, django_assert_num_queries):
    keeps, withdraws = submitted_application(), submitted_application()
    client.force_login(withdraws.applicant)
    client.post(url("privacy:consent_change", withdraws.pk), {"purpose": P.DONOR_REPORTING, "action": "withdraw"})

    with django_assert_num_queries(1):
        found = list(applications_consenting(Application.objects.all(), P.DONOR_REPORTING))

    assert found == [keeps]


def test_a_bad_purpose_is_a_message_not_a_500(client):
    application = submitted_application()
    client.force_login(application.applicant)

    response = client.post(url("privacy:consent_change", application.pk), {"purpose": "x" * 5000, "action": "drop"})

    assert response.status_code == 302
