"""Issuing letters: once per application, kind and version; stored with their hash; emailed once."""

import hashlib
import os
import shutil
import subprocess
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason, LetterKind, LetterStatus
from grants.exceptions import DecisionError
from grants.letters.rendering import letters_render, letters_sweep
from grants.letters.selectors import batch_progress
from grants.letters.services import letter_issue, letter_regenerate, letters_batch_start, normalize_code, verify_url
from grants.letters.tasks import letter_email, letter_render, letters_email_unsent
from grants.models import Letter
from tests.conftest import subject_of
from tests.factories import CallFactory, recommended_application

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it, with every run of white space (line breaks too) as one space."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def file_bytes(letter: Letter) -> bytes:
    with letter.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def approved(approver):
    call = CallFactory(cycle_year=2021, reference_prefix="1P1", budget_envelope=Decimal("20000.00"))
    application = recommended_application(
        call=call,
        grant=Decimal("3250.50"),
        first_name="Оксана",
        last_name="Петренко",
        region="lviv",
        equipment=(("Сироварня на 200 л", 1, Decimal("3000.00")), ("Прес для сиру", 1, Decimal("400.00"))),
    )
    grant_approve(application=application, actor=approver)
    application.refresh_from_db()
    return application


def issue_and_run(application, officer, django_capture_on_commit_callbacks, kind=LetterKind.AWARD) -> Letter:
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue(application=application, kind=kind, actor=officer)
    letter.refresh_from_db()
    return letter


def test_an_award_letter_is_stored_with_its_hash_and_figures(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks
):
    letter = issue_and_run(approved, officer, django_capture_on_commit_callbacks)

    content = file_bytes(letter)
    approved.refresh_from_db()
    assert (letter.status, letter.version, letter.language) == (LetterStatus.READY, 1, "uk")
    assert letter.sha256 == hashlib.sha256(content).hexdigest()
    assert letter.file.name.startswith("letters/")
    assert letter.figures["agreement_number"] == "UA-1P1-2021-0001"
    assert letter.figures["grant_usd"] == "3250.50"
    assert letter.figures["verify_url"] == verify_url(letter.verification_code)
    assert approved.status == S.AWARDED
    assert approved.status_changes.last().note_text == "Award letter UA-1P1-2021-0001 issued."
    text = pdf_text(content)
    for expected in (
        "Петренко Оксана",
        "UA-1P1-2021-0001",
        "USD 3,250.50",
        "Сироварня на 200 л",
        "Прес для сиру",
        "три тисячі двісті п'ятдесят доларів США 50 центів",
        "three thousand two hundred fifty US dollars 50 cents",
        letter.verification_code,
    ):
        assert expected in text, expected
    [message] = mailbox.messages()
    assert subject_of(message) == "1+1: ваш лист про надання гранту UA-1P1-2021-0001"
    [attachment] = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == "award-letter-UA-1P1-2021-0001-v1.pdf"
    assert attachment.get_payload(decode=True) == content


def test_issuing_again_returns_the_same_letter(approved, officer, eager_tasks, django_capture_on_commit_callbacks):
    first = issue_and_run(approved, officer, django_capture_on_commit_callbacks)
    again = issue_and_run(approved, officer, django_capture_on_commit_callbacks)

    assert again.pk == first.pk
    assert (again.sha256, again.file.name) == (first.sha256, first.file.name)
    assert Letter.objects.count() == 1


def test_rendering_and_emailing_twice_do_nothing_the_second_time(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks
):
    letter = issue_and_run(approved, officer, django_capture_on_commit_callbacks)

    assert letters_render([letter.pk]) == []
    assert letter_email(letter.pk) is False
    letter.refresh_from_db()
    assert file_bytes(letter) and len(mailbox.messages()) == 1
    assert approved.status_changes.filter(to_status=S.AWARDED).count() == 1


def test_regenerating_makes_version_two_and_keeps_version_one(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks
):
    first = issue_and_run(approved, officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = letter_regenerate(letter=first, actor=officer)

    second.refresh_from_db()
    first.refresh_from_db()
    assert [(x.version, x.status) for x in Letter.objects.order_by("version")] == [
        (1, LetterStatus.READY),
        (2, LetterStatus.READY),
    ]
    assert first.verification_code != second.verification_code
    assert first.file.name != second.file.name
    assert hashlib.sha256(file_bytes(first)).hexdigest() == first.sha256
    assert "UA-1P1-2021-0001" in pdf_text(file_bytes(second))
    assert len(mailbox.messages()) == 2


def test_a_decline_letter_states_the_reason(approver, officer, eager_tasks, django_capture_on_commit_callbacks):
    application = recommended_application(language="en", first_name="Taras", last_name="Melnyk")
    grant_decline(application=application, actor=approver, reason=DeclineReason.BUDGET, note="Budget of 2021 used up.")

    letter = issue_and_run(application, officer, django_capture_on_commit_callbacks, kind=LetterKind.DECLINE)

    text = pdf_text(file_bytes(letter))
    assert (letter.status, letter.language, letter.grant_id) == (LetterStatus.READY, "en", None)
    assert "Melnyk Taras" in text
    assert "The call's budget does not allow this grant" in text
    assert "Budget of 2021 used up." in text
    assert text.index("Decision on your application") < text.index("Рішення щодо вашої заявки")


def test_a_letter_needs_a_decision_that_it_states(officer):
    application = recommended_application()

    with pytest.raises(DecisionError) as refused:
        letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)

    assert refused.value.message == f"{application.reference} has no decision that this letter could state."


def test_only_staff_issue_letters(approved):
    with pytest.raises(ActorNotAllowed):
        letter_issue(application=approved, kind=LetterKind.AWARD, actor=approved.applicant)


def test_a_letter_that_keeps_failing_shows_as_failed_with_its_error(
    approved, officer, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_issue(application=approved, kind=LetterKind.AWARD, actor=officer)
    Letter.objects.filter(pk=letter.pk).update(figures={"kind": "award"})  # figures a renderer cannot read

    letter_render.delay(letter.pk)

    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (LetterStatus.FAILED, 4)
    assert letter.error.startswith("KeyError") or letter.error.startswith("TypeError")
    assert not letter.file

    with django_capture_on_commit_callbacks(execute=False) as queued:
        again = letter_issue(application=approved, kind=LetterKind.AWARD, actor=officer)
    assert (again.pk, again.status, again.error, len(queued)) == (letter.pk, LetterStatus.PENDING, "", 1)


def test_a_batch_issues_each_missing_letter_once(approver, officer, eager_tasks, django_capture_on_commit_callbacks):
    call = CallFactory(budget_envelope=Decimal("20000.00"))
    applications = [recommended_application(call=call) for _ in range(3)]
    for application in applications:
        grant_approve(application=application, actor=approver)

    with django_capture_on_commit_callbacks(execute=True):
        batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        again = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)

    progress = batch_progress(batch)
    assert (progress.total, progress.done, progress.failed, progress.finished) == (3, 3, 0, True)
    assert batch_progress(again).total == 0
    assert sorted(Letter.objects.values_list("application_id", "version")) == sorted(
        (application.pk, 1) for application in applications
    )


def test_verification_codes_read_the_same_however_typed():
    assert normalize_code("k7qf m2xd-9tra pw3e") == "K7QF-M2XD-9TRA-PW3E"
    assert verify_url("K7QF-M2XD-9TRA-PW3E") == "http://127.0.0.1:8000/verify/K7QF-M2XD-9TRA-PW3E/"


def test_the_sweep_deletes_only_old_files_no_letter_points_to(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks, settings, tmp_path
):
    """A worker killed between writing a letter's file and committing its row leaves an orphan file."""
    settings.MEDIA_ROOT = tmp_path
    letter = issue_and_run(approved, officer, django_capture_on_commit_callbacks)
    storage = letter.file.storage
    folder = letter.file.name.rsplit("/", 1)[0]
    orphan = storage.save(f"{folder}/award-letter-UA-1P1-2021-0001-v1_orphan.pdf", ContentFile(b"%PDF-1.7"))
    fresh = storage.save(f"{folder}/award-letter-UA-1P1-2021-0002-v1.pdf", ContentFile(b"%PDF-1.7"))
    hours_ago = time.time() - 3 * 3600
    for name in (orphan, letter.file.name):
        os.utime(storage.path(name), (hours_ago, hours_ago))

    assert letters_sweep() == [orphan]

    assert not storage.exists(orphan)
    assert storage.exists(fresh)  # may still be a letter being stored right now
    assert file_bytes(letter).startswith(b"%PDF")
    assert letters_sweep() == []


def test_a_ready_letter_whose_email_was_never_queued_is_sent_once_by_the_sweep(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks
):
    """A worker killed between committing a letter and queuing its email leaves it ready and unsent."""
    letter = issue_and_run(approved, officer, django_capture_on_commit_callbacks)
    mailbox.clear()
    hour_ago = timezone.now() - timedelta(hours=1)
    Letter.objects.filter(pk=letter.pk).update(emailed_at=None, rendered_at=hour_ago)

    assert letters_email_unsent() == 1
    assert letters_email_unsent() == 0

    [message] = mailbox.messages()
    assert message["To"] == approved.applicant.email
    Letter.objects.filter(pk=letter.pk).update(emailed_at=None, rendered_at=timezone.now())
    assert letters_email_unsent() == 0  # just stored: its email may still be on its way
    Letter.objects.filter(pk=letter.pk).update(rendered_at=timezone.now() - timedelta(days=8))
    assert letters_email_unsent() == 0  # a week on, it is for staff to look at, not for a sweep


def test_regenerating_again_while_the_new_version_is_prepared_makes_no_second_letter(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks
):
    first = issue_and_run(approved, officer, django_capture_on_commit_callbacks)
    second = letter_regenerate(letter=first, actor=officer)  # queued, not yet rendered

    again = letter_regenerate(letter=first, actor=officer)

    assert again.pk == second.pk
    assert [(x.version, x.status) for x in Letter.objects.order_by("version")] == [
        (1, LetterStatus.READY),
        (2, LetterStatus.PENDING),
    ]


def test_the_award_letter_states_the_calls_retention_and_monitoring_months(
    approved, officer, eager_tasks, mailbox, django_capture_on_commit_callbacks
):
    type(approved.call).objects.filter(pk=approved.call_id).update(
        equipment_retention_months=36, monitoring_months=[3, 12, 24]
    )

    letter = issue_and_run(approved, officer, django_capture_on_commit_callbacks)

    text = pdf_text(file_bytes(letter))
    assert (letter.figures["retention_months"], letter.figures["report_months"]) == (36, [3, 12, 24])
    for expected in (
        "For at least 36 months after the handover",
        "report on your business 3, 12 and 24 months after the handover",
        "within these 36 months",
        "Щонайменше 36 місяців після передачі",
        "через 3, 12 і 24 місяці після передачі обладнання",
        "протягом цих 36 місяців",
    ):
        assert expected in text, expected
    assert "24 months after the handover, you use" not in text
