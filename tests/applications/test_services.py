import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from applications import services
from applications.enums import ApplicationStatus, RejectionReason
from applications.exceptions import ActorNotAllowed, ApplicationError
from applications.models import Application, ApplicationStatusChange, Consent
from applications.selectors import consent_notices_current
from applications.staff import services as screening
from applications.tasks import notify_status_change
from tests.factories import ApplicationFactory, CallFactory, UserFactory, submitted_application

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def test_application_start_creates_one_draft_per_applicant_per_call():
    call = CallFactory()
    applicant = UserFactory(preferred_language="en")

    first, created_first = services.application_start(call=call, applicant=applicant)
    second, created_second = services.application_start(call=call, applicant=applicant)

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert (first.status, first.language, first.first_name) == (S.DRAFT, "en", applicant.first_name)


def test_application_start_refuses_a_closed_call():
    call = CallFactory(opens_at=timezone.now() - timedelta(days=20), closes_at=timezone.now() - timedelta(days=1))

    with pytest.raises(ApplicationError, match="not open"):
        services.application_start(call=call, applicant=UserFactory())

    assert Application.objects.count() == 0


def test_submit_gives_the_next_reference_of_the_call():
    call = CallFactory(reference_prefix="1P1", cycle_year=2021)
    call.last_reference_number = 41
    call.save()
    application = ApplicationFactory(call=call, complete=True)

    submitted = services.application_submit(application=application, actor=application.applicant)

    assert (submitted.status, submitted.reference) == (S.SUBMITTED, "1P1-2021-0042")
    assert submitted.submitted_at is not None


def test_submit_refuses_an_incomplete_application_and_names_what_is_missing():
    application = ApplicationFactory(phone="", complete=True)
    application.equipment.all().delete()

    with pytest.raises(ApplicationError) as error:
        services.application_submit(application=application, actor=application.applicant)

    assert error.value.message == ("Please complete these sections first: About you, Contribution and equipment.")
    application.refresh_from_db()
    assert (application.status, application.reference) == (S.DRAFT, None)


def test_submit_refuses_without_consent_to_the_current_notice():
    application = ApplicationFactory(complete=True)
    Consent.objects.filter(application=application).delete()

    with pytest.raises(ApplicationError, match="Priority groups and consent"):
        services.application_submit(application=application, actor=application.applicant)


def test_submit_after_the_call_closed_is_refused_and_the_draft_kept():
    application = ApplicationFactory(complete=True)
    application.call.closes_at = timezone.now() - timedelta(minutes=1)
    application.call.opens_at = timezone.now() - timedelta(days=30)
    application.call.save()

    with pytest.raises(ApplicationError, match="The call closed on"):
        services.application_submit(application=application, actor=application.applicant)

    application.refresh_from_db()
    assert (application.status, application.phone) == (S.DRAFT, "+48 600 100 200")


def test_submitted_application_is_read_only_for_the_applicant():
    application = submitted_application()

    with pytest.raises(ApplicationError, match="can no longer be changed"):
        services.application_update(application=application, actor=application.applicant, fields={"phone": "+1"})


def test_someone_else_cannot_edit_a_draft():
    application = ApplicationFactory()

    with pytest.raises(ActorNotAllowed):
        services.application_update(application=application, actor=UserFactory(), fields={"phone": "+1"})


def test_consents_record_the_notice_version_once_and_withdrawal_keeps_the_row():
    application = ApplicationFactory()
    notices = consent_notices_current()
    actor = application.applicant

    services.application_consents_set(application=application, actor=actor, notices=notices, agreed=notices)
    services.application_consents_set(application=application, actor=actor, notices=notices, agreed=notices)
    selection_only = [notice for notice in notices if notice.purpose == "selection"]
    services.application_consents_set(application=application, actor=actor, notices=notices, agreed=selection_only)

    rows = (
        Consent.objects.filter(application=application)
        .order_by("notice__purpose")
        .values_list("notice__purpose", "notice__version", "withdrawn_at")
    )
    assert [(purpose, version, withdrawn_at is None) for purpose, version, withdrawn_at in rows] == [
        ("donor_reporting", "2021.1", False),
        ("monitoring", "2021.1", False),
        ("selection", "2021.1", True),
        ("stories", "2021.1", False),
    ]


def test_status_change_notification_is_queued_only_after_commit(django_capture_on_commit_callbacks):
    application = submitted_application()
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        screening.application_shortlist(application=application, actor=officer)

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_notification_is_sent_in_the_applicants_language_and_only_once():
    applicant = UserFactory(email="olena@example.org", first_name="Olena")
    application = submitted_application(applicant=applicant, language="en")
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    change = ApplicationStatusChange.objects.create(
        application=application, from_status=S.SUBMITTED, to_status=S.SHORTLISTED, actor=officer
    )

    first, second = notify_status_change(change.pk), notify_status_change(change.pk)

    assert (first, second) == (True, False)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["olena@example.org"], f"1+1: your application {application.reference} is shortlisted")
    ]
    assert "Dear Olena," in mail.outbox[0].body


def test_rejection_email_states_the_reason():
    application = submitted_application(language="en")
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    Application.objects.filter(pk=application.pk).update(rejection_reason=RejectionReason.SECTOR)
    change = ApplicationStatusChange.objects.create(
        application=application, from_status=S.SUBMITTED, to_status=S.REJECTED, actor=officer, note="Sorry."
    )

    notify_status_change(change.pk)

    assert "Reason: The sector is not eligible in this call" in mail.outbox[0].body
    assert "Sorry." in mail.outbox[0].body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_sequential_references():
    call = CallFactory(reference_prefix="1P1", cycle_year=2021)
    applications = [ApplicationFactory(call=call, complete=True) for _ in range(8)]
    barrier = threading.Barrier(len(applications))
    errors = []

    def submit(application):
        try:
            barrier.wait()
            services.application_submit(application=application, actor=application.applicant)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Application.objects.filter(call=call).values_list("reference", flat=True)) == [
        f"1P1-2021-{n:04d}" for n in range(1, 9)
    ]
