"""What makes a call's stored ranking stale, and its recomputation queued (reviews.ranking.models).

Connected in `ReviewsConfig.ready()` to the saves and deletes of everything `call_ranking_table` reads:
score sheets, conflict declarations, plan versions that are not drafts, the priority index, an application's
status, the rubric and its criteria, and the call's budget. Each adds a `RankingChange` row for the call in
the change's own transaction, so that a page never reads stored rows older than a committed change, and
queues `ranking_recompute` for it after commit: one row and one task per call and transaction. Receivers,
not the services, because the changes come from several apps below reviews that may not import it (the
rubric's receiver does the same for new calls).

**Why a row is added, not a counter bumped.** The stale mark used to be `UPDATE reviews_rankingstate SET
version = version + 1`, and the recomputation locked that row (`select_for_update`) while it computed and
wrote the ranked rows, whose foreign keys PostgreSQL checks at COMMIT with `FOR KEY SHARE` on the call and
application rows they reference. An approval (grants.decisions.services.grant_approve) locks the call and
then the application `FOR UPDATE`, and marks the ranking stale as it moves the application. So:

- the approval held the call and waited for the state row (or for the application's row, which the
  recomputation's COMMIT had just share-locked), while
- the recomputation held the state row (and those share locks) and waited, in its COMMIT, for the call's
  row: a cycle, which PostgreSQL broke by failing one of them (a 500 during bulk approval).

The counter was also a hot row: every writer of a call held it from its change to its commit, so any
writer that took another lock after the bump could deadlock with one that held that lock and then bumped.

Now no wait runs from a writer to a recomputation: writers only insert new change rows (no constraint to
check, nothing anybody locks); a recomputation locks only rows of the stored ranking's own tables (its
state row, against another recomputation; the ranked and change rows it replaces and deletes), which have
no foreign-key constraints, so it waits for nobody's call or application row. Without such an edge there
is no cycle through the ranking, however long the writer's transaction
(tests/reviews/ranking/test_concurrency.py forces the interleaving that used to deadlock).
"""

from django.db import transaction

from applications.enums import ApplicationStatus
from applications.models import Application
from plans.enums import VersionStatus

from .models import RankingChange

S = ApplicationStatus
# An application's ranking changes when it enters or leaves these (ranked, or what a ranked one moves to).
STATUSES_THAT_RANK = frozenset({S.DEFENDED, S.RECOMMENDED, S.WAITLISTED, S.APPROVED, S.DECLINED, S.WITHDRAWN})


class _Recompute:
    """What runs after commit for a call's change row: queue the recomputation that counts it."""

    def __init__(self, call_id: int, change_id: int):
        self.call_id = call_id
        self.change_id = change_id

    def __call__(self) -> None:
        from .tasks import ranking_recompute  # the task imports the services, which read what this module watches

        ranking_recompute.delay(self.call_id, self.change_id)


def _pending_in_this_transaction(call_id: int) -> _Recompute | None:
    """The newest callback of a change row of the call this transaction has added (Django drops a callback
    with the savepoint that rolls its row back)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    return next(
        (
            callback
            for _, callback, _ in reversed(connection.run_on_commit)
            if isinstance(callback, _Recompute) and callback.call_id == call_id
        ),
        None,
    )


def ranking_changed(call_id: int | None) -> None:
    """Mark the call's stored ranking stale in this transaction; queue its recomputation after commit,
    once per call and transaction (unless a recomputation run inside the transaction counted its row)."""
    if call_id is None:
        return
    pending = _pending_in_this_transaction(call_id)
    if pending is not None and RankingChange.objects.filter(pk=pending.change_id).exists():
        return  # this transaction's row still marks it stale
    change = RankingChange.objects.create(call_id=call_id)
    transaction.on_commit(_Recompute(call_id, change.pk))


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
