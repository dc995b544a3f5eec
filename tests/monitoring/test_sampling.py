"""Cochran's sample size with the finite population correction, and reproducible draws."""

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.sampling import draw, infinite_sample_size, sample_size, z_score

D = Decimal
confidence = st.sampled_from([D("0.80"), D("0.90"), D("0.95"), D("0.99"), D("0.999")])
margin = st.decimals(min_value=D("0.01"), max_value=D("0.30"), places=3)
proportion = st.decimals(min_value=D("0.05"), max_value=D("0.95"), places=2)
population = st.integers(min_value=1, max_value=200_000)


@pytest.mark.parametrize(("size", "expected"), [(100, 80), (1_000, 278), (10_000, 370), (1, 1), (0, 0), (10**9, 385)])
def test_textbook_sizes_at_95_percent_and_5_points(size, expected):
    assert sample_size(population=size, confidence=D("0.95"), margin=D("0.05")) == expected


def test_z_is_the_two_sided_normal_quantile():
    assert (z_score(D("0.95")), z_score(D("0.99"))) == (D("1.959963984540"), D("2.575829303549"))


@settings(max_examples=300)
@given(n=population, c=confidence, e=margin, p=proportion)
def test_the_sample_is_at_least_one_and_never_more_than_the_population(n, c, e, p):
    assert 1 <= sample_size(population=n, confidence=c, margin=e, proportion=p) <= n


@settings(max_examples=300)
@given(n=population, c=confidence, e=margin, p=proportion)
def test_the_size_matches_the_formula_computed_in_floating_point(n, c, e, p):
    z = float(z_score(c))
    n0 = z * z * float(p) * (1 - float(p)) / float(e) ** 2
    expected = n0 / (1 + (n0 - 1) / n)
    assert abs(sample_size(population=n, confidence=c, margin=e, proportion=p) - math.ceil(expected)) <= 1


@settings(max_examples=200)
@given(n=population, c=confidence, e=margin)
def test_a_larger_population_never_needs_a_smaller_sample_nor_more_than_the_infinite_one(n, c, e):
    small = sample_size(population=n, confidence=c, margin=e)
    large = sample_size(population=n + 1, confidence=c, margin=e)
    assert small <= large <= math.ceil(infinite_sample_size(confidence=c, margin=e))


@settings(max_examples=200)
@given(n=population, e=margin)
def test_more_confidence_or_a_tighter_margin_never_shrinks_the_sample(n, e):
    assert sample_size(population=n, confidence=D("0.90"), margin=e) <= sample_size(
        population=n, confidence=D("0.99"), margin=e
    )
    assert sample_size(population=n, confidence=D("0.95"), margin=e + D("0.01")) <= sample_size(
        population=n, confidence=D("0.95"), margin=e
    )


def test_shares_outside_zero_and_one_and_floats_are_refused():
    with pytest.raises(ValueError):
        sample_size(population=10, confidence=D("1"), margin=D("0.05"))
    with pytest.raises(TypeError):
        sample_size(population=10, confidence=0.95, margin=D("0.05"))


@given(ids=st.lists(st.integers(min_value=1, max_value=10**6), unique=True, max_size=300), seed=st.integers(0, 2**62))
def test_the_same_seed_and_population_draw_the_same_grants_in_any_order(ids, seed):
    size = len(ids) // 3
    first = draw(ids, size, seed)
    assert first == draw(list(reversed(ids)), size, seed)
    assert len(set(first)) == size and set(first) <= set(ids)
