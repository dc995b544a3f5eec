"""The stored ranking's recomputation, queued after commit by reviews.ranking.receivers; safe to run twice."""

from celery import shared_task

from .services import ranking_store


@shared_task
def ranking_recompute(call_id: int) -> None:
    ranking_store(call_id=call_id)
