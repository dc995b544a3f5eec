"""The stored ranking's recomputation, queued after commit by reviews.ranking.receivers; safe to run twice."""

from celery import shared_task

from .services import ranking_store


@shared_task
def ranking_recompute(call_id: int, change_id: int | None = None) -> None:
    ranking_store(call_id=call_id, change_id=change_id)
