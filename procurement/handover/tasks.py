"""Celery work for handover acts: render once, store once, retry with backoff, then show the error.

Safe to run twice: storing takes the act's row lock and skips an act already stored.
"""

import logging

from celery import shared_task
from django.conf import settings

from .rendering import ACT_ATTEMPTS, act_failed, act_render

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=ACT_ATTEMPTS - 1)
def handover_act_render(self, act_id: int) -> bool:
    try:
        return act_render(act_id)
    except Exception as error:
        final = self.request.retries >= self.max_retries
        act_failed(act_id=act_id, error=f"{type(error).__name__}: {error}", final=final)
        if final:
            logger.exception("Handover act %s failed after %s attempts", act_id, ACT_ATTEMPTS)
            return False
        if self.request.is_eager:  # the demo runs tasks in-process: the next attempt runs now
            return self.apply(args=(act_id,), retries=self.request.retries + 1).result
        raise self.retry(exc=error, countdown=settings.LETTER_RETRY_BASE_SECONDS * 2**self.request.retries) from error
