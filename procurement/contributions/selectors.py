"""What the participant and the staff are told about a shortfall, and what would close it."""

from dataclasses import dataclass
from decimal import Decimal

from ..enums import ProofStatus
from .match import verified_match

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Remedy:
    """A grant's shortfall and the ways to close it.

    `extra_cash_usd`: own money, proven, that would close what the cap allows closing; `unproven_usd`:
    what the plan declared on lines not verified yet (proving those is the first thing to try);
    `above_cap_usd`: equipment beyond the cap, which only leaving equipment out closes."""

    shortfall_usd: Decimal
    extra_cash_usd: Decimal
    unproven_usd: Decimal
    above_cap_usd: Decimal
    lines_open: int

    @property
    def has_shortfall(self) -> bool:
        return self.shortfall_usd > 0


def remedy_for(grant, match) -> Remedy:
    """From the grant's stored match row and its (prefetched) proofs."""
    call = grant.call
    figures = verified_match(
        cash=match.cash_verified_usd,
        in_kind=match.in_kind_verified_usd,
        equipment_cost=match.equipment_usd,
        ratio=match.match_ratio,
        cap=match.cap_usd,
        in_kind_allowed=call.in_kind_allowed,
        in_kind_max_share=call.in_kind_max_share,
    )
    proofs = grant.contribution_proofs.all()
    return Remedy(
        shortfall_usd=match.shortfall_usd,
        extra_cash_usd=figures.extra_cash_to_close,
        unproven_usd=sum((p.declared_usd for p in proofs if p.status != ProofStatus.VERIFIED), ZERO),
        above_cap_usd=figures.above_cap_usd,
        lines_open=sum(1 for p in proofs if p.status in (ProofStatus.AWAITING, ProofStatus.SUBMITTED)),
    )
