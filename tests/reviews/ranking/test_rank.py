"""Ranking a call and applying its budget envelope: properties over many calls, and examples by hand."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.ranking.rank import Outcome, RankingEntry, rank

D = Decimal
R, W, B = Outcome.RECOMMENDED, Outcome.WAITLISTED, Outcome.BELOW_THRESHOLD
FAST = settings(max_examples=150, deadline=None)
OPENED = datetime(2025, 3, 1, 9, tzinfo=UTC)


def entry(reference, score, grant="4000", *, priority=False, ratio="1", submitted_day=0) -> RankingEntry:
    return RankingEntry(
        application_id=reference,
        reference=reference,
        score=None if score is None else D(score),
        priority=priority,
        own_contribution_ratio=D(ratio),
        plan_submitted_at=OPENED + timedelta(days=submitted_day),
        grant=D(grant),
    )


def summary(rows) -> list[tuple]:
    return [(row.position, row.entry.reference, row.outcome, row.running_total) for row in rows]


# Few distinct values, so that ties at every level of the rule are common.
fields = st.tuples(
    st.one_of(st.none(), st.sampled_from([D("5.00"), D("6.50"), D("6.5"), D("7.25"), D("9.00")])),
    st.booleans(),
    st.sampled_from([D("1"), D("1.25"), D("2.0")]),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=500000).map(lambda cents: D(cents).scaleb(-2)),
)


@st.composite
def entries(draw):
    # References are scrambled (7919 is prime to 1000), so that they do not follow the order drawn.
    return [
        RankingEntry(
            application_id=number,
            reference=f"IND-{number * 7919 % 1000:03d}",
            score=score,
            priority=priority,
            own_contribution_ratio=ratio,
            plan_submitted_at=OPENED + timedelta(hours=hours),
            grant=grant,
        )
        for number, (score, priority, ratio, hours, grant) in enumerate(draw(st.lists(fields, max_size=20)))
    ]


budgets = st.integers(min_value=0, max_value=4000000).map(lambda cents: D(cents).scaleb(-2))
min_scores = st.sampled_from([D("0"), D("6.5"), D("7.00"), D("10")])


def comes_first(a: RankingEntry, b: RankingEntry) -> bool:
    """The documented rule, written out: score, priority group, own-contribution ratio, submission, reference."""
    if a.score != b.score:
        return b.score is None or (a.score is not None and a.score > b.score)
    if a.priority != b.priority:
        return a.priority
    if a.own_contribution_ratio != b.own_contribution_ratio:
        return a.own_contribution_ratio > b.own_contribution_ratio
    if a.plan_submitted_at != b.plan_submitted_at:
        return a.plan_submitted_at < b.plan_submitted_at
    return a.reference < b.reference


class TestRankingProperties:
    @FAST
    @given(call=entries(), min_score=min_scores, budget=budgets)
    def test_recommended_grants_never_exceed_the_budget(self, call, min_score, budget):
        rows = rank(call, min_score=min_score, budget=budget)
        recommended = [row.entry.grant for row in rows if row.outcome == R]

        assert all(row.running_total <= budget for row in rows)
        assert sum(recommended, D(0)) <= budget
        assert rows == [] or rows[-1].running_total == sum(recommended, D(0))

    @FAST
    @given(call=entries(), min_score=min_scores, budget=budgets)
    def test_running_total_is_the_grants_recommended_so_far(self, call, min_score, budget):
        rows = rank(call, min_score=min_score, budget=budget)
        totals, total = [], D(0)
        for row in rows:
            total += row.entry.grant if row.outcome == R else 0
            totals.append(total)

        assert [row.running_total for row in rows] == totals

    @FAST
    @given(call=entries(), min_score=min_scores, budget=budgets)
    def test_a_waitlisted_grant_did_not_fit_and_a_recommended_one_did(self, call, min_score, budget):
        rows = rank(call, min_score=min_score, budget=budget)
        left = budget
        for row in rows:
            if row.outcome == R:
                assert row.entry.grant <= left
                left -= row.entry.grant
            elif row.outcome == W:
                assert row.entry.grant > left

    @FAST
    @given(call=entries(), min_score=min_scores, budget=budgets)
    def test_below_threshold_is_exactly_unscored_or_under_the_minimum_and_comes_last(self, call, min_score, budget):
        rows = rank(call, min_score=min_score, budget=budget)
        below = [row.outcome == B for row in rows]

        assert below == sorted(below)
        assert all((row.outcome == B) is (row.entry.score is None or row.entry.score < min_score) for row in rows)

    @FAST
    @given(call=entries(), min_score=min_scores, budget=budgets)
    def test_order_follows_the_tie_rule_within_each_group(self, call, min_score, budget):
        rows = rank(call, min_score=min_score, budget=budget)

        assert [row.position for row in rows] == list(range(1, len(call) + 1))
        assert sorted(row.entry.reference for row in rows) == sorted(e.reference for e in call)
        for before, after in zip(rows, rows[1:], strict=False):
            if (before.outcome == B) == (after.outcome == B):
                assert comes_first(before.entry, after.entry)

    @FAST
    @given(call=entries(), min_score=min_scores, budget=budgets, seed=st.integers())
    def test_the_same_list_whatever_the_order_of_the_entries(self, call, min_score, budget, seed):
        shuffled = call[:]
        random.Random(seed).shuffle(shuffled)

        assert rank(shuffled, min_score=min_score, budget=budget) == rank(call, min_score=min_score, budget=budget)


class TestRankingExamples:
    def test_a_grant_that_does_not_fit_is_waitlisted_and_a_smaller_one_after_it_recommended(self):
        call = [
            entry("IND-1", "9.00", "4000"),
            entry("IND-2", "8.50", "4000"),
            entry("IND-3", "8.00", "4000"),
            entry("IND-4", "7.50", "1500"),
        ]

        assert summary(rank(call, min_score=D("5"), budget=D("10000"))) == [
            (1, "IND-1", R, D("4000")),
            (2, "IND-2", R, D("8000")),
            (3, "IND-3", W, D("8000")),
            (4, "IND-4", R, D("9500")),
        ]

    def test_a_grant_that_exactly_fits_what_is_left_is_recommended(self):
        call = [entry("IND-1", "9", "6000"), entry("IND-2", "8", "4000"), entry("IND-3", "7", "0.01")]

        assert summary(rank(call, min_score=D("5"), budget=D("10000"))) == [
            (1, "IND-1", R, D("6000")),
            (2, "IND-2", R, D("10000")),
            (3, "IND-3", W, D("10000")),
        ]

    def test_ties_go_to_priority_then_own_contribution_then_earlier_plan_then_reference(self):
        call = [
            entry("C-1", "8.00", ratio="3.0", submitted_day=1),
            entry("C-5", "8.00", priority=True, ratio="1.0", submitted_day=3),
            entry("C-3", "8.00", ratio="3.0", submitted_day=0),
            entry("C-4", "8.00", priority=True, ratio="1.5", submitted_day=3),
            entry("C-2", "8.00", ratio="3.0", submitted_day=0),
            entry("C-9", "9.00", ratio="0.5", submitted_day=9),
        ]

        assert [row.entry.reference for row in rank(call, min_score=D("0"), budget=D("0"))] == [
            "C-9",  # the higher score, whatever else
            "C-4",  # priority group, higher own-contribution ratio
            "C-5",  # priority group
            "C-2",  # same ratio and day as C-3: the reference decides
            "C-3",  # earlier plan than C-1
            "C-1",
        ]

    def test_scores_equal_in_value_tie_whatever_their_places(self):
        call = [entry("IND-2", "7.5", priority=True), entry("IND-1", "7.50")]

        assert [row.entry.reference for row in rank(call, min_score=D("0"), budget=D("0"))] == ["IND-2", "IND-1"]

    def test_below_threshold_and_unscored_come_after_the_rest_with_the_final_total(self):
        call = [
            entry("IND-1", None, "1000"),
            entry("IND-2", "4.99", "1000"),
            entry("IND-3", "5.00", "3000"),
            entry("IND-4", "9.00", "4000", priority=True),
            entry("IND-5", "6.00", "4000"),
        ]

        assert summary(rank(call, min_score=D("5.00"), budget=D("8000"))) == [
            (1, "IND-4", R, D("4000")),
            (2, "IND-5", R, D("8000")),
            (3, "IND-3", W, D("8000")),
            (4, "IND-2", B, D("8000")),
            (5, "IND-1", B, D("8000")),
        ]

    def test_whole_numbers_count_as_their_decimals(self):
        call = [
            RankingEntry("IND-1", "IND-1", 8, False, 1, OPENED, 4000),
            RankingEntry("IND-2", "IND-2", D("8.00"), False, D("1.5"), OPENED, D("4000.00")),
        ]

        assert summary(rank(call, min_score=5, budget=6000)) == [(1, "IND-2", R, D("4000")), (2, "IND-1", W, D("4000"))]

    def test_outcomes_compare_as_their_names(self):
        assert [R, W, B] == ["recommended", "waitlisted", "below_threshold"]

    def test_an_empty_call_ranks_nothing(self):
        assert rank([], min_score=D("5"), budget=D("10000")) == []

    def test_a_reference_twice_is_refused(self):
        with pytest.raises(ValueError, match="IND-1 appears twice"):
            rank([entry("IND-1", "7"), entry("IND-1", "8")], min_score=D("5"), budget=D("10000"))

    def test_a_negative_budget_is_refused(self):
        with pytest.raises(ValueError, match="budget cannot be negative"):
            rank([entry("IND-1", "7")], min_score=D("5"), budget=D("-1"))

    def test_a_negative_grant_is_refused(self):
        with pytest.raises(ValueError, match="grant of IND-1 cannot be negative"):
            rank([entry("IND-1", "7", "-0.01")], min_score=D("5"), budget=D("10000"))

    def test_a_float_score_is_refused(self):
        call = [RankingEntry("IND-1", "IND-1", 7.5, False, D("1"), OPENED, D("1000"))]

        with pytest.raises(TypeError, match="score of IND-1 must be a Decimal, not float"):
            rank(call, min_score=D("5"), budget=D("10000"))

    def test_a_float_budget_is_refused(self):
        with pytest.raises(TypeError, match="budget must be a Decimal, not float"):
            rank([], min_score=D("5"), budget=10000.0)
