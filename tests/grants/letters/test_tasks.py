"""Letters through the real broker and worker (under CI; in-process elsewhere), end to end."""

import os
import signal
import time
from decimal import Decimal

import pytest

from accounts.roles import Role
from grants.decisions.services import grant_approve
from grants.enums import LetterKind, LetterStatus
from grants.letters.selectors import batch_progress
from grants.letters.services import letters_batch_resume, letters_batch_start
from grants.models import Letter
from tests.conftest import start_worker
from tests.factories import CallFactory, UserFactory, recommended_application
from tests.grants.letters.test_services import file_bytes, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, timeout: float = 90, what: str = "the letters") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}")
        time.sleep(0.2)


def ready_count(batch) -> int:
    return Letter.objects.filter(batch=batch, status=LetterStatus.READY).count()


def test_the_worker_renders_bilingual_letters_and_the_verify_page_knows_them(celery_worker, mailbox, client):
    approver = UserFactory(role=Role.APPROVER, first_name="Марта", last_name="Коваль")
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    call = CallFactory(cycle_year=2021, reference_prefix="1P1", budget_envelope=Decimal("20000.00"))
    oksana = recommended_application(
        call=call,
        grant=Decimal("3250.50"),
        first_name="Оксана",
        last_name="Петренко",
        region="lviv",
        language="uk",
        applicant__email="oksana@example.org",
        equipment=(("Сироварня на 200 л", 1, Decimal("3000.00")), ("Прес для сиру", 1, Decimal("400.00"))),
    )
    taras = recommended_application(
        call=call,
        grant=Decimal("4000.00"),
        first_name="Taras",
        last_name="Melnyk",
        region="odesa",
        language="en",
        applicant__email="taras@example.org",
        equipment=(("Hydraulic press", 2, Decimal("2100.00")),),
    )
    for application in (oksana, taras):
        grant_approve(application=application, actor=approver)

    batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    wait_until(lambda: batch_progress(batch).finished)

    assert batch_progress(batch).done == 2
    uk_letter = Letter.objects.get(application=oksana)
    en_letter = Letter.objects.get(application=taras)
    uk_text = pdf_text(file_bytes(uk_letter))
    en_text = pdf_text(file_bytes(en_letter))
    for expected in (
        "Петренко Оксана",
        "UA-1P1-2021-0001",
        "USD 3,250.50",
        "USD 3,400.00",
        "Сироварня на 200 л",
        "Прес для сиру",
        "три тисячі двісті п'ятдесят доларів США 50 центів",
        "three thousand two hundred fifty US dollars 50 cents",
        "Львівська область",
        "Lviv oblast",
        "Лист про надання гранту",
        "Award letter",
    ):
        assert expected in uk_text, expected
    for expected in ("Melnyk Taras", "UA-1P1-2021-0002", "USD 4,000.00", "Hydraulic press", "four thousand"):
        assert expected in en_text, expected
    assert uk_text.index("Лист про надання гранту") < uk_text.index("Award letter")
    assert en_text.index("Award letter") < en_text.index("Лист про надання гранту")

    assert len(mailbox.wait_for(to="oksana@example.org")) == 1
    assert len(mailbox.wait_for(to="taras@example.org")) == 1

    genuine = client.get(f"/verify/{uk_letter.verification_code}/", HTTP_ACCEPT_LANGUAGE="en")
    forged = client.get("/verify/AAAA-BBBB-CCCC-DDDD/", HTTP_ACCEPT_LANGUAGE="en")
    assert genuine.status_code == 200
    assert "UA-1P1-2021-0001" in genuine.text and "USD 3,250.50" in genuine.text
    assert "Петренко" not in genuine.text
    assert forged.status_code == 404
    if celery_worker is not None:
        assert "grants.letters.tasks.letters_render_chunk" in celery_worker.log.read_text()


@pytest.mark.postgres
def test_a_batch_resumed_after_its_worker_was_killed_has_each_letter_once(celery_worker, mailbox):
    from onepluone.celery import app

    approver = UserFactory(role=Role.APPROVER)
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    call = CallFactory(budget_envelope=Decimal("100000.00"))
    applications = [recommended_application(call=call, grant=Decimal("1000.00")) for _ in range(20)]
    for application in applications:
        grant_approve(application=application, actor=approver)
    # The session's worker leaves letters alone; a worker of our own takes them, in chunks of 5, and dies.
    app.control.cancel_consumer("letters", destination=[celery_worker.name], reply=True)
    doomed = start_worker(name="doomed-worker", queues="letters", env={"LETTER_BATCH_CHUNK": "5"})
    try:
        batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
        wait_until(lambda: ready_count(batch) >= 5, what="the first chunk")
        os.kill(doomed.process.pid, signal.SIGKILL)
        doomed.process.wait(timeout=10)
    finally:
        if doomed.alive():
            doomed.process.kill()
        app.control.add_consumer("letters", destination=[celery_worker.name], reply=True)
    at_the_kill = ready_count(batch)
    assert 5 <= at_the_kill < 20

    # The chunk the dead worker held is never acknowledged: its letters stay pending until resumed.
    wait_until(lambda: batch_progress(batch).pending <= 5, what="the queued chunks")
    letters_batch_resume(batch=batch, actor=officer)
    wait_until(lambda: batch_progress(batch).finished, what="the resumed batch")

    progress = batch_progress(batch)
    assert (progress.total, progress.done, progress.failed) == (20, 20, 0)
    letters = list(Letter.objects.filter(application__call=call))
    assert sorted((letter.application_id, letter.version) for letter in letters) == sorted(
        (application.pk, 1) for application in applications
    )
    assert all(letter.file.storage.exists(letter.file.name) for letter in letters)
    wait_until(lambda: len(mailbox.messages()) >= 20, what="the emails")
    time.sleep(1)
    recipients = sorted(message["To"] for message in mailbox.messages())
    assert recipients == sorted(application.applicant.email for application in applications)
