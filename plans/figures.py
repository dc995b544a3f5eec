"""A plan's figures in USD: converted at the official rates of one day, and the grant they give."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from applications.matching import GrantBreakdown, grant_breakdown
from rates.services import Conversion, convert_to_usd

from .enums import ContributionKind

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PlanFigures:
    on: date
    equipment: list[tuple[object, Conversion]]
    contributions: list[tuple[object, Conversion]]
    equipment_usd: Decimal
    own_cash_usd: Decimal
    own_in_kind_usd: Decimal
    breakdown: GrantBreakdown


def plan_figures(*, call, equipment_lines, contribution_lines, on: date) -> PlanFigures:
    """Convert every line at the rate of `on` (raises rates.exceptions.MissingRate) and apply the 1+1 rule."""
    equipment = [
        (line, convert_to_usd(amount=line.unit_price * line.quantity, currency=line.currency, on=on))
        for line in equipment_lines
    ]
    contributions = [
        (line, convert_to_usd(amount=line.amount, currency=line.currency, on=on)) for line in contribution_lines
    ]
    equipment_usd = sum((conversion.usd for _, conversion in equipment), ZERO)
    cash = sum((c.usd for line, c in contributions if line.kind == ContributionKind.CASH), ZERO)
    in_kind = sum((c.usd for line, c in contributions if line.kind == ContributionKind.IN_KIND), ZERO)
    breakdown = grant_breakdown(
        cash=cash,
        in_kind=in_kind,
        equipment_cost=equipment_usd,
        ratio=call.match_ratio,
        cap=call.cap,
        min_grant=call.min_grant,
        in_kind_allowed=call.in_kind_allowed,
        in_kind_max_share=call.in_kind_max_share,
    )
    return PlanFigures(on, equipment, contributions, equipment_usd, cash, in_kind, breakdown)
