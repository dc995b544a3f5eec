"""The stored ranking: each call's ranking as `call_ranking_table` computes it, kept so that pages read it.

**Fresh or not.** Every change to what the ranking reads (score sheets, declarations, plan versions, the
priority index, the applications' statuses, the rubric, the budget) adds a `RankingChange` row for its call
in the change's own transaction (reviews.ranking.receivers), and queues the recomputation after commit. The
recomputation (reviews.ranking.services.ranking_store) reads the call's change rows first, computes, stores
the rows and deletes exactly the change rows it read. The stored rows are read only while the call has a
`RankingState` that was computed (`computed_at`) and no change row is left; otherwise the pages compute
the ranking as before, so they never show a stale one.

**No locks shared with the writers.** These tables hold no foreign-key constraints (`db_constraint=False`;
Django still deletes their rows with the call or the application): a constraint's check, run at COMMIT,
takes `FOR KEY SHARE` on the referenced call and application rows, which approvals and moves hold
`FOR UPDATE`; with the checks, a recomputation and an approval deadlocked (see the receivers' module).
Writers only ever insert new change rows, which nobody locks.

**Rows.** One per ranked application, in rank order: what `RankedRow` and `RankingLine` hold (position,
score, outcome, running total, the tie-break figures, the reviewers' means, the per-criterion means, the
disagreement flag). The application's name and status are read from the application, not copied.
"""

from django.db import models

from applications.models import Application, Call

SCORE = {"max_digits": 8, "decimal_places": 2}  # as reviews.scoring.rules gives them, to the cent
MONEY = {"max_digits": 14, "decimal_places": 2}
UNCHECKED = {"on_delete": models.CASCADE, "db_constraint": False}  # see "No locks shared with the writers"


class RankingState(models.Model):
    call = models.OneToOneField(Call, related_name="ranking_state", **UNCHECKED)
    computed_at = models.DateTimeField(null=True, blank=True)  # None: the rows were never stored
    committed = models.DecimalField(**MONEY, default=0)
    # What a confirmation records (CallRanking.snapshot), to tell in SQL whether a confirmation still counts.
    snapshot = models.JSONField(default=list)

    class Meta:
        app_label = "reviews"

    def __str__(self) -> str:
        return f"{self.call_id}: stored {self.computed_at}"


class RankingChange(models.Model):
    """A committed change the stored rows of its call may not include yet (see "Fresh or not")."""

    call = models.ForeignKey(Call, related_name="+", **UNCHECKED)

    class Meta:
        app_label = "reviews"

    def __str__(self) -> str:
        return f"{self.call_id}: change {self.pk}"


class RankedApplication(models.Model):
    call = models.ForeignKey(Call, related_name="ranked_applications", **UNCHECKED)
    application = models.OneToOneField(Application, related_name="ranked", **UNCHECKED)
    position = models.PositiveIntegerField()
    score = models.DecimalField(**SCORE, null=True, blank=True)
    outcome = models.CharField(max_length=20)
    running_total = models.DecimalField(**MONEY)
    grant = models.DecimalField(**MONEY)
    priority = models.BooleanField()
    own_contribution_ratio = models.DecimalField(max_digits=12, decimal_places=4)
    plan_submitted_at = models.DateTimeField(null=True, blank=True)  # None: no submitted plan version
    reviewer_means = models.JSONField(default=list)  # strings of Decimals, in the sheets' order
    criterion_means = models.JSONField(default=dict)  # criterion id → a Decimal's string, or None
    disagreement = models.BooleanField()
    independent_scores = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "reviews"
        ordering = ["call", "position"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="ranked_application_position")]

    def __str__(self) -> str:
        return f"{self.call_id} #{self.position}: {self.application_id}"
