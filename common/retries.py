"""What a task that renders a document does after a failed attempt (award letters, handover acts)."""

import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger(__name__)


def retry_or_give_up(task, error: Exception, *, failed: Callable[[str, bool], None], what: str) -> bool:
    """Record the failed attempt with `failed(error_text, final)`, then try again after an exponential
    backoff (settings.LETTER_RETRY_BASE_SECONDS × 2^attempt) by raising Celery's Retry; in-process (the
    demo runs tasks eagerly) the next attempt runs now and its result is returned. After the last attempt
    the document stays failed, for staff to see, and this returns False."""
    final = task.request.retries >= task.max_retries
    failed(f"{type(error).__name__}: {error}", final)
    if final:
        logger.exception("%s failed after %s attempts", what, task.max_retries + 1)
        return False
    if task.request.is_eager:
        return task.apply(args=task.request.args, kwargs=task.request.kwargs, retries=task.request.retries + 1).result
    raise task.retry(exc=error, countdown=settings.LETTER_RETRY_BASE_SECONDS * 2**task.request.retries) from error
