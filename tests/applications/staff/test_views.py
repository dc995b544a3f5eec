"""The programme officers' screening pages: who may use them, the queue, shortlisting and rejecting,
bulk screening, the audit of views, and calls."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import AccessLogEntry, Application, ApplicationStatusChange
from tests.conftest import url
from tests.factories import CallFactory, UserFactory, declare_priority_groups, priority_group, submitted_application

S = ApplicationStatus
pytestmark = pytest.mark.django_db


class TestAccess:
    @pytest.mark.parametrize("role", [Role.APPLICANT, Role.CONSULTANT, Role.REVIEWER, Role.DONOR_AUDITOR])
    def test_staff_pages_refuse_other_roles(self, client, role):
        call = CallFactory()
        application = submitted_application(call=call)
        client.force_login(UserFactory(role=role))

        statuses = [
            client.get(url("staff:dashboard")).status_code,
            client.get(url("staff:queue", call.pk)).status_code,
            client.get(url("staff:application_detail", application.pk)).status_code,
            client.post(url("staff:application_shortlist", application.pk)).status_code,
            client.get(url("staff:call_edit", call.pk)).status_code,
        ]

        assert statuses == [403, 403, 403, 403, 403]
        application.refresh_from_db()
        assert application.status == S.SUBMITTED

    def test_approver_sees_the_queue_but_cannot_screen(self, client):
        application = submitted_application()
        client.force_login(UserFactory(role=Role.APPROVER))

        assert client.get(url("staff:queue", application.call_id)).status_code == 200
        assert client.post(url("staff:application_shortlist", application.pk)).status_code == 403


class TestScreening:
    def test_officer_shortlists_with_a_note_and_the_move_is_recorded(self, client):
        application = submitted_application()
        officer = UserFactory(role=Role.PROGRAMME_OFFICER)
        client.force_login(officer)

        client.post(url("staff:application_shortlist", application.pk), {"note": "Сильна ідея"})

        application.refresh_from_db()
        assert application.status == S.SHORTLISTED
        assert list(ApplicationStatusChange.objects.values_list("to_status", "actor", "note")) == [
            ("shortlisted", officer.pk, "Сильна ідея")
        ]

    def test_reject_without_a_reason_is_refused_with_a_message(self, client):
        application = submitted_application()
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.post(url("staff:application_reject", application.pk), {"reason": ""}, follow=True)

        assert [str(m) for m in response.context["messages"]] == ["This field is required."]
        application.refresh_from_db()
        assert application.status == S.SUBMITTED

    def test_viewing_an_application_is_audited(self, client):
        application = submitted_application()
        officer = UserFactory(role=Role.PROGRAMME_OFFICER)
        client.force_login(officer)

        client.get(url("staff:application_detail", application.pk))

        assert list(AccessLogEntry.objects.values_list("user", "application", "action")) == [
            (officer.pk, application.pk, "view")
        ]

    def test_queue_filters_by_region_and_priority_group_and_searches_names(self, client):
        call = CallFactory()
        lviv = submitted_application(call=call, region="lviv", last_name="Гнатюк")
        submitted_application(call=call, region="odesa", last_name="Савчук")
        declare_priority_groups(lviv, "idp")
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        by_region = client.get(url("staff:queue", call.pk), {"region": "lviv"})
        by_group = client.get(url("staff:queue", call.pk), {"priority_group": priority_group("idp").pk})
        by_name = client.get(url("staff:queue", call.pk), {"q": "Савч"})

        assert [a.last_name for a in by_region.context["page"]] == ["Гнатюк"]
        assert [a.last_name for a in by_group.context["page"]] == ["Гнатюк"]
        assert [a.last_name for a in by_name.context["page"]] == ["Савчук"]

    def test_queue_search_ignores_case_in_cyrillic_and_finds_emails(self, client):
        call = CallFactory()
        submitted_application(call=call, last_name="Шевчук", first_name="Їжак")
        submitted_application(call=call, last_name="Гнатюк", applicant__email="taras.hn@example.org")
        submitted_application(call=call, last_name="Савчук")
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        def found(term: str) -> list[str]:
            return [a.last_name for a in client.get(url("staff:queue", call.pk), {"q": term}).context["page"]]

        assert found("шевч") == ["Шевчук"]
        assert found("ЇЖА") == ["Шевчук"]
        assert found("TARAS.HN") == ["Гнатюк"]
        assert found("50% [x]") == []

    def test_queue_pages_follow_the_order_to_the_last_page(self, client):
        call = CallFactory()
        start = timezone.now() - timedelta(days=30)
        made = [submitted_application(call=call, submitted_at=start + timedelta(hours=hour)) for hour in range(27)]
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        first = client.get(url("staff:queue", call.pk)).context["page"]
        last = client.get(url("staff:queue", call.pk), {"page": "2"}).context["page"]
        newest = client.get(url("staff:queue", call.pk), {"ordering": "-submitted_at"}).context["page"]

        assert [a.pk for a in first] + [a.pk for a in last] == [a.pk for a in made]
        assert [a.pk for a in newest][:2] == [made[-1].pk, made[-2].pk]
        assert first.paginator.count == 27

    def test_bulk_shortlist_moves_the_selected_applications(self, client):
        call = CallFactory()
        first, second, untouched = (submitted_application(call=call) for _ in range(3))
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        client.post(url("staff:queue_bulk", call.pk), {"action": "shortlist", "applications": [first.pk, second.pk]})

        assert dict(Application.objects.values_list("pk", "status")) == {
            first.pk: S.SHORTLISTED,
            second.pk: S.SHORTLISTED,
            untouched.pk: S.SUBMITTED,
        }

    def test_officer_creates_a_call_and_bad_dates_are_explained(self, client):
        call = CallFactory()
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
        data = {
            "programme": call.programme_id,
            "title_uk": "Громади 2027",
            "title_en": "Communities 2027",
            "cycle_year": "2027",
            "track": "community",
            "reference_prefix": "1P1C",
            "cap": "20000",
            "match_ratio": "1",
            "min_grant": "0",
            "budget_envelope": "400000",
            "in_kind_max_share": "0.3",
            "in_kind_allowed": "on",
            "cost_tolerance": "0.1",
            "equipment_retention_months": "36",
            "monitoring_months": "6, 12, 24",
            "currencies": ["UAH", "USD"],
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-02-01T18:00",
            "eligible_sectors": ["agriculture"],
            "eligible_regions": ["lviv"],
        }

        refused = client.post(url("staff:call_create"), data)
        accepted = client.post(url("staff:call_create"), {**data, "closes_at": "2027-04-30T18:00"})

        assert refused.context["form"].errors == {"closes_at": ["The call must close after it opens."]}
        assert accepted.status_code == 302
        created = type(call).objects.get(title_en="Communities 2027")
        assert (created.cap, created.eligible_regions, timezone.localtime(created.closes_at).hour) == (
            20000,
            ["lviv"],
            18,
        )
        assert (created.equipment_retention_months, created.monitoring_months) == (36, [6, 12, 24])
