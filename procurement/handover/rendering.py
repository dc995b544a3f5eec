"""Rendering and storing handover acts: what the worker does with an act `act_issue` created.

This module imports neither the act services nor the tasks (the tasks import it, the services queue the
tasks), so issuing and rendering stay one-way. Storing takes the act's row lock and skips an act another
run stored meanwhile: a retried or duplicated task never writes a second file.
"""

from django.db import transaction
from django.utils import timezone

from common.documents import store_once

from ..enums import ActStatus
from ..models import HandoverAct
from .documents import ActFigures, render_act

# An act is tried this many times (the first run and the retries) before it shows as failed.
ACT_ATTEMPTS = 4


def act_render(act_id: int) -> bool:
    """Render a pending act and store it; False when there was nothing to do (already stored, say)."""
    act = HandoverAct.objects.filter(pk=act_id, status=ActStatus.PENDING).first()
    if act is None:
        return False
    return act_store(act, render_act(ActFigures.from_json(act.figures)))


def act_store(act: HandoverAct, content: bytes) -> bool:
    return store_once(HandoverAct, act.pk, pending=ActStatus.PENDING, content=content, finish=_ready)


def _ready(act: HandoverAct, name: str, sha256: str) -> None:
    act.sha256, act.status, act.rendered_at, act.error = sha256, ActStatus.READY, timezone.now(), ""
    act.save(update_fields=["file", "sha256", "status", "rendered_at", "error"])


def act_failed(*, act_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; after the last one the act shows as failed, with the error, to staff."""
    with transaction.atomic():
        act = HandoverAct.objects.select_for_update().filter(pk=act_id, status=ActStatus.PENDING).first()
        if act is None:
            return
        act.attempts += 1
        act.error = error[:2000]
        fields = ["attempts", "error"]
        if final:
            act.status = ActStatus.FAILED
            fields.append("status")
        act.save(update_fields=fields)
