"""The access log: written for every staff view, export and download; searched by officers and auditors;
never changed or deleted (on PostgreSQL a trigger refuses it)."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from applications.audit.services import access_log, access_log_many
from applications.models import AccessLogEntry
from tests.conftest import one_and_many
from tests.conftest import url as url_of
from tests.factories import UserFactory, submitted_application

pytestmark = pytest.mark.django_db
KYIV = timezone.get_fixed_timezone(120)


def url(name="audit:access_log"):
    with translation.override("en"):
        return reverse(name)


def entry_at(moment, **kwargs) -> AccessLogEntry:
    action = kwargs.pop("action", "view")
    defaults = {"user": UserFactory(role=Role.PROGRAMME_OFFICER), "application": submitted_application()}
    access_log(**{**defaults, **kwargs}, action=action)
    entry = AccessLogEntry.objects.order_by("-pk").first()
    # Written as the app writes it, then back-dated by the test through SQL (the app has no way to).
    if connection.vendor == "postgresql":
        return entry
    AccessLogEntry.objects.filter(pk=entry.pk).update(at=moment)
    entry.refresh_from_db()
    return entry


def test_officers_and_auditors_search_the_log_and_nobody_else(client):
    statuses = {}
    for role in (Role.PROGRAMME_OFFICER, Role.DONOR_AUDITOR, Role.APPROVER, Role.CONSULTANT, Role.APPLICANT):
        client.force_login(UserFactory(role=role))
        statuses[role] = client.get(url()).status_code
    client.logout()

    assert statuses == {
        Role.PROGRAMME_OFFICER: 200,
        Role.DONOR_AUDITOR: 200,
        Role.APPROVER: 403,
        Role.CONSULTANT: 403,
        Role.APPLICANT: 403,
    }
    assert client.get(url()).status_code == 302


def test_search_by_person_reference_action_and_dates(client):
    officer, other = UserFactory(role=Role.PROGRAMME_OFFICER), UserFactory(role=Role.PROGRAMME_OFFICER)
    application = submitted_application()
    access_log(user=officer, application=application, action="view")
    access_log(user=officer, application=application, action="download_evidence", detail="evidence")
    access_log(user=other, application=submitted_application(), action="view")
    access_log_many(user=other, applications=[application], action="export_ranking_csv", reason="Donor audit 2025")
    client.force_login(UserFactory(role=Role.DONOR_AUDITOR))

    def found(**query):
        response = client.get(url(), query)
        return [(row.user_id, row.reference, row.action) for row in response.context["page"]]

    reference = application.reference
    assert found(user=officer.pk) == [(officer.pk, reference, "download_evidence"), (officer.pk, reference, "view")]
    assert [action for _, _, action in found(reference=reference.lower())] == [
        "export_ranking_csv",
        "download_evidence",
        "view",
    ]
    assert found(action="export_ranking_csv") == [(other.pk, reference, "export_ranking_csv")]
    today = timezone.localdate().isoformat()
    assert len(found(since=today, until=today)) == 4
    assert found(until=(timezone.localdate() - timedelta(days=1)).isoformat()) == []
    page = client.get(url(), {"action": "export_ranking_csv"}).content.decode()
    assert "Donor audit 2025" in page and "Exported the ranking (CSV)" in page


@pytest.mark.skipif(connection.vendor == "postgresql", reason="back-dating rows needs UPDATE, refused on PostgreSQL")
def test_a_date_range_includes_both_days_in_kyiv_time(client):
    day = datetime(2025, 3, 10, tzinfo=KYIV)
    entry_at(day - timedelta(minutes=1), action="view")  # 23:59 on the 9th
    inside = [
        entry_at(day, action="view_plan"),
        entry_at(day + timedelta(days=1, hours=23, minutes=59), action="consult"),
    ]
    entry_at(day + timedelta(days=2), action="letter_download")
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = client.get(url(), {"since": "2025-03-10", "until": "2025-03-11"})

    assert [row.pk for row in response.context["page"]] == [inside[1].pk, inside[0].pk]


def test_an_end_before_the_start_is_a_message_not_a_500(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = client.get(url(), {"since": "2025-03-10", "until": "2025-03-01", "user": "not-a-number"})

    assert response.status_code == 200
    assert response.context["form"].errors["until"] == ["The end date cannot be before the start date."]
    assert list(response.context["page"]) == []


@one_and_many(60)
def test_the_log_page_runs_the_same_queries_for_one_entry_and_for_many(client, page_queries, size):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    applications = [submitted_application() for _ in range(size)]
    access_log_many(user=officer, applications=applications, action="export_ranking_xlsx", reason="Monthly check")
    client.force_login(UserFactory(role=Role.DONOR_AUDITOR))

    page_queries(6, url_of("audit:access_log"))


def test_the_admin_can_neither_add_change_nor_delete_entries():
    admin = site._registry[AccessLogEntry]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)

    assert (
        admin.has_add_permission(request),
        admin.has_change_permission(request),
        admin.has_delete_permission(request),
    ) == (
        False,
        False,
        False,
    )


def test_a_deleted_user_or_application_leaves_its_entries():
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    application = submitted_application()
    access_log(user=officer, application=application, action="view")
    reference, officer_id = application.reference, officer.pk

    officer.delete()

    rows = list(AccessLogEntry.objects.values_list("user_id", "reference", "action"))
    assert rows == [(officer_id, reference, "view")]


@pytest.mark.postgres
def test_postgresql_refuses_to_update_or_delete_an_entry():
    access_log(user=UserFactory(role=Role.PROGRAMME_OFFICER), application=submitted_application(), action="view")
    entry = AccessLogEntry.objects.get()

    refused = []
    for attempt in (
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).update(reason="covered up"),
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).delete(),
        lambda: connection.cursor().execute("UPDATE applications_accesslogentry SET action = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM applications_accesslogentry"),
    ):
        try:
            with transaction.atomic():
                attempt()
        except DatabaseError as error:
            refused.append("append-only" in str(error))

    assert refused == [True, True, True, True]
    assert list(AccessLogEntry.objects.values_list("action", "reason")) == [("view", "")]
