"""Celery work for handover acts: render once, store once, retry with backoff, then show the error.

Safe to run twice: storing takes the act's row lock and skips an act already stored.
"""

from celery import shared_task

from common.retries import retry_or_give_up

from .rendering import ACT_ATTEMPTS, act_failed, act_render


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=ACT_ATTEMPTS - 1)
def handover_act_render(self, act_id: int) -> bool:
    try:
        return act_render(act_id)
    except Exception as error:
        return retry_or_give_up(
            self,
            error,
            failed=lambda text, final: act_failed(act_id=act_id, error=text, final=final),
            what=f"Handover act {act_id}",
        )
