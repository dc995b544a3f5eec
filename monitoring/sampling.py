"""How many handed-over grants to visit, and which: pure functions, no database.

**Sample size** (Cochran, with the finite population correction). To estimate a proportion (say, the
share of grants whose equipment is present and in use) within a margin of error e at a confidence level
c, with z the standard normal quantile of (1 + c) / 2 and p the proportion expected (0.5 when nothing is
known, which gives the largest sample):

    n0 = z² · p · (1 − p) / e²                      (an infinite population)
    n  = n0 / (1 + (n0 − 1) / N)                    (a population of N grants)

rounded up to a whole grant and never more than N. At 95 % and ±5 %, n0 ≈ 384.1; for N = 100 the sample
is 80 grants, for N = 1,000 it is 278, for N = 10,000 it is 370.

The arithmetic is exact `Decimal` once z is known; z comes from `statistics.NormalDist` and is rounded to
12 places, so a size never depends on the machine.

**Drawing.** The population is the grants' ids in ascending order; the sample is
`random.Random(seed).sample(population, n)`. The seed is stored with the sample, so anyone with the seed
and the population list draws exactly the same grants again (Python's Mersenne Twister and `sample` are
stable across versions for integer seeds).
"""

import random
import secrets
from decimal import ROUND_CEILING, Decimal, localcontext
from statistics import NormalDist

PRECISION = 40
HALF = Decimal("0.5")


def _share(name: str, value: Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    value = Decimal(value)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1 (got {value}).")
    return value


def z_score(confidence: Decimal) -> Decimal:
    """The two-sided standard normal quantile for a confidence level: 0.95 → 1.959963984540."""
    confidence = _share("confidence", confidence)
    z = NormalDist().inv_cdf(float((1 + confidence) / 2))
    return Decimal(repr(z)).quantize(Decimal("1e-12"))


def infinite_sample_size(*, confidence: Decimal, margin: Decimal, proportion: Decimal = HALF) -> Decimal:
    """n0 = z² p (1 − p) / e², unrounded."""
    margin = _share("margin", margin)
    proportion = _share("proportion", proportion)
    z = z_score(confidence)
    with localcontext(prec=PRECISION):
        return z * z * proportion * (1 - proportion) / (margin * margin)


def sample_size(*, population: int, confidence: Decimal, margin: Decimal, proportion: Decimal = HALF) -> int:
    """Cochran's n with the finite population correction, rounded up, between 0 and the population."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise ValueError(f"population must be a whole number of grants (got {population!r}).")
    n0 = infinite_sample_size(confidence=confidence, margin=margin, proportion=proportion)
    if population == 0:
        return 0
    with localcontext(prec=PRECISION):
        corrected = n0 / (1 + (n0 - 1) / population)
        size = int(corrected.to_integral_value(rounding=ROUND_CEILING))
    return max(1, min(size, population))


def new_seed() -> int:
    """A fresh seed that fits a signed 64-bit column."""
    return secrets.randbits(62)


def draw(population: list[int], size: int, seed: int) -> list[int]:
    """The sampled ids, in the order drawn: reproducible from the population (sorted here) and the seed."""
    ordered = sorted(population)
    if not 0 <= size <= len(ordered):
        raise ValueError(f"Cannot draw {size} of {len(ordered)}.")
    return random.Random(seed).sample(ordered, size)
