"""Aggregating a panel's scores: properties over many rubrics and sheets, and examples worked by hand."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviews.scoring.rules import (
    CriterionSpec,
    application_mean,
    calibrate,
    disagreement,
    weighted_mean,
    weighted_means,
)

D = Decimal
FAST = settings(max_examples=150, deadline=None)


def decimals(min_value, max_value, places: int = 2):
    return st.decimals(
        min_value=D(min_value), max_value=D(max_value), places=places, allow_nan=False, allow_infinity=False
    )


@st.composite
def rubrics(draw, max_size: int = 6):
    """Criteria with their own scales and weights, some of them zero (but never all)."""
    criteria = []
    for number in range(draw(st.integers(min_value=1, max_value=max_size))):
        scale_min = draw(st.integers(min_value=-5, max_value=5))
        weight = decimals("0.01", "100") if number == 0 else st.one_of(st.just(D(0)), decimals("0.01", "100"))
        criteria.append(
            CriterionSpec(
                key=f"c{number}",
                weight=draw(weight),
                scale_min=scale_min,
                scale_max=scale_min + draw(st.integers(min_value=1, max_value=20)),
                allows_na=draw(st.booleans()),
            )
        )
    return tuple(draw(st.permutations(criteria)))


def sheet_on(draw, criteria) -> dict:
    """One reviewer's sheet on the rubric, N/A (None) only where a criterion allows it."""
    return {
        c.key: None if c.allows_na and draw(st.booleans()) else draw(decimals(c.scale_min, c.scale_max))
        for c in criteria
    }


@st.composite
def rubric_and_sheet(draw):
    criteria = draw(rubrics())
    return criteria, sheet_on(draw, criteria)


@st.composite
def rubric_and_sheets(draw):
    criteria = draw(rubrics())
    return criteria, [sheet_on(draw, criteria) for _ in range(draw(st.integers(min_value=0, max_value=5)))]


def half_up(value: Fraction) -> Decimal:
    """Half up (away from zero) to the cent, on the exact fraction: the rule, worked out independently."""
    cents = math.floor(abs(value) * 100 + Fraction(1, 2))
    return D(cents if value >= 0 else -cents).scaleb(-2)


def exact_weighted_mean(criteria, sheet) -> Decimal | None:
    scored = [(Fraction(c.weight), Fraction(sheet[c.key])) for c in criteria if sheet[c.key] is not None]
    weights = sum(weight for weight, _ in scored)
    if not weights:
        return None
    return half_up(sum(weight * score for weight, score in scored) / weights)


def criterion(key: str, weight: str = "1", scale_min: int = 1, scale_max: int = 10, allows_na: bool = False):
    return CriterionSpec(key=key, weight=D(weight), scale_min=scale_min, scale_max=scale_max, allows_na=allows_na)


RUBRIC = (
    criterion("idea", "40"),
    criterion("market", "30"),
    criterion("green", "30", allows_na=True),
)
two_places = decimals("0", "10")
reviewer_means = st.lists(st.one_of(st.none(), two_places), max_size=6)


class TestWeightedMeanProperties:
    @FAST
    @given(case=rubric_and_sheet())
    def test_weighted_mean_is_the_exact_mean_rounded_half_up(self, case):
        criteria, sheet = case

        assert weighted_mean(sheet, criteria) == exact_weighted_mean(criteria, sheet)

    @FAST
    @given(case=rubric_and_sheet(), factor=decimals("0.01", "1000"))
    def test_weighted_mean_is_the_same_whatever_the_weights_sum_to(self, case, factor):
        criteria, sheet = case
        scaled = tuple(CriterionSpec(c.key, c.weight * factor, c.scale_min, c.scale_max, c.allows_na) for c in criteria)
        as_fractions = tuple(
            CriterionSpec(c.key, c.weight / 100, c.scale_min, c.scale_max, c.allows_na) for c in criteria
        )

        assert weighted_mean(sheet, scaled) == weighted_mean(sheet, criteria)
        assert weighted_mean(sheet, as_fractions) == weighted_mean(sheet, criteria)

    @FAST
    @given(case=rubric_and_sheet(), weight=decimals("0", "100"))
    def test_adding_a_not_applicable_criterion_leaves_the_mean_unchanged(self, case, weight):
        criteria, sheet = case
        with_na = (*criteria, CriterionSpec("extra", weight, 1, 10, allows_na=True))

        assert weighted_mean({**sheet, "extra": None}, with_na) == weighted_mean(sheet, criteria)

    @FAST
    @given(case=rubric_and_sheet())
    def test_weighted_mean_lies_between_the_lowest_and_highest_score_given(self, case):
        criteria, sheet = case
        weighted = [sheet[c.key] for c in criteria if sheet[c.key] is not None and c.weight]
        mean = weighted_mean(sheet, criteria)

        if weighted:
            assert min(weighted) <= mean <= max(weighted)
            assert mean.as_tuple().exponent == -2
        else:
            assert mean is None

    @FAST
    @given(criteria=rubrics(), data=st.data())
    def test_identical_scores_give_that_score(self, criteria, data):
        lowest = max(c.scale_min for c in criteria)
        highest = min(c.scale_max for c in criteria)
        assume(lowest <= highest)
        score = data.draw(decimals(lowest, highest))

        assert weighted_mean({c.key: score for c in criteria}, criteria) == score.quantize(D("0.01"))

    @FAST
    @given(case=rubric_and_sheets())
    def test_weighted_means_of_a_call_are_the_weighted_mean_of_each_sheet(self, case):
        criteria, sheets = case

        assert weighted_means(iter(sheets), criteria) == [weighted_mean(sheet, criteria) for sheet in sheets]


class TestWeightedMeanExamples:
    def test_weights_summing_to_one_to_a_hundred_or_to_ten(self):
        sheet = {"idea": D("8"), "market": D("6"), "green": D("5")}
        rubrics = [
            (criterion("idea", idea), criterion("market", market), criterion("green", green, allows_na=True))
            for idea, market, green in (("0.4", "0.3", "0.3"), ("40", "30", "30"), ("4", "3", "3"))
        ]

        # (4 × 8 + 3 × 6 + 3 × 5) / 10 = 6.5
        assert [weighted_mean(sheet, rubric) for rubric in rubrics] == [D("6.50"), D("6.50"), D("6.50")]

    def test_not_applicable_is_left_out_with_its_weight(self):
        # (40 × 8 + 30 × 6) / 70 = 7.142857..., not (320 + 180 + 0) / 100 = 5.00.
        assert weighted_mean({"idea": D("8"), "market": D("6"), "green": None}, RUBRIC) == D("7.14")

    def test_rounds_half_up(self):
        rubric = (criterion("a"), criterion("b"))

        assert weighted_mean({"a": D("7.25"), "b": D("7.00")}, rubric) == D("7.13")  # 7.125
        assert weighted_mean({"a": D("1"), "b": D("2")}, rubric) == D("1.50")

    def test_every_criterion_not_applicable_gives_no_mean(self):
        rubric = (criterion("a", allows_na=True), criterion("b", allows_na=True))

        assert weighted_mean({"a": None, "b": None}, rubric) is None

    def test_only_weightless_criteria_scored_gives_no_mean(self):
        rubric = (criterion("a", "0"), criterion("b", "2", allows_na=True))

        assert weighted_mean({"a": D("9"), "b": None}, rubric) is None

    def test_a_weightless_criterion_moves_nothing(self):
        rubric = (criterion("a", "0"), criterion("b", "2"))

        assert weighted_mean({"a": D("1"), "b": D("9")}, rubric) == D("9.00")

    def test_the_rubric_may_be_a_list(self):
        assert weighted_mean({"idea": D("8"), "market": D("6"), "green": D("5")}, list(RUBRIC)) == D("6.50")

    def test_not_applicable_is_refused_where_the_criterion_does_not_allow_it(self):
        with pytest.raises(ValueError, match="'market' cannot be marked not applicable"):
            weighted_mean({"idea": D("8"), "market": None, "green": D("5")}, RUBRIC)

    def test_a_missing_criterion_is_refused(self):
        with pytest.raises(ValueError, match="Criteria not scored .*: market"):
            weighted_mean({"idea": D("8"), "green": D("5")}, RUBRIC)

    def test_a_missing_criterion_is_refused_even_beside_an_unknown_one(self):
        with pytest.raises(ValueError, match="Criteria not scored .*: market"):
            weighted_mean({"idea": D("8"), "jobs": D("5"), "green": D("5")}, RUBRIC)

    def test_an_unknown_criterion_is_refused(self):
        with pytest.raises(ValueError, match="not in the rubric: jobs"):
            weighted_mean({"idea": D("8"), "market": D("6"), "green": D("5"), "jobs": D("5")}, RUBRIC)

    @pytest.mark.parametrize("score", [D("0.99"), D("10.01"), D("Infinity"), D("NaN"), D("-sNaN")])
    def test_a_score_outside_the_scale_is_refused(self, score):
        with pytest.raises(ValueError, match="'idea' must be from 1 to 10"):
            weighted_mean({"idea": score, "market": D("6"), "green": D("5")}, RUBRIC)

    def test_a_float_score_is_refused(self):
        with pytest.raises(TypeError, match="must be a Decimal, not float"):
            weighted_mean({"idea": 8.0, "market": D("6"), "green": D("5")}, RUBRIC)

    def test_an_int_score_counts_as_its_decimal(self):
        assert weighted_mean({"idea": 8, "market": 6, "green": 5}, RUBRIC) == D("6.50")

    def test_a_negative_weight_is_refused(self):
        with pytest.raises(ValueError, match="'idea' cannot be negative"):
            criterion("idea", "-1")

    def test_a_scale_that_does_not_run_upwards_is_refused(self):
        with pytest.raises(ValueError, match="must run upwards"):
            criterion("idea", scale_min=5, scale_max=5)

    def test_a_rubric_without_weight_is_refused(self):
        with pytest.raises(ValueError, match="At least one criterion must carry weight"):
            weighted_mean({"a": D("5"), "b": D("5")}, (criterion("a", "0"), criterion("b", "0")))

    def test_a_rubric_with_a_criterion_twice_is_refused(self):
        with pytest.raises(ValueError, match="appears twice"):
            weighted_mean({"a": D("5")}, (criterion("a"), criterion("a", "2")))

    def test_an_empty_rubric_is_refused(self):
        with pytest.raises(ValueError, match="at least one criterion"):
            weighted_mean({}, ())


class TestApplicationMeanAndDisagreement:
    @FAST
    @given(mean=two_places)
    def test_one_reviewer_gives_their_own_mean(self, mean):
        assert application_mean([mean]) == mean
        assert disagreement([mean], D("0")) is False

    @FAST
    @given(mean=two_places, reviewers=st.integers(min_value=1, max_value=6))
    def test_identical_means_give_that_mean_and_no_disagreement(self, mean, reviewers):
        assert application_mean([mean] * reviewers) == mean
        assert disagreement([mean] * reviewers, D("0")) is False

    @FAST
    @given(means=reviewer_means)
    def test_application_mean_is_the_exact_mean_rounded_half_up(self, means):
        given_means = [mean for mean in means if mean is not None]
        expected = half_up(sum(map(Fraction, given_means)) / len(given_means)) if given_means else None

        assert application_mean(means) == expected
        if given_means:
            assert min(given_means) <= expected <= max(given_means)

    @FAST
    @given(means=reviewer_means, threshold=decimals("0", "10"))
    def test_disagreement_is_a_spread_above_the_threshold(self, means, threshold):
        given_means = [mean for mean in means if mean is not None]
        spread = max(given_means) - min(given_means) if given_means else D(0)

        assert disagreement(means, threshold) is (spread > threshold)

    def test_application_mean_examples(self):
        assert [
            application_mean([D("7.25"), D("8.00"), D("6.50")]),
            application_mean([D("1.01"), D("1.00")]),
            application_mean([D("7.00"), None, D("8.00")]),
            application_mean([None]),
            application_mean([]),
        ] == [D("7.25"), D("1.01"), D("7.50"), None, None]

    def test_disagreement_only_above_the_threshold(self):
        assert [
            disagreement([D("6.00"), D("8.00"), D("7.00")], D("2.00")),
            disagreement([D("6.00"), D("8.01"), D("7.00")], D("2.00")),
            disagreement([D("2.00"), None, D("9.00")], D("2.00")),
            disagreement([None, D("9.00")], D("0")),
        ] == [False, True, True, False]

    def test_a_negative_threshold_is_refused(self):
        with pytest.raises(ValueError, match="cannot be negative"):
            disagreement([D("1"), D("2")], D("-0.01"))

    def test_a_float_mean_is_refused(self):
        with pytest.raises(TypeError, match="must be a Decimal, not float"):
            application_mean([D("1"), 2.0])


@st.composite
def panels(draw, min_reviewers: int = 1, max_reviewers: int = 5, overlap: bool = True):
    """Scores by reviewer on a 1-10 scale; with overlap, applications are shared between reviewers,
    without, each application is scored by exactly one reviewer."""
    reviewers = draw(st.integers(min_value=min_reviewers, max_value=max_reviewers))
    applications = [f"A{number}" for number in range(draw(st.integers(min_value=1, max_value=12)))]
    panel = {}
    for reviewer in range(reviewers):
        if overlap:
            scored = draw(st.lists(st.sampled_from(applications), unique=True, min_size=1))
        else:
            scored = [f"R{reviewer}-{number}" for number in range(draw(st.integers(min_value=1, max_value=8)))]
        panel[f"reviewer-{reviewer}"] = {application: draw(decimals("1", "10")) for application in scored}
    return panel


def order_reversals(raw: dict, calibrated: dict) -> list[tuple]:
    """Pairs whose calibrated scores disagree with their raw order: a lower raw score calibrated higher,
    or equal raw scores calibrated differently."""
    return [
        (a, b)
        for a in raw
        for b in raw
        if (raw[a] < raw[b] and calibrated[a] > calibrated[b]) or (raw[a] == raw[b] and calibrated[a] != calibrated[b])
    ]


class TestCalibrationProperties:
    @FAST
    @given(panel=panels(max_reviewers=1))
    def test_one_reviewer_keeps_their_own_scores(self, panel):
        (scores,) = panel.values()

        assert calibrate(panel, 1, 10) == scores

    @FAST
    @given(panel=panels(overlap=False))
    def test_calibration_keeps_the_order_of_each_reviewers_scores(self, panel):
        calibrated = calibrate(panel, 1, 10)

        for scores in panel.values():
            assert order_reversals(scores, calibrated) == []

    @FAST
    @given(panel=panels())
    def test_calibrated_scores_lie_within_the_scale_with_two_places(self, panel):
        calibrated = calibrate(panel, 1, 10)

        assert set(calibrated) == {application for scores in panel.values() for application in scores}
        assert all(D("1") <= score <= D("10") and score.as_tuple().exponent == -2 for score in calibrated.values())

    @FAST
    @given(panel=panels(), score=decimals("1", "10"))
    def test_identical_scores_everywhere_calibrate_to_that_score(self, panel, score):
        same = {reviewer: dict.fromkeys(scores, score) for reviewer, scores in panel.items()}

        assert set(calibrate(same, 1, 10).values()) == {score.quantize(D("0.01"))}


class TestCalibrationExamples:
    def test_the_same_plans_scored_by_a_harsh_and_a_lenient_reviewer(self):
        # Each reviewer: z of -1 and +1. Pooled: mean 5, deviation √5 = 2.2360...
        panel = {"harsh": {"x": D("2"), "y": D("4")}, "lenient": {"x": D("6"), "y": D("8")}}

        assert calibrate(panel, 1, 10) == {"x": D("2.76"), "y": D("7.24")}

    def test_the_best_plans_of_a_harsh_and_a_lenient_reviewer_come_out_equal(self):
        panel = {"harsh": {"p": D("3"), "q": D("5")}, "lenient": {"r": D("7"), "s": D("9")}}

        assert calibrate(panel, 1, 10) == {"p": D("3.76"), "q": D("8.24"), "r": D("3.76"), "s": D("8.24")}

    def test_a_reviewer_with_one_score_contributes_the_pooled_mean(self):
        # Pooled over 2, 4 and 10: mean 5.333..., deviation 3.399...
        panel = {"A": {"x": D("2"), "y": D("4")}, "C": {"z": D("10")}}

        assert calibrate(panel, 1, 10) == {"x": D("1.93"), "y": D("8.73"), "z": D("5.33")}

    def test_a_reviewer_with_identical_scores_contributes_the_pooled_mean(self):
        # Pooled mean 5, deviation √3; B's 2 and 8 are z = ∓√(3/2); A adds 5 to each.
        panel = {"A": {"a": D("5"), "b": D("5"), "c": D("5")}, "B": {"a": D("2"), "b": D("8"), "c": D("5")}}

        assert calibrate(panel, 1, 10) == {"a": D("3.94"), "b": D("6.06"), "c": D("5.00")}

    def test_identical_scores_count_as_no_spread_even_where_the_float_mean_is_off(self):
        # The float mean of three 1.35s is 1.3500000000000003: without care A's z would be -1, not 0.
        # Pooled mean 3.01, deviation 3.49...; B's 1 maps below the scale and is clamped.
        panel = {"A": {"a": D("1.35"), "b": D("1.35"), "c": D("1.35")}, "B": {"d": D("1"), "e": D("10")}}

        assert calibrate(panel, 1, 10) == {
            "a": D("3.01"),
            "b": D("3.01"),
            "c": D("3.01"),
            "d": D("1.00"),
            "e": D("6.51"),
        }

    def test_mapped_scores_are_clamped_to_the_scale(self):
        # Pooled mean 3.5, deviation √14.25 = 3.77...: z = -1 maps to -0.27, clamped to 1.
        panel = {"A": {"a": D("1"), "b": D("2")}, "B": {"c": D("1"), "d": D("10")}}

        assert calibrate(panel, 1, 10) == {"a": D("1.00"), "b": D("7.27"), "c": D("1.00"), "d": D("7.27")}

    def test_nothing_to_calibrate(self):
        assert calibrate({}, 1, 10) == {}
        assert calibrate({"A": {}}, 1, 10) == {}

    @pytest.mark.parametrize("score", [D("0"), D("10.5"), D("NaN"), D("Infinity")])
    def test_a_score_outside_the_scale_is_refused(self, score):
        with pytest.raises(ValueError, match="'b' by 'A'"):
            calibrate({"A": {"a": D("5"), "b": score}}, 1, 10)

    def test_a_float_score_is_refused(self):
        with pytest.raises(TypeError, match="must be a Decimal, not float"):
            calibrate({"A": {"a": D("5"), "b": 6.0}}, 1, 10)

    def test_a_scale_that_does_not_run_upwards_is_refused(self):
        with pytest.raises(ValueError, match="must run upwards"):
            calibrate({"A": {"a": D("5")}}, 10, 1)
