"""Every write to a call's rubric: its settings and its criteria. Programme officers only.

The rubric freezes once scoring started in the call (a score sheet exists, `scoring_started`):
changing a criterion would leave every stored weighted mean stale, and changing the settings
(independent scores needed, calibrated ranking, disagreement threshold, minimum score) would change
the meaning of panels and rankings already under way. So every write here is refused from then on,
and nothing is recomputed. Each write locks the rubric row, so two officers' edits do not interleave.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from applications.exceptions import ActorNotAllowed
from applications.models import Call
from reviews.exceptions import ReviewError
from reviews.models import Criterion, Rubric

from .defaults import default_criterion_fields
from .selectors import MANAGE, scoring_started

SETTINGS = ("min_independent_scores", "calibrated", "disagreement_threshold", "min_score")


def frozen_message() -> str:
    return _(
        "Scoring has started in this call (a score sheet exists), so its rubric and settings can no longer "
        "change: the stored scores and totals would go stale."
    )


def _lock(rubric: Rubric, actor) -> Rubric:
    if not actor.has_perm(MANAGE):
        raise ActorNotAllowed(_("Only programme officers change a rubric."))
    rubric = Rubric.objects.select_for_update(of=("self",)).select_related("call").get(pk=rubric.pk)
    if scoring_started(rubric.call):
        raise ReviewError(frozen_message())
    return rubric


def rubric_settings_save(*, rubric: Rubric, fields: dict, actor) -> Rubric:
    """Change the call-level settings; unknown names are refused rather than silently set."""
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise ValueError(f"Not a rubric setting: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = _lock(rubric, actor)
        for name, value in fields.items():
            setattr(locked, name, value)
        if locked.min_independent_scores < 1:
            raise ReviewError(_("At least one independent score is needed per application."))
        if locked.disagreement_threshold < 0 or locked.min_score < 0:
            raise ReviewError(_("The disagreement threshold and the minimum score cannot be negative."))
        locked.full_clean()
        locked.save(update_fields=list(fields))
    return locked


def criterion_save(*, criterion: Criterion, actor) -> Criterion:
    """Create (no pk) or update a criterion of `criterion.rubric`; a new one goes last."""
    with transaction.atomic():
        rubric = _lock(criterion.rubric, actor)
        if criterion.scale_max is None or criterion.scale_min is None or criterion.scale_max <= criterion.scale_min:
            raise ReviewError(_("The highest score must be above the lowest score."))
        if criterion.weight is None or Decimal(criterion.weight) < 0:
            raise ReviewError(_("The weight cannot be negative."))
        if rubric.criteria.filter(key=criterion.key).exclude(pk=criterion.pk).exists():
            raise ReviewError(
                _("Another criterion of this rubric already has the key “%(key)s”.") % {"key": criterion.key}
            )
        if criterion.pk is None:
            last = rubric.criteria.order_by("-position").values_list("position", flat=True).first()
            criterion.position = 0 if last is None else last + 1
        criterion.full_clean()
        criterion.save()
    return criterion


def criterion_remove(*, criterion: Criterion, actor) -> None:
    """Delete a criterion; the rubric keeps at least one."""
    with transaction.atomic():
        rubric = _lock(criterion.rubric, actor)
        if not rubric.criteria.exclude(pk=criterion.pk).exists():
            raise ReviewError(_("A rubric needs at least one criterion."))
        criterion.delete()


def rubric_create_default(*, call: Call) -> Rubric:
    """The call's rubric, created with the default 1+1 criteria if the call has none yet. Runs when a call
    is saved (reviews.rubrics.receivers), so that no page has to create it."""
    rubric, created = Rubric.objects.get_or_create(call=call)
    if created:
        Criterion.objects.bulk_create(Criterion(rubric=rubric, **fields) for fields in default_criterion_fields())
    return rubric
