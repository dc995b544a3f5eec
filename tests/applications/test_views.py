import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import AccessLogEntry, Application
from tests.conftest import url
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    MessageFactory,
    UserFactory,
    submitted_application,
)

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def png_upload(name="permit.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


PERSONAL = {
    "first_name": "Марія",
    "last_name": "Іваненко",
    "patronymic": "",
    "date_of_birth": "1985-04-02",
    "gender": "female",
    "phone": "+48 600 100 200",
    "language": "uk",
}
MIGRATION = {
    "countries_abroad": ["PL", "CZ"],
    "years_abroad": "4.5",
    "still_abroad": "False",
    "return_date": "2024-09-01",
    "migration_experience": "Зварювальник на верфі в Гданську.",
}


class TestPublicPages:
    def test_root_redirects_to_ukrainian_by_default(self, client):
        response = client.get("/")

        assert (response.status_code, response["Location"]) == (302, "/uk/")

    def test_call_list_shows_open_and_upcoming_calls_but_not_closed_ones(self, client):
        open_call = CallFactory(title_en="Open call")
        CallFactory(
            title_en="Upcoming call",
            opens_at=timezone.now() + timedelta(days=3),
            closes_at=timezone.now() + timedelta(days=30),
        )
        CallFactory(
            title_en="Closed call",
            opens_at=timezone.now() - timedelta(days=30),
            closes_at=timezone.now() - timedelta(days=3),
        )

        response = client.get(url("applications:call_list"))

        assert [call.title for call in response.context["calls"]] == ["Open call", "Upcoming call"]
        assert f'data-deadline="{timezone.localtime(open_call.closes_at).isoformat()}"' in response.text
        assert "up to <strong>USD 4,000.00</strong>" in response.text

    def test_healthz_reports_database_and_broker(self, client, settings):
        response = client.get("/healthz")

        expected_broker = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
        assert (response.status_code, response.json()) == (200, {"database": "ok", "broker": expected_broker})


class TestAccess:
    @pytest.mark.parametrize("name", ["staff:dashboard", "staff:call_create", "dashboard"])
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, name):
        response = client.get(url(name))

        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")

    @pytest.mark.parametrize(
        ("role", "target"),
        [
            (Role.REVIEWER, "reviewing:home"),
            (Role.CONSULTANT, "consultations:home"),
            (Role.APPROVER, "staff:dashboard"),
        ],
    )
    def test_dashboard_takes_each_role_to_its_own_work(self, client, role, target):
        client.force_login(UserFactory(role=role))

        response = client.get(url("dashboard"))

        assert (response.status_code, response["Location"]) == (302, url(target))

    def test_someone_elses_application_is_not_found(self, client):
        application = ApplicationFactory(complete=True)
        client.force_login(UserFactory())

        statuses = [
            client.get(url("applications:application_detail", application.pk)).status_code,
            client.get(url("applications:application_step", application.pk, "personal")).status_code,
            client.post(url("applications:application_step", application.pk, "personal"), PERSONAL).status_code,
            client.post(url("applications:application_submit", application.pk)).status_code,
            client.post(url("applications:application_withdraw", application.pk)).status_code,
            client.get(url("applications:application_evidence", application.pk)).status_code,
        ]

        assert statuses == [404, 404, 404, 404, 404, 404]
        application.refresh_from_db()
        assert application.status == S.DRAFT


class TestApplying:
    def test_apply_starts_a_draft_and_opens_the_first_step(self, client):
        call = CallFactory()
        applicant = UserFactory()
        client.force_login(applicant)

        response = client.post(url("applications:apply", call.pk))

        application = Application.objects.get(call=call, applicant=applicant)
        assert response["Location"] == url("applications:application_step", application.pk, "personal")

    def test_a_second_application_to_the_same_call_leads_to_the_first(self, client):
        application = submitted_application()
        client.force_login(application.applicant)

        response = client.post(url("applications:apply", application.call_id), follow=True)

        assert response.redirect_chain[-1][0] == url("applications:application_detail", application.pk)
        assert [str(m) for m in response.context["messages"]] == [
            "You already have an application in this call; here it is."
        ]
        assert Application.objects.count() == 1

    def test_apply_to_a_closed_call_says_so(self, client):
        call = CallFactory(opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=1))
        client.force_login(UserFactory())

        response = client.post(url("applications:apply", call.pk), follow=True)

        assert [str(m) for m in response.context["messages"]] == ["This call is not open for applications."]
        assert Application.objects.count() == 0

    def test_a_validation_error_keeps_every_valid_answer_saved_and_shown(self, client):
        application = ApplicationFactory(phone="", date_of_birth=None, patronymic="")
        client.force_login(application.applicant)

        response = client.post(
            url("applications:application_step", application.pk, "personal"),
            {**PERSONAL, "patronymic": "Петрівна", "phone": "call me maybe", "action": "next"},
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "phone": ["Enter a phone number with digits only, for example +380 67 123 4567."]
        }
        assert 'value="call me maybe"' in response.text
        application.refresh_from_db()
        assert (application.patronymic, str(application.date_of_birth), application.phone) == (
            "Петрівна",
            "1985-04-02",
            "",
        )

    def test_save_draft_accepts_blank_fields_and_stays_on_the_step(self, client):
        application = ApplicationFactory(phone="")
        client.force_login(application.applicant)

        response = client.post(
            url("applications:application_step", application.pk, "personal"),
            {**PERSONAL, "phone": "", "gender": "", "action": "save"},
        )

        assert response["Location"] == url("applications:application_step", application.pk, "personal")

    def test_autosave_answers_json_and_keeps_valid_fields(self, client):
        application = ApplicationFactory(hromada="")
        client.force_login(application.applicant)

        response = client.post(
            url("applications:application_step", application.pk, "business"),
            {"region": "lviv", "hromada": "Жовківська", "sector": "not-a-sector", "action": "autosave"},
        )

        assert (response.status_code, response.json()["saved"], response.json()["valid"]) == (
            200,
            True,
            False,
        )
        application.refresh_from_db()
        assert (application.hromada, application.sector) == ("Жовківська", "agriculture")

    def test_a_fake_upload_is_refused_and_the_rest_of_the_step_saved(self, client):
        application = ApplicationFactory(migration_experience="", years_abroad=None)
        client.force_login(application.applicant)
        fake = SimpleUploadedFile("permit.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

        response = client.post(
            url("applications:application_step", application.pk, "migration"),
            {**MIGRATION, "migration_evidence": fake, "action": "next"},
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "migration_evidence": [
                "This file is not a real PDF, JPEG or PNG document. Please upload a PDF or a photo of the document."
            ]
        }
        application.refresh_from_db()
        assert (
            application.migration_experience,
            str(application.years_abroad),
            application.countries_abroad,
        ) == ("Зварювальник на верфі в Гданську.", "4.5", ["PL", "CZ"])
        assert not application.migration_evidence

    def test_a_real_upload_is_stored_privately_and_served_only_to_the_owner_and_staff(self, client):
        application = ApplicationFactory()
        client.force_login(application.applicant)
        client.post(
            url("applications:application_step", application.pk, "migration"),
            {**MIGRATION, "migration_evidence": png_upload(), "action": "next"},
        )
        application.refresh_from_db()
        evidence_url = url("applications:application_evidence", application.pk)
        officer = UserFactory(role=Role.PROGRAMME_OFFICER)

        owner_response = client.get(evidence_url)
        client.force_login(UserFactory())
        stranger_status = client.get(evidence_url).status_code
        client.force_login(officer)
        officer_response = client.get(evidence_url)
        officer_content = b"".join(officer_response.streaming_content)

        assert (owner_response.status_code, owner_response["Content-Type"]) == (200, "image/png")
        assert b"".join(owner_response.streaming_content).startswith(b"\x89PNG")
        assert (stranger_status, officer_response.status_code, officer_content[:4]) == (404, 200, b"\x89PNG")
        assert application.migration_evidence_type == "image/png"
        assert list(AccessLogEntry.objects.values_list("user", "action")) == [(officer.pk, "download_evidence")]

    def test_equipment_rows_are_saved_from_the_money_step(self, client):
        application = ApplicationFactory()
        client.force_login(application.applicant)
        data = {
            "own_contribution_amount": "2500",
            "own_contribution_currency": "EUR",
            "equipment-TOTAL_FORMS": "2",
            "equipment-INITIAL_FORMS": "0",
            "equipment-MIN_NUM_FORMS": "1",
            "equipment-MAX_NUM_FORMS": "30",
            "equipment-0-name": "Тістоміс",
            "equipment-0-quantity": "1",
            "equipment-0-estimated_unit_price": "1800",
            "equipment-0-currency": "EUR",
            "equipment-1-name": "Піч",
            "equipment-1-quantity": "2",
            "equipment-1-estimated_unit_price": "52000",
            "equipment-1-currency": "UAH",
            "action": "next",
        }

        response = client.post(url("applications:application_step", application.pk, "money"), data)

        assert response["Location"] == url("applications:application_step", application.pk, "declarations")
        assert list(application.equipment.values_list("name", "quantity", "estimated_unit_price", "currency")) == [
            ("Тістоміс", 1, 1800, "EUR"),
            ("Піч", 2, 52000, "UAH"),
        ]

    def test_autosave_then_save_keeps_one_copy_of_each_equipment_row(self, client):
        application = ApplicationFactory()
        client.force_login(application.applicant)
        step = url("applications:application_step", application.pk, "money")
        data = {
            "own_contribution_amount": "2500",
            "own_contribution_currency": "USD",
            "equipment-TOTAL_FORMS": "1",
            "equipment-INITIAL_FORMS": "0",
            "equipment-0-name": "Тістоміс",
            "equipment-0-quantity": "1",
            "equipment-0-estimated_unit_price": "1800",
            "equipment-0-currency": "USD",
        }

        client.post(step, {**data, "action": "autosave"})
        client.post(step, {**data, "action": "autosave"})
        response = client.post(step, {**data, "action": "next"})

        assert response.status_code == 302
        assert list(application.equipment.values_list("name", "estimated_unit_price")) == [("Тістоміс", 1800)]

    def test_submit_from_the_review_step_and_the_application_becomes_read_only(self, client):
        application = ApplicationFactory(complete=True)
        client.force_login(application.applicant)

        submit = client.post(url("applications:application_submit", application.pk), follow=True)
        edit = client.get(url("applications:application_step", application.pk, "personal"), follow=True)

        application.refresh_from_db()
        assert application.status == S.SUBMITTED
        assert submit.redirect_chain[-1][0] == url("applications:application_detail", application.pk)
        assert edit.redirect_chain[-1][0] == url("applications:application_detail", application.pk)
        assert [str(m) for m in edit.context["messages"]] == [
            "This application has been submitted and can no longer be changed."
        ]

    def test_withdrawal_needs_confirmation_and_records_the_note(self, client):
        application = submitted_application()
        client.force_login(application.applicant)

        confirm_page = client.get(url("applications:application_withdraw", application.pk))
        client.post(url("applications:application_withdraw", application.pk), {"note": "Залишаюся в Польщі"})

        application.refresh_from_db()
        assert confirm_page.status_code == 200
        assert application.status == S.WITHDRAWN
        assert list(application.status_changes.values_list("to_status", "note")) == [
            ("withdrawn", "Залишаюся в Польщі")
        ]

    def test_dashboard_shows_status_next_step_and_unread_messages(self, client):
        application = submitted_application()
        MessageFactory(application=application)
        client.force_login(application.applicant)

        response = client.get(url("dashboard"))

        [shown] = response.context["applications"]
        assert (shown.status, shown.n_unread) == (S.SUBMITTED, 1)
        assert "Programme staff are checking your application against the call&#x27;s rules." in response.text
