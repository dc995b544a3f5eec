"""A person downloads a copy of their data and asks for erasure; an officer anonymises what no legal duty
keeps, and the person is told the outcome."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from applications.models import AccessLogEntry, Application, Consent, ErasureRequest
from plans.models import PlanVersion
from tests.conftest import body_of, subject_of
from tests.factories import MessageFactory, PlanVersionFactory, UserFactory, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_tasks):
    """The outcome email is sent in this process: these tests are about what it says."""


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def with_evidence(application):
    application.migration_evidence.save("upload.pdf", ContentFile(b"%PDF-1.4 evidence %%EOF"), save=True)
    return application


def test_a_person_downloads_their_answers_and_files_as_a_zip_and_the_download_is_audited(client):
    application = with_evidence(submitted_application(phone="+48 600 100 200"))
    MessageFactory(application=application, body="Додайте дозвіл на роботу.")
    client.force_login(application.applicant)

    refused_get = client.get(url("privacy:download"))
    response = client.post(url("privacy:download"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("my-data.json"))

    assert refused_get.status_code == 405
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert sorted(archive.namelist()) == ["files/" + application.reference + "/evidence.pdf", "my-data.json"]
    mine = data["applications"][0]
    assert (mine["reference"], mine["phone"], mine["date_of_birth"]) == (
        application.reference,
        "+48 600 100 200",
        "1985-04-02",
    )
    assert mine["messages"][0]["body"] == "Додайте дозвіл на роботу."
    assert {consent["purpose"] for consent in mine["consents"]} >= {"selection", "donor_reporting", "stories"}
    assert data["account"]["email"] == application.applicant.email
    assert list(AccessLogEntry.objects.values_list("user", "reference", "action")) == [
        (application.applicant.pk, application.reference, "data_export")
    ]


def test_an_erasure_request_reaches_the_officers_queue_once(client):
    applicant = submitted_application().applicant
    client.force_login(applicant)

    client.post(url("privacy:erasure_request"), {"note": "Переїжджаю, прошу видалити.", "confirm": "on"})
    again = client.post(url("privacy:erasure_request"), {"confirm": "on"}, follow=True)
    unconfirmed = client.post(url("privacy:erasure_request"), {}, follow=True)
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    queue = client.get(url("privacy:erasure_queue"))

    assert [str(m) for m in again.context["messages"]][-1] == (
        "Your request is already with the programme; you will hear from us."
    )
    assert [str(m) for m in unconfirmed.context["messages"]][-1] == "Confirm that you understand what erasure means."
    assert [(r.user, r.note) for r in queue.context["requests"]] == [(applicant, "Переїжджаю, прошу видалити.")]


def test_only_officers_see_and_decide_erasure_requests(client):
    erasure = ErasureRequest.objects.create(user=UserFactory(), notify_email="x@example.org")
    seen = {}
    for role in (Role.APPROVER, Role.DONOR_AUDITOR, Role.APPLICANT):
        client.force_login(UserFactory(role=role))
        seen[role] = (
            client.get(url("privacy:erasure_queue")).status_code,
            client.post(url("privacy:erasure_detail", erasure.pk), {"decision": "erase"}).status_code,
        )

    assert seen == {Role.APPROVER: (403, 403), Role.DONOR_AUDITOR: (403, 403), Role.APPLICANT: (403, 403)}
    assert ErasureRequest.objects.get().status == "pending"


def test_an_officer_erases_a_person_and_keeps_the_financial_record_and_the_person_is_told(
    client, mailbox, django_capture_on_commit_callbacks
):
    version = PlanVersionFactory(complete=True)
    application = with_evidence(version.plan.application)
    applicant, email = application.applicant, application.applicant.email
    evidence = application.migration_evidence
    quote = version.equipment_lines.get().quote
    erasure = ErasureRequest.objects.create(user=applicant, notify_email=email, language="en")
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    client.force_login(officer)

    opened = client.get(url("privacy:erasure_detail", erasure.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("privacy:erasure_detail", erasure.pk), {"decision": "erase", "message": "Готово."})

    application = Application.objects.get(pk=application.pk)
    version = PlanVersion.objects.get(pk=version.pk)
    applicant = User.objects.get(pk=applicant.pk)
    erasure.refresh_from_db()
    assert opened.status_code == 200
    assert (application.first_name, application.last_name, application.phone, application.date_of_birth) == (
        "",
        "",
        "",
        None,
    )
    assert (application.applicant, application.status, application.birth_year) == (None, "withdrawn", 1985)
    assert (application.region, application.sector, str(application.own_contribution_amount)) == (
        "lviv",
        "agriculture",
        "3000.00",
    )
    assert (version.summary, version.jobs_total, version.equipment_lines.get().unit_price) == ("", 3, 3500)
    assert not evidence.storage.exists(evidence.name) and not quote.storage.exists(quote.name)
    assert (applicant.is_active, applicant.email, applicant.has_usable_password()) == (
        False,
        f"erased-{applicant.pk}@invalid.example",
        False,
    )
    assert Consent.objects.filter(application=application).count() == 0
    assert (erasure.status, erasure.decided_by, erasure.notify_email) == ("done", officer, "")
    assert sorted(AccessLogEntry.objects.values_list("action", flat=True)) == ["anonymised", "view_erasure_request"]
    (sent,) = mailbox.wait_for(to=email)
    assert subject_of(sent) == "Your data have been erased"
    assert "Готово." in body_of(sent)


def test_a_refusal_needs_a_reason_and_the_person_reads_it(client, mailbox, django_capture_on_commit_callbacks):
    application = submitted_application()
    email = application.applicant.email
    erasure = ErasureRequest.objects.create(user=application.applicant, notify_email=email, language="en")
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    without = client.post(url("privacy:erasure_detail", erasure.pk), {"decision": "refuse", "message": " "})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("privacy:erasure_detail", erasure.pk), {"decision": "refuse", "message": "Грант ще діє."})
    client.force_login(application.applicant)
    page = client.get(url("privacy:my_data")).content.decode()

    assert without.context["form"].errors == {"message": ["Tell the person why the request is refused."]}
    assert Application.objects.get(pk=application.pk).last_name == application.last_name
    assert "Refused" in page and "Грант ще діє." in page
    (sent,) = mailbox.wait_for(to=email)
    assert "Грант ще діє." in body_of(sent)
