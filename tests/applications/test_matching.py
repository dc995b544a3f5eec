"""The 1+1 money rule: properties over many figures, and the examples the programme's staff check by hand."""

from decimal import ROUND_DOWN, Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.matching import (
    Bound,
    compute_grant,
    contribution_for_full_cap,
    counted_own_contribution,
    grant_breakdown,
)

D = Decimal
CENT = D("0.01")
FAST = settings(max_examples=200, deadline=None)


def money(max_value: str = "100000"):
    return st.decimals(min_value=D("0"), max_value=D(max_value), places=2, allow_nan=False, allow_infinity=False)


def positive(min_value: str, max_value: str, places: int = 2):
    return st.decimals(
        min_value=D(min_value), max_value=D(max_value), places=places, allow_nan=False, allow_infinity=False
    )


ratios = positive("0.01", "5", places=2)
caps = positive("1", "50000")
shares = st.decimals(min_value=D("0"), max_value=D("1"), places=3, allow_nan=False, allow_infinity=False)


def grant(o, e, r, c):
    return compute_grant(own_contribution=o, equipment_cost=e, ratio=r, cap=c)


def breakdown(**overrides):
    figures = {
        "cash": D("3000.00"),
        "in_kind": D("0.00"),
        "equipment_cost": D("5000.00"),
        "ratio": D("1"),
        "cap": D("4000.00"),
        "min_grant": D("0.00"),
        "in_kind_allowed": False,
        "in_kind_max_share": D("0"),
    }
    return grant_breakdown(**{**figures, **overrides})


class TestGrantProperties:
    @FAST
    @given(o=money(), e=money(), r=ratios, c=caps)
    def test_grant_never_exceeds_any_bound(self, o, e, r, c):
        result = grant(o, e, r, c)

        assert result <= e
        assert result <= r * o
        assert result <= c

    @FAST
    @given(o=money(), e=money(), r=ratios, c=caps)
    def test_grant_has_exactly_two_decimal_places(self, o, e, r, c):
        assert grant(o, e, r, c).as_tuple().exponent == -2

    @FAST
    @given(o=money(), e=money(), r=ratios, c=caps)
    def test_grant_is_the_binding_bound_rounded_down(self, o, e, r, c):
        result = breakdown(cash=o, equipment_cost=e, ratio=r, cap=c)
        bounds = {Bound.EQUIPMENT: e, Bound.CONTRIBUTION: r * o, Bound.CAP: c}

        assert result.grant == bounds[result.bound].quantize(CENT, rounding=ROUND_DOWN)
        assert bounds[result.bound] == min(bounds.values())
        assert result.grant == grant(o, e, r, c)

    @FAST
    @given(o=money(), e=money(), r=ratios, c=caps, more=money("5000"), which=st.sampled_from("oerc"))
    def test_grant_never_falls_when_an_input_grows(self, o, e, r, c, more, which):
        before = grant(o, e, r, c)
        grown = {"o": o, "e": e, "r": r, "c": c}
        grown[which] += more

        assert grant(grown["o"], grown["e"], grown["r"], grown["c"]) >= before

    @FAST
    @given(
        values=st.tuples(money(), money(), ratios, caps),
        position=st.integers(min_value=0, max_value=3),
        below=positive("0.01", "1000"),
    )
    def test_any_negative_input_is_refused(self, values, position, below):
        figures = list(values)
        figures[position] = -below

        with pytest.raises(ValueError, match="cannot be negative"):
            grant(*figures)

    @FAST
    @given(cash=money(), in_kind=money(), share=shares)
    def test_counted_in_kind_is_the_most_within_the_share_of_the_counted_total(self, cash, in_kind, share):
        counted = counted_own_contribution(cash=cash, in_kind=in_kind, in_kind_allowed=True, in_kind_max_share=share)
        k = counted - cash

        assert D("0") <= k <= in_kind
        assert k <= share * (cash + k)
        assert k == in_kind or (k + CENT) > share * (cash + k + CENT)

    @FAST
    @given(cap=caps, ratio=ratios)
    def test_contribution_for_full_cap_is_the_smallest_that_reaches_it(self, cap, ratio):
        needed = contribution_for_full_cap(cap=cap, ratio=ratio)

        assert ratio * needed >= cap
        assert ratio * (needed - CENT) < cap
        assert needed.as_tuple().exponent == -2

    @FAST
    @given(cash=money("10000"), in_kind=money("10000"), e=money("30000"), r=ratios, c=caps, share=shares)
    def test_the_extra_contribution_named_does_unlock_the_cap(self, cash, in_kind, e, r, c, share):
        kind = {"in_kind": in_kind, "in_kind_allowed": True, "in_kind_max_share": share}
        before = breakdown(cash=cash, equipment_cost=e, ratio=r, cap=c, **kind)
        extra = before.extra_contribution_for_cap
        # With equipment enough for the cap, the extra cash named is exactly what reaches it.
        enough_equipment = {"equipment_cost": max(e, c), "ratio": r, "cap": c, **kind}

        if before.bound == Bound.CONTRIBUTION:
            assert breakdown(cash=cash + extra, **enough_equipment).grant == c.quantize(CENT, rounding=ROUND_DOWN)
            assert breakdown(cash=cash + extra - CENT, **enough_equipment).bound == Bound.CONTRIBUTION
        else:
            assert extra == D("0.00")


class TestGrantExamples:
    def test_rounds_down_to_the_cent(self):
        # 1.5 × 333.333 = 499.9995: never rounded up to 500.00.
        assert grant(D("333.333"), D("10000"), D("1.5"), D("4000")) == D("499.99")

    def test_ratio_of_two_doubles_the_contribution(self):
        assert grant(D("1250.00"), D("10000.00"), D("2"), D("4000.00")) == D("2500.00")

    def test_individual_cap_of_4000(self):
        assert grant(D("6000.00"), D("9000.00"), D("1"), D("4000.00")) == D("4000.00")

    def test_community_cap_of_20000(self):
        assert grant(D("25000.00"), D("30000.00"), D("1"), D("20000.00")) == D("20000.00")

    def test_equipment_below_both_other_bounds_sets_the_grant(self):
        assert grant(D("3000.00"), D("2750.50"), D("1"), D("4000.00")) == D("2750.50")

    def test_whole_numbers_come_back_with_two_places(self):
        assert str(grant(D("1000"), D("5000"), D("1"), D("4000"))) == "1000.00"

    def test_zero_ratio_and_zero_cap_are_refused(self):
        with pytest.raises(ValueError, match="ratio must be more than zero"):
            grant(D("1"), D("1"), D("0"), D("4000"))
        with pytest.raises(ValueError, match="cap must be more than zero"):
            grant(D("1"), D("1"), D("1"), D("0"))

    def test_a_float_is_refused(self):
        with pytest.raises(TypeError, match="own_contribution must be a Decimal, not float"):
            compute_grant(own_contribution=1000.0, equipment_cost=D("1"), ratio=D("1"), cap=D("4000"))


class TestInKind:
    def test_share_of_the_counted_total_not_of_the_cash(self):
        # 300 of 1,000 counted is 30 %; 30 % of the cash alone would be 210.
        counted = counted_own_contribution(
            cash=D("700.00"), in_kind=D("1000.00"), in_kind_allowed=True, in_kind_max_share=D("0.3")
        )

        assert counted == D("1000.00")

    def test_in_kind_within_the_share_counts_in_full(self):
        counted = counted_own_contribution(
            cash=D("700.00"), in_kind=D("200.00"), in_kind_allowed=True, in_kind_max_share=D("0.3")
        )

        assert counted == D("900.00")

    def test_in_kind_not_allowed_counts_nothing(self):
        counted = counted_own_contribution(
            cash=D("700.00"), in_kind=D("1000.00"), in_kind_allowed=False, in_kind_max_share=D("0.5")
        )

        assert counted == D("700.00")

    def test_share_zero_counts_nothing_and_share_one_counts_everything(self):
        args = {"cash": D("700.00"), "in_kind": D("1000.00"), "in_kind_allowed": True}

        assert counted_own_contribution(**args, in_kind_max_share=D("0")) == D("700.00")
        assert counted_own_contribution(**args, in_kind_max_share=D("1")) == D("1700.00")

    def test_counted_in_kind_rounds_down(self):
        # 100 × 1/3 ÷ 2/3 = 50 exactly, but a share of 0.333 allows only 49.92…
        counted = counted_own_contribution(
            cash=D("100.00"), in_kind=D("500.00"), in_kind_allowed=True, in_kind_max_share=D("0.333")
        )

        assert counted == D("149.92")

    def test_share_above_one_is_refused(self):
        with pytest.raises(ValueError, match="in_kind_max_share is a share from 0 to 1"):
            counted_own_contribution(cash=D("1"), in_kind=D("1"), in_kind_allowed=True, in_kind_max_share=D("1.5"))

    def test_breakdown_reports_the_in_kind_not_counted(self):
        result = breakdown(cash=D("700.00"), in_kind=D("1000.00"), in_kind_allowed=True, in_kind_max_share=D("0.3"))

        assert (result.counted_own_contribution, result.in_kind_not_counted, result.grant) == (
            D("1000.00"),
            D("700.00"),
            D("1000.00"),
        )

    def test_the_explanation_says_why_in_kind_does_not_count(self):
        limited = breakdown(cash=D("700.00"), in_kind=D("1000.00"), in_kind_allowed=True, in_kind_max_share=D("0.3"))
        refused = breakdown(cash=D("700.00"), in_kind=D("1000.00"), in_kind_allowed=False)

        with translation.override("en"):
            assert limited.explanation()[-1] == (
                "USD 700.00 of your in-kind contribution does not count: this call limits how much may be in kind."
            )
            assert refused.explanation()[-1] == (
                "USD 1,000.00 of your in-kind contribution does not count: this call counts only money."
            )


class TestContributionForFullCap:
    def test_rounds_up_with_a_ratio_of_three(self):
        # 4,000 ÷ 3 = 1,333.333…: 1,333.33 gives 3,999.99, one cent short.
        assert contribution_for_full_cap(cap=D("4000.00"), ratio=D("3")) == D("1333.34")

    def test_one_for_one(self):
        assert contribution_for_full_cap(cap=D("20000.00"), ratio=D("1")) == D("20000.00")


class TestBreakdown:
    def test_contribution_binds_and_names_the_money_that_unlocks_the_cap(self):
        result = breakdown(cash=D("3500.00"), equipment_cost=D("6000.00"))

        assert (result.grant, result.bound, result.extra_contribution_for_cap, result.extra_equipment_for_cap) == (
            D("3500.00"),
            Bound.CONTRIBUTION,
            D("500.00"),
            D("0.00"),
        )
        with translation.override("en"):
            assert result.explanation() == [
                "Your grant is limited by your own contribution: each dollar you invest unlocks 1 dollar of equipment.",
                "Investing USD 500.00 more of your own money would unlock the full USD 4,000.00.",
            ]

    def test_extra_cash_lets_more_in_kind_count(self):
        # Counted now: 700 + 300 = 1,000. With 3,000 in cash all the 1,000 in kind counts: 4,000.
        result = breakdown(
            cash=D("700.00"),
            in_kind=D("1000.00"),
            in_kind_allowed=True,
            in_kind_max_share=D("0.3"),
            equipment_cost=D("6000.00"),
        )

        assert result.extra_contribution_for_cap == D("2300.00")

    def test_equipment_binds_and_says_how_much_more_equipment_the_cap_needs(self):
        result = breakdown(cash=D("5000.00"), equipment_cost=D("3200.00"))

        assert (result.grant, result.bound, result.extra_contribution_for_cap, result.extra_equipment_for_cap) == (
            D("3200.00"),
            Bound.EQUIPMENT,
            D("0.00"),
            D("800.00"),
        )
        with translation.override("en"):
            assert result.explanation() == [
                "Your grant is limited by the cost of the equipment in your plan, USD 3,200.00: "
                "the programme pays for equipment only.",
                "Equipment worth USD 800.00 more would be needed to reach the full USD 4,000.00.",
            ]

    def test_cap_binds(self):
        result = breakdown(cash=D("4500.00"), equipment_cost=D("9000.00"))

        assert (result.grant, result.bound, result.extra_contribution_for_cap, result.at_cap) == (
            D("4000.00"),
            Bound.CAP,
            D("0.00"),
            True,
        )
        with translation.override("en"):
            assert result.explanation() == [
                "Your grant is the full USD 4,000.00, the most this call gives to one plan."
            ]

    def test_ties_prefer_the_cap_then_the_equipment(self):
        assert breakdown(cash=D("4000.00"), equipment_cost=D("4000.00")).bound == Bound.CAP
        assert breakdown(cash=D("3000.00"), equipment_cost=D("3000.00")).bound == Bound.EQUIPMENT

    def test_below_the_minimum_grant_is_not_fundable(self):
        result = breakdown(cash=D("400.00"), min_grant=D("500.00"))

        assert (result.grant, result.fundable) == (D("400.00"), False)
        with translation.override("en"):
            assert result.explanation()[-1] == (
                "The grant is below this call's minimum of USD 500.00, so the plan is not fundable."
            )

    def test_a_zero_grant_is_never_fundable(self):
        result = breakdown(cash=D("0.00"))

        assert (result.grant, result.fundable) == (D("0.00"), False)

    def test_ratio_above_one_and_both_limits_short_of_the_cap(self):
        result = breakdown(cash=D("1000.00"), equipment_cost=D("3000.00"), ratio=D("1.5"))

        assert (result.grant, result.bound, result.extra_contribution_for_cap, result.extra_equipment_for_cap) == (
            D("1500.00"),
            Bound.CONTRIBUTION,
            D("1666.67"),
            D("1000.00"),
        )
        with translation.override("en"):
            assert result.explanation() == [
                "Your grant is limited by your own contribution: "
                "each dollar you invest unlocks 1.5 dollars of equipment.",
                "Investing USD 1,666.67 more of your own money, with equipment worth USD 1,000.00 more, "
                "would unlock the full USD 4,000.00.",
            ]


def test_grant_violations_names_every_rule_a_grant_breaks():
    from applications.matching import grant_violations

    assert grant_violations(
        grant=Decimal("4500.00"),
        own_contribution=Decimal("2000.00"),
        equipment_cost=Decimal("3000.00"),
        ratio=Decimal("1"),
        cap=Decimal("4000.00"),
    ) == [
        "The grant USD 4,500.00 is above the call's cap of USD 4,000.00.",
        "The grant USD 4,500.00 is above 1 times the own contribution of USD 2,000.00.",
        "The grant USD 4,500.00 is above the cost of the equipment, USD 3,000.00.",
    ]


def test_grant_violations_is_empty_for_a_grant_within_the_rules():
    from applications.matching import grant_violations

    assert (
        grant_violations(
            grant=Decimal("2000.00"),
            own_contribution=Decimal("2000.00"),
            equipment_cost=Decimal("3000.00"),
            ratio=Decimal("1"),
            cap=Decimal("4000.00"),
        )
        == []
    )
