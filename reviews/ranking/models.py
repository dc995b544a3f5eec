"""The stored ranking: each call's ranking as `call_ranking_table` computes it, kept so that pages read it.

**Fresh or not.** `RankingState.version` counts the changes to what the ranking reads (score sheets,
declarations, plan versions, the priority index, the applications' statuses, the rubric, the budget:
reviews.ranking.receivers bumps it in the same transaction as the change, and queues the recomputation
after commit). `computed_version` is the version the stored rows were computed from. The rows are read only
while the two are equal; otherwise the pages compute the ranking as before, so they never show a stale one.

**Rows.** One per ranked application, in rank order: what `RankedRow` and `RankingLine` hold (position,
score, outcome, running total, the tie-break figures, the reviewers' means, the per-criterion means, the
disagreement flag). The application's name and status are read from the application, not copied.
"""

from django.db import models

from applications.models import Application, Call

SCORE = {"max_digits": 8, "decimal_places": 2}  # as reviews.scoring.rules gives them, to the cent
MONEY = {"max_digits": 14, "decimal_places": 2}


class RankingState(models.Model):
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="ranking_state")
    version = models.PositiveIntegerField(default=0)
    computed_version = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    committed = models.DecimalField(**MONEY, default=0)
    # What a confirmation records (CallRanking.snapshot), to tell in SQL whether a confirmation still counts.
    snapshot = models.JSONField(default=list)

    class Meta:
        app_label = "reviews"

    def __str__(self) -> str:
        return f"{self.call_id}: v{self.version} (stored v{self.computed_version})"

    @property
    def is_fresh(self) -> bool:
        return self.computed_version == self.version


class RankedApplication(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ranked_applications")
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="ranked")
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
