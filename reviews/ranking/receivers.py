"""What makes a call's stored ranking stale, and its recomputation queued (reviews.ranking.models).

Connected in `ReviewsConfig.ready()` to the saves and deletes of everything `call_ranking_table` reads:
score sheets, conflict declarations, plan versions that are not drafts, the priority index, an application's
status, the rubric and its criteria, and the call's budget. Each bumps the call's `RankingState.version` in
the change's own transaction (so a page never reads rows older than a committed change) and queues
`ranking_recompute` once per call after commit. Receivers, not the services, because the changes come from
several apps below reviews that may not import it (the rubric's receiver does the same for new calls).
"""

from functools import partial

from django.db import transaction
from django.db.models import F

from applications.enums import ApplicationStatus
from applications.models import Application
from plans.enums import VersionStatus

from .models import RankingState

S = ApplicationStatus
# An application's ranking changes when it enters or leaves these (ranked, or what a ranked one moves to).
STATUSES_THAT_RANK = frozenset({S.DEFENDED, S.RECOMMENDED, S.WAITLISTED, S.APPROVED, S.DECLINED, S.WITHDRAWN})


def ranking_changed(call_id: int | None) -> None:
    """Mark the call's stored ranking stale; queue its recomputation after commit when this change is the
    first since it was fresh (or the call has none yet), so a transaction of many changes queues one."""
    if call_id is None:
        return
    states = RankingState.objects.filter(call_id=call_id)
    was_fresh = states.filter(computed_version=F("version")).update(version=F("version") + 1)
    if not was_fresh and states.update(version=F("version") + 1):
        return  # already stale: its recomputation is queued
    transaction.on_commit(partial(_recompute, call_id))


def _recompute(call_id: int) -> None:
    from .tasks import ranking_recompute  # the task imports the services, which read what this module watches

    ranking_recompute.delay(call_id)


def _call_of(application_id: int | None) -> int | None:
    return Application.objects.filter(pk=application_id).values_list("call_id", flat=True).first()


def application_saved(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or instance.status not in STATUSES_THAT_RANK:
        return
    if update_fields is None or "status" in update_fields:
        ranking_changed(instance.call_id)


def by_application(sender, instance, raw: bool = False, **kwargs) -> None:
    """A score sheet, a declaration or a priority-index row: their application's call."""
    if not raw:
        ranking_changed(_call_of(instance.application_id))


def plan_version_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or instance.status == VersionStatus.DRAFT:
        return
    ranking_changed(
        Application.objects.filter(business_plan=instance.plan_id).values_list("call_id", flat=True).first()
    )


def rubric_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        ranking_changed(instance.call_id)


def criterion_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        ranking_changed(instance.rubric.call_id)


def call_saved(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if not raw and (update_fields is None or "budget_envelope" in update_fields):
        ranking_changed(instance.pk)
