"""The 1+1 match on the verified own contribution, pure: `Decimal` only, no database.

With V the own contribution verified and counted (applications.matching.counted_own_contribution: the cash
verified, plus what the call counts of the in kind valued), E what the equipment still to be handed over
costs, r the ratio and C the cap, the grant the verified contribution supports is the engine's own rule,

    grant = min(E, r × V, C)            (applications.matching.compute_grant)

and the shortfall is E − grant: equipment the programme may not hand over on what was proven. Part of it,
max(0, E − C), no contribution can close (the cap); the rest closes when the participant proves
`extra_cash_to_close` more of their own money, or when an approver leaves equipment out.
"""

from dataclasses import dataclass
from decimal import Decimal

from applications.matching import Bound, compute_grant, counted_own_contribution, grant_breakdown

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VerifiedMatch:
    cash_usd: Decimal
    in_kind_usd: Decimal
    counted_usd: Decimal
    equipment_usd: Decimal
    ratio: Decimal
    cap: Decimal
    grant_usd: Decimal
    shortfall_usd: Decimal
    above_cap_usd: Decimal
    extra_cash_to_close: Decimal

    @property
    def has_shortfall(self) -> bool:
        return self.shortfall_usd > 0


def verified_match(
    *,
    cash: Decimal,
    in_kind: Decimal,
    equipment_cost: Decimal,
    ratio: Decimal,
    cap: Decimal,
    in_kind_allowed: bool,
    in_kind_max_share: Decimal,
) -> VerifiedMatch:
    counted = counted_own_contribution(
        cash=cash, in_kind=in_kind, in_kind_allowed=in_kind_allowed, in_kind_max_share=in_kind_max_share
    )
    grant = compute_grant(own_contribution=counted, equipment_cost=equipment_cost, ratio=ratio, cap=cap)
    reachable = min(equipment_cost, cap)
    extra = ZERO
    if reachable > 0 and grant < reachable:
        # The grant the contribution can still reach is min(E, C): ask the engine what raises it there.
        breakdown = grant_breakdown(
            cash=cash,
            in_kind=in_kind,
            equipment_cost=equipment_cost,
            ratio=ratio,
            cap=reachable,
            min_grant=ZERO,
            in_kind_allowed=in_kind_allowed,
            in_kind_max_share=in_kind_max_share,
        )
        if breakdown.bound == Bound.CONTRIBUTION:
            extra = breakdown.extra_contribution_for_cap
    return VerifiedMatch(
        cash_usd=cash,
        in_kind_usd=in_kind,
        counted_usd=counted,
        equipment_usd=equipment_cost,
        ratio=ratio,
        cap=cap,
        grant_usd=grant,
        shortfall_usd=equipment_cost - grant,
        above_cap_usd=max(equipment_cost - cap, ZERO),
        extra_cash_to_close=extra,
    )
