"""Tasks leave through the real broker to a real worker process under CI (in-process elsewhere)."""

import pytest

from applications import services
from tests.conftest import subject_of
from tests.factories import ApplicationFactory


@pytest.mark.django_db(transaction=True)
def test_submission_confirmation_is_emailed_by_the_worker(celery_worker, mailbox, settings):
    application = ApplicationFactory(complete=True, language="en", applicant__email="taras@example.org")

    submitted = services.application_submit(application=application, actor=application.applicant)

    messages = mailbox.wait_for(to="taras@example.org")
    assert [subject_of(m) for m in messages] == [f"1+1: your application {submitted.reference} is received"]
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        assert celery_worker.alive()
        assert "applications.tasks.notify_status_change" in celery_worker.log.read_text()
    submitted.status_changes.get().refresh_from_db()
    assert submitted.status_changes.get().notified_at is not None
