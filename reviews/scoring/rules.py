"""Aggregating a defense session's scores, pure: no models, no database.

A reviewer fills one score sheet per application: a mapping of criterion key to a `Decimal` score, or
to None where the criterion is not applicable to this plan. The rules:

- **Per reviewer**, the weighted mean of the criteria scored. Weights need not sum to 1 (nor to 100):
  the mean is normalised by the sum of the weights of the criteria actually scored, so scaling every
  weight by the same factor changes nothing. A criterion marked not applicable (N/A) is left out of
  the mean, weight and all: it never counts as zero. N/A is refused where the criterion does not
  allow it, as are a missing or unknown criterion, a score outside the criterion's scale, a negative
  weight (when the criterion is made) and a rubric whose weights are all zero: each is a bug upstream
  that must not quietly move a score. A criterion of weight zero is scored but moves nothing, and a
  sheet where no criterion that carries weight was scored has no mean (None). `weighted_means` does
  the same for a whole call's sheets at once.
- **Per application**, the plain mean of its reviewers' means (reviewers without a mean left out).
- **Calibrated**, where the call asks for it: see `calibrate`.
- **Disagreement**, for the chair to discuss: the spread (highest minus lowest reviewer mean) is more
  than the call's threshold.

Scores come out as `Decimal` with exactly two places, rounded half up (2.675 gives 2.68): the rule a
panel applies by hand. Floats are used only inside `calibrate`, for the statistics, and every
function refuses a float as input (TypeError), as the matching engine does.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from functools import reduce
from typing import TypeVar

CENT = Decimal("0.01")
_ZERO = Decimal(0)
# Wide enough that products and sums of scores and weights with any sensible number of places are exact,
# so the only rounding before the final half up is the one division.
_CONTEXT = Context(prec=60)

ReviewerId = TypeVar("ReviewerId", bound=Hashable)
ApplicationId = TypeVar("ApplicationId", bound=Hashable)


def _number(name: str, value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}.")
    return value


def _scale(scale_min, scale_max) -> tuple[int, int]:
    for name, bound in (("scale_min", scale_min), ("scale_max", scale_max)):
        if isinstance(bound, bool) or not isinstance(bound, int):
            raise TypeError(f"{name} must be an int, not {type(bound).__name__}.")
    if scale_min >= scale_max:
        raise ValueError(f"The scale must run upwards (got {scale_min} to {scale_max}).")
    return scale_min, scale_max


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One criterion of a call's scoring rubric, scored from `scale_min` to `scale_max` inclusive.

    A criterion is checked when it is made (ValueError for a negative weight or a scale that does not
    run upwards), so a rubric only has to be checked as a whole.
    """

    key: str
    weight: Decimal
    scale_min: int
    scale_max: int
    allows_na: bool

    def __post_init__(self):
        if _number(f"The weight of {self.key!r}", self.weight) < 0:
            raise ValueError(f"The weight of {self.key!r} cannot be negative (got {self.weight}).")
        _scale(self.scale_min, self.scale_max)


_Row = tuple[str, Decimal, Decimal, Decimal, bool]


@dataclass(frozen=True, slots=True)
class _Rubric:
    """A checked rubric, unpacked for the inner loop: one row per criterion, and the sum of the weights."""

    rows: tuple[_Row, ...]
    weight: Decimal


# The rubric last checked. A call's thousands of score sheets share one tuple of criteria, and a tuple
# of frozen criteria cannot change, so the same tuple coming back is neither checked nor unpacked again.
_last_rubric: tuple[tuple[CriterionSpec, ...], _Rubric] = ((), _Rubric((), _ZERO))


def _rubric(criteria: Sequence[CriterionSpec]) -> _Rubric:
    global _last_rubric
    if criteria is _last_rubric[0] and criteria:
        return _last_rubric[1]
    criteria = tuple(criteria)
    if not criteria:
        raise ValueError("A rubric needs at least one criterion.")
    if len({criterion.key for criterion in criteria}) < len(criteria):
        raise ValueError("A criterion appears twice in the rubric.")
    if not any(criterion.weight for criterion in criteria):
        raise ValueError("At least one criterion must carry weight.")
    rows = tuple((c.key, Decimal(c.weight), Decimal(c.scale_min), Decimal(c.scale_max), c.allows_na) for c in criteria)
    rubric = _Rubric(rows, reduce(_CONTEXT.add, (row[1] for row in rows)))
    _last_rubric = (criteria, rubric)
    return rubric


def half_up(value: Decimal) -> Decimal:
    """`value` with exactly two places, rounded half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_CONTEXT)


def weighted_mean(scores: Mapping[str, Decimal | None], criteria: Sequence[CriterionSpec]) -> Decimal | None:
    """One reviewer's score for one application: Σ weight × score / Σ weight over the criteria scored.

    None (not applicable) is left out of both sums. The result lies within the scale of the criteria
    scored (it is a weighted average of their scores) and is None when no criterion with weight was
    scored, for instance when every criterion is N/A.
    """
    rubric = _rubric(criteria)
    with localcontext(_CONTEXT):
        return _weighted_mean(scores, rubric)


def weighted_means(
    sheets: Iterable[Mapping[str, Decimal | None]], criteria: Sequence[CriterionSpec]
) -> list[Decimal | None]:
    """`weighted_mean` of each of a call's score sheets on its one rubric, in order: the same rules and
    results, with the rubric checked and the wide context entered once for all of them.
    """
    sheets = list(sheets)  # a generator is run here, in the caller's context, not in the wide one
    rubric = _rubric(criteria)
    with localcontext(_CONTEXT):
        return [_weighted_mean(scores, rubric) for scores in sheets]


def _weighted_mean(scores: Mapping[str, Decimal | None], rubric: _Rubric) -> Decimal | None:
    """The work of `weighted_mean`, inside the wide context, where sums and products are exact."""
    if len(scores) != len(rubric.rows):
        _check_keys(scores, rubric.rows)
    weighted = not_applicable = _ZERO
    for key, weight, lowest, highest, allows_na in rubric.rows:
        score = scores.get(key)
        if score is None:
            if key not in scores:
                _check_keys(scores, rubric.rows)
            if not allows_na:
                raise ValueError(f"Criterion {key!r} cannot be marked not applicable.")
            not_applicable += weight
            continue
        if type(score) is not Decimal:
            score = _number(f"The score for {key!r}", score)
        # An infinity falls outside the scale; a NaN cannot be compared at all (InvalidOperation).
        try:
            within = lowest <= score <= highest
        except InvalidOperation:
            within = False
        if not within:
            raise ValueError(f"The score for {key!r} must be from {lowest} to {highest} (got {score}).")
        weighted += weight * score
    weights = rubric.weight - not_applicable
    if not weights:
        return None
    return (weighted / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_keys(scores: Mapping[str, Decimal | None], rows: tuple[_Row, ...]) -> None:
    expected = [row[0] for row in rows]
    missing = [key for key in expected if key not in scores]
    if missing:
        raise ValueError(f"Criteria not scored (use None for not applicable): {', '.join(missing)}.")
    unknown = sorted(str(key) for key in scores.keys() - expected)
    if unknown:
        raise ValueError(f"Scores for criteria not in the rubric: {', '.join(unknown)}.")


def _means(reviewer_means: Iterable[Decimal | None]) -> list[Decimal]:
    means = [mean for mean in reviewer_means if mean is not None]
    for mean in means:
        if type(mean) is not Decimal or not mean.is_finite():
            _number("A reviewer's mean", mean)
    return means


def application_mean(reviewer_means: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the reviewers' means, half up to two places; None when no reviewer has a mean."""
    means = _means(reviewer_means)
    if not means:
        return None
    return _CONTEXT.divide(reduce(_CONTEXT.add, means), len(means)).quantize(CENT, ROUND_HALF_UP, _CONTEXT)


def disagreement(reviewer_means: Iterable[Decimal | None], threshold: Decimal) -> bool:
    """Whether the reviewers' spread (highest minus lowest mean) is more than `threshold`.

    Reviewers without a mean are left out; with fewer than two means there is nothing to disagree on.
    """
    if type(threshold) is not Decimal or not threshold.is_finite():
        threshold = _number("threshold", threshold)
    if threshold < 0:
        raise ValueError(f"threshold cannot be negative (got {threshold}).")
    means = _means(reviewer_means)
    return len(means) > 1 and _CONTEXT.subtract(max(means), min(means)) > threshold


def _mean_and_deviation(values: list[float]) -> tuple[float, float]:
    """The mean and the population standard deviation; exactly 0.0 when the values are all equal.

    Equal values are caught before any arithmetic: the float mean of three 0.1s is not 0.1, and a
    deviation of 1e-17 would turn rounding noise into z-scores of ±1.
    """
    if min(values) == max(values):
        return values[0], 0.0
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))


def _to_score(value: float) -> Decimal:
    """`value` half up to two places, as if the float were the shortest decimal that reads back as it.

    Away from a tie the cents follow from the float directly; near one (7.235 is 7.23499... as a float)
    the decimal repr decides, so 7.235 gives 7.24.
    """
    cents = value * 100 + 0.5
    whole = math.floor(cents)
    if cents - whole < 1e-6 or whole + 1 - cents < 1e-6:
        return half_up(Decimal(repr(value)))
    return Decimal(whole).scaleb(-2)


def calibrate(
    scores_by_reviewer: Mapping[ReviewerId, Mapping[ApplicationId, Decimal]], scale_min: int, scale_max: int
) -> dict[ApplicationId, Decimal]:
    """Calibrated application scores, taking out each reviewer's leniency or severity.

    1. Each reviewer's scores are standardised over the applications *they* scored in the call:
       z = (score − their mean) / their standard deviation (population, over their own scores).
    2. Each z is mapped back to the scale with the pooled mean m and pooled standard deviation s of
       all raw scores in the call (every reviewer's every score): m + z × s, clamped to the scale.
    3. An application's calibrated score is the mean of its reviewers' mapped scores, half up to two
       places.

    A reviewer with a single score, or with the same score for every application, has no spread to
    standardise by: their z is 0, so they contribute the pooled mean m for those applications (they
    told us nothing about how those plans compare). When every raw score in the call is the same,
    everything calibrates to that score.

    z, the mapping and the clamp never reverse two scores, so the order of a single reviewer's scores
    is unchanged (ties may appear only through the clamp or the rounding). With one reviewer in the
    call, m and s are that reviewer's own, and the calibrated scores are the raw ones, to the cent.
    Applications come out in the order they are first met.
    """
    lowest, highest = _scale(scale_min, scale_max)
    raw: list[tuple[list[ApplicationId], list[float]]] = []
    for reviewer, scores in scores_by_reviewer.items():
        if not scores:
            continue
        values = list(scores.values())
        if not (all(type(value) is Decimal and value.is_finite() for value in values) and lowest <= min(values)):
            _check_scores(reviewer, scores, lowest, highest)
        if max(values) > highest:
            _check_scores(reviewer, scores, lowest, highest)
        raw.append((list(scores), [float(value) for value in values]))
    if not raw:
        return {}

    pooled_mean, pooled_deviation = _mean_and_deviation([value for _, values in raw for value in values])
    mapped_by_application: dict[ApplicationId, list[float]] = {}
    for applications, values in raw:
        mean, deviation = _mean_and_deviation(values)
        if deviation:
            stretch = pooled_deviation / deviation
            mapped = [pooled_mean + (value - mean) * stretch for value in values]
            # The mapping is monotone: when the reviewer's extremes land within the scale, so does the rest.
            if min(mapped) < lowest or max(mapped) > highest:
                mapped = [min(max(value, lowest), highest) for value in mapped]
        else:
            mapped = [pooled_mean] * len(values)
        for application, value in zip(applications, mapped, strict=True):
            mapped_by_application.setdefault(application, []).append(value)
    return {application: _to_score(sum(values) / len(values)) for application, values in mapped_by_application.items()}


def _check_scores(reviewer, scores: Mapping, lowest: int, highest: int) -> None:
    for application, score in scores.items():
        score = _number(f"The score of {application!r} by {reviewer!r}", score)
        if not lowest <= score <= highest:
            raise ValueError(
                f"The score of {application!r} by {reviewer!r} must be from {lowest} to {highest} (got {score})."
            )
