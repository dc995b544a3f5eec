"""Celery work for letters: render in chunks, store once, email once.

A batch fans out into chunks of `settings.LETTER_BATCH_CHUNK` letters; each chunk is rendered by
grants.letters.compose.render_letters (award letters composed, the rest laid out in one WeasyPrint pass), one PDF
per letter. A chunk that fails is retried
letter by letter, each with its own retries and backoff, so one bad letter never holds up the rest and
ends as "failed" with its error. Every step is safe to run twice: storing and emailing take the
letter's row lock and skip what is already done.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.email import email_context, email_message
from common.retries import retry_or_give_up
from grants.enums import LetterStatus
from grants.models import Letter, LetterBatch

from .rendering import LETTER_ATTEMPTS, letter_failed, letters_render, letters_sweep

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def letters_batch_run(batch_id: int) -> int:
    """Queue the batch's pending letters in chunks, and the email of any ready letter not yet sent (its
    worker died between storing it and queuing the email); returns how many letters were queued."""
    batch = LetterBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return 0
    for letter_id in batch.letters.filter(status=LetterStatus.READY, emailed_at__isnull=True).values_list(
        "pk", flat=True
    ):
        letter_email.delay(letter_id)
    ids = list(batch.letters.filter(status=LetterStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    size = settings.LETTER_BATCH_CHUNK
    for start in range(0, len(ids), size):
        letters_render_chunk.delay(ids[start : start + size])
    return len(ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def letters_render_chunk(letter_ids: list[int]) -> list[int]:
    """Render a chunk together; on any error, hand each letter to `letter_render` and its retries."""
    try:
        stored = letters_render(letter_ids, task=letters_render_chunk.name)
    except Exception:
        logger.exception("Rendering letters %s together failed; retrying them one by one", letter_ids)
        for letter_id in letter_ids:
            letter_render.delay(letter_id)
        return []
    _email_stored(stored)
    return stored


def _email_stored(letter_ids: list[int]) -> None:
    for letter_id in letter_ids:
        letter_email.delay(letter_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=LETTER_ATTEMPTS - 1)
def letter_render(self, letter_id: int) -> bool:
    """Render one letter; after the last retry it is marked failed with the error, for the officer to see."""
    try:
        stored = letters_render([letter_id], task=self.name)
    except Exception as error:
        return retry_or_give_up(
            self,
            error,
            failed=lambda text, final: letter_failed(letter_id=letter_id, error=text, final=final, task=self.name),
            what=f"Letter {letter_id}",
        )
    _email_stored(stored)
    return bool(stored)


# What the letter's email reads (templates/emails/letter_*.txt): a letter row drags its application's and call's
# thirty-odd columns along otherwise, and a batch sends one email a letter.
EMAIL_FIELDS = (
    "kind",
    "version",
    "figures",
    "file",
    "verification_code",
    "emailed_at",
    "application__language",
    "application__first_name",
    "application__reference",
    "application__applicant__email",
    "application__call__title_uk",
    "application__call__title_en",
)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def letter_email(letter_id: int) -> bool:
    """Email a ready letter to the applicant as an attachment, in their language, at most once."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("application__applicant", "application__call")
            .only(*EMAIL_FIELDS)
            .filter(pk=letter_id, status=LetterStatus.READY, emailed_at__isnull=True)
            .first()
        )
        if letter is None:
            return False
        application = letter.application
        with translation.override(application.language):
            context = {"letter": letter, "application": application, **email_context()}
            subject = render_to_string(f"emails/letter_{letter.kind}_subject.txt", context).strip()
            body = render_to_string(f"emails/letter_{letter.kind}.txt", context)
            message = email_message(subject=subject, text=body, to=[application.applicant.email])
        with letter.file.open("rb") as handle:
            content = handle.read()
        message.attach(letter.filename(), content, "application/pdf")
        message.send()
        letter.emailed_at = timezone.now()
        letter.save(update_fields=["emailed_at"])
        return True


@shared_task
def letters_sweep_orphans() -> int:
    """Daily (beat): delete letter files left without a row by a worker killed while storing them."""
    removed = letters_sweep()
    if removed:
        logger.warning("Deleted %s orphaned letter files: %s", len(removed), removed)
    return len(removed)


# A ready letter whose email was never queued is sent by the next sweep; past a week it is left to staff.
UNSENT_AFTER = timedelta(minutes=10)
UNSENT_UNTIL = timedelta(days=7)


@shared_task
def letters_email_unsent() -> int:
    """Every 15 minutes (beat): queue the email of each ready letter stored more than UNSENT_AFTER ago and
    still not emailed: its worker died between committing the letter and queuing the email, or sending
    failed past its retries. `letter_email` sends at most once, so queuing twice is harmless."""
    now = timezone.now()
    unsent = Letter.objects.filter(
        status=LetterStatus.READY,
        emailed_at__isnull=True,
        rendered_at__lt=now - UNSENT_AFTER,
        rendered_at__gte=now - UNSENT_UNTIL,
    ).values_list("pk", flat=True)
    for letter_id in unsent:
        letter_email.delay(letter_id)
    return len(unsent)
