"""The 1+1 money rule, pure: no models, no database, `Decimal` only.

With O the own contribution counted in USD, E the cost of the eligible equipment in USD, r the call's
match ratio and C the call's cap:

    grant = min(E, r × O, C), rounded down to the cent

Every function here refuses floats (TypeError) and negative amounts (ValueError): a float has no exact
cents, and a negative amount is a bug upstream that must not quietly become a smaller grant.
"""

import enum
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal, localcontext

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.money import format_usd

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Wide enough that products and quotients of any two amounts a DecimalField can hold are exact.
PRECISION = 60


class Bound(enum.StrEnum):
    """Which of the three limits sets the grant."""

    EQUIPMENT = "equipment"
    CONTRIBUTION = "contribution"
    CAP = "cap"


# When limits tie, the reported one is the first here: the cap is the plainest story ("you get the
# most a plan can get"), then the equipment (a fact of the plan), then the contribution.
TIE_ORDER = (Bound.CAP, Bound.EQUIPMENT, Bound.CONTRIBUTION)


def _money(name: str, value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}.")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (got {value}).")
    return value


def _positive(name: str, value) -> Decimal:
    value = _money(name, value)
    if value == 0:
        raise ValueError(f"{name} must be more than zero.")
    return value


def _share(name: str, value) -> Decimal:
    value = _money(name, value)
    if value > 1:
        raise ValueError(f"{name} is a share from 0 to 1 (got {value}).")
    return value


def cents_down(value: Decimal) -> Decimal:
    with localcontext(prec=PRECISION):
        return value.quantize(CENT, rounding=ROUND_DOWN)


def cents_up(value: Decimal) -> Decimal:
    with localcontext(prec=PRECISION):
        return value.quantize(CENT, rounding=ROUND_CEILING)


def _bounds(own_contribution: Decimal, equipment_cost: Decimal, ratio: Decimal, cap: Decimal) -> dict[Bound, Decimal]:
    with localcontext(prec=PRECISION):
        return {Bound.EQUIPMENT: equipment_cost, Bound.CONTRIBUTION: ratio * own_contribution, Bound.CAP: cap}


def _binding(bounds: dict[Bound, Decimal]) -> Bound:
    lowest = min(bounds.values())
    return next(bound for bound in TIE_ORDER if bounds[bound] == lowest)


def compute_grant(*, own_contribution: Decimal, equipment_cost: Decimal, ratio: Decimal, cap: Decimal) -> Decimal:
    """min(equipment_cost, ratio × own_contribution, cap), rounded down to the cent, with exactly two places.

    Rounding down keeps the grant within every bound even when a bound has more than two places.
    """
    own_contribution = _money("own_contribution", own_contribution)
    equipment_cost = _money("equipment_cost", equipment_cost)
    ratio = _positive("ratio", ratio)
    cap = _positive("cap", cap)
    return cents_down(min(_bounds(own_contribution, equipment_cost, ratio, cap).values()))


def counted_own_contribution(
    *, cash: Decimal, in_kind: Decimal, in_kind_allowed: bool, in_kind_max_share: Decimal
) -> Decimal:
    """The own contribution that counts: all the cash, plus in kind where the call allows it, up to its share.

    The share is of the counted total, not of the cash: the in kind counted, k, satisfies
    k <= share × (cash + k), that is k <= cash × share / (1 − share) for a share below 1. A share of 1
    counts all the in kind; a share of 0, or a call without in kind, counts none. With a share of 0.3,
    USD 700 in cash lets USD 300 in kind count (300 is 30 % of 1,000). In kind alone, without cash,
    therefore counts only under a share of 1.

    k is rounded down to the cent (so the share is never exceeded), and the total too.
    """
    cash = _money("cash", cash)
    in_kind = _money("in_kind", in_kind)
    share = _share("in_kind_max_share", in_kind_max_share)
    return cents_down(cash + _counted_in_kind(cash, in_kind, in_kind_allowed, share))


def _counted_in_kind(cash: Decimal, in_kind: Decimal, allowed: bool, share: Decimal) -> Decimal:
    if not allowed or share == 0 or in_kind == 0:
        return ZERO
    if share == 1:
        return cents_down(in_kind)
    with localcontext(prec=PRECISION):
        counted = cents_down(min(in_kind, cash * share / (1 - share)))
        # The quotient is rounded at PRECISION digits; the exact products below settle any doubt.
        while counted > 0 and counted * (1 - share) > cash * share:
            counted -= CENT
    return counted


def contribution_for_full_cap(*, cap: Decimal, ratio: Decimal) -> Decimal:
    """The smallest own contribution, in whole cents, for which ratio × contribution reaches the cap."""
    cap = _positive("cap", cap)
    ratio = _positive("ratio", ratio)
    with localcontext(prec=PRECISION):
        needed = cents_up(cap / ratio)
        while ratio * needed < cap:
            needed += CENT
        while needed >= CENT and ratio * (needed - CENT) >= cap:
            needed -= CENT
    return needed


def _extra_cash_to_count(
    *, cash: Decimal, in_kind: Decimal, target: Decimal, in_kind_allowed: bool, in_kind_max_share: Decimal
) -> Decimal:
    """The least extra cash, in cents, that makes the counted contribution reach `target`.

    More cash also lets more of an in-kind contribution already offered count, so this can be less
    than the plain difference. The counted contribution grows with cash, so a search over cents finds it.
    """

    def counted(extra_cents: int) -> Decimal:
        return counted_own_contribution(
            cash=cash + Decimal(extra_cents) * CENT,
            in_kind=in_kind,
            in_kind_allowed=in_kind_allowed,
            in_kind_max_share=in_kind_max_share,
        )

    if counted(0) >= target:
        return ZERO
    low, high = 0, int(cents_up(target) / CENT)  # `target` in cash alone always suffices
    while high - low > 1:
        middle = (low + high) // 2
        if counted(middle) >= target:
            high = middle
        else:
            low = middle
    return Decimal(high) * CENT


@dataclass(frozen=True)
class GrantBreakdown:
    """The grant a plan's figures give, which limit sets it, and what would raise it to the cap.

    `extra_contribution_for_cap` is the extra own money (cash) that would take the grant to the cap.
    It is 0 when the grant is already at the cap, and when the equipment, not the contribution, holds
    the grant down; `extra_equipment_for_cap` then says by how much the equipment cost would have to
    grow to reach the cap (it is 0 whenever the equipment costs at least the cap).
    """

    cash: Decimal
    in_kind: Decimal
    counted_own_contribution: Decimal
    in_kind_not_counted: Decimal
    equipment_cost: Decimal
    ratio: Decimal
    cap: Decimal
    min_grant: Decimal
    in_kind_allowed: bool
    in_kind_max_share: Decimal
    grant: Decimal
    bound: Bound
    fundable: bool
    extra_contribution_for_cap: Decimal
    extra_equipment_for_cap: Decimal

    @property
    def at_cap(self) -> bool:
        return self.grant == cents_down(self.cap)

    def explanation(self) -> list[str]:
        """Short sentences for the participant, in the active language, saying why the grant is what it is."""
        sentences: list[str] = []
        cap = {"cap": format_usd(self.cap)}
        if self.bound == Bound.CAP:
            sentences.append(_("Your grant is the full %(cap)s, the most this call gives to one plan.") % cap)
        elif self.bound == Bound.EQUIPMENT:
            sentences.append(
                _(
                    "Your grant is limited by the cost of the equipment in your plan, %(equipment)s: "
                    "the programme pays for equipment only."
                )
                % {"equipment": format_usd(self.equipment_cost)}
            )
            sentences.append(
                _("Equipment worth %(extra)s more would be needed to reach the full %(cap)s.")
                % {"extra": format_usd(self.extra_equipment_for_cap), **cap}
            )
            with localcontext(prec=PRECISION):
                by_contribution = cents_down(self.ratio * self.counted_own_contribution)
            if by_contribution < cents_down(self.cap):
                sentences.append(
                    _("With more equipment, your own contribution would limit the grant to %(amount)s.")
                    % {"amount": format_usd(by_contribution)}
                )
        else:
            sentences.append(
                ngettext(
                    "Your grant is limited by your own contribution: "
                    "each dollar you invest unlocks %(ratio)s dollar of equipment.",
                    "Your grant is limited by your own contribution: "
                    "each dollar you invest unlocks %(ratio)s dollars of equipment.",
                    _plural_count(self.ratio),
                )
                % {"ratio": _plain_number(self.ratio)}
            )
            extra = {"extra": format_usd(self.extra_contribution_for_cap), **cap}
            if self.extra_equipment_for_cap:
                sentences.append(
                    _(
                        "Investing %(extra)s more of your own money, with equipment worth %(equipment)s more, "
                        "would unlock the full %(cap)s."
                    )
                    % {**extra, "equipment": format_usd(self.extra_equipment_for_cap)}
                )
            else:
                sentences.append(_("Investing %(extra)s more of your own money would unlock the full %(cap)s.") % extra)
        if self.in_kind_not_counted:
            not_counted = {"amount": format_usd(self.in_kind_not_counted)}
            if self.in_kind_allowed and self.in_kind_max_share > 0:
                sentences.append(
                    _(
                        "%(amount)s of your in-kind contribution does not count: "
                        "this call limits how much may be in kind."
                    )
                    % not_counted
                )
            else:
                sentences.append(
                    _("%(amount)s of your in-kind contribution does not count: this call counts only money.")
                    % not_counted
                )
        if not self.fundable:
            if self.grant == 0:
                sentences.append(_("The grant would be zero, so the plan is not fundable."))
            else:
                sentences.append(
                    _("The grant is below this call's minimum of %(minimum)s, so the plan is not fundable.")
                    % {"minimum": format_usd(self.min_grant)}
                )
        return sentences


def _plain_number(value: Decimal) -> str:
    """1 for 1.00 and 1.5 for 1.50, never 1E+1 for 10."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plural_count(value: Decimal) -> int:
    return int(value) if value == value.to_integral_value() else 2


def grant_breakdown(
    *,
    cash: Decimal,
    in_kind: Decimal,
    equipment_cost: Decimal,
    ratio: Decimal,
    cap: Decimal,
    min_grant: Decimal,
    in_kind_allowed: bool,
    in_kind_max_share: Decimal,
) -> GrantBreakdown:
    """Everything the application form and the plan show about the grant, from the figures in USD."""
    cash = _money("cash", cash)
    in_kind = _money("in_kind", in_kind)
    equipment_cost = _money("equipment_cost", equipment_cost)
    ratio = _positive("ratio", ratio)
    cap = _positive("cap", cap)
    min_grant = _money("min_grant", min_grant)
    share = _share("in_kind_max_share", in_kind_max_share)

    counted = counted_own_contribution(
        cash=cash, in_kind=in_kind, in_kind_allowed=in_kind_allowed, in_kind_max_share=share
    )
    bounds = _bounds(counted, equipment_cost, ratio, cap)
    bound = _binding(bounds)
    grant = cents_down(bounds[bound])

    extra_contribution = ZERO
    if bound == Bound.CONTRIBUTION:
        extra_contribution = _extra_cash_to_count(
            cash=cash,
            in_kind=in_kind,
            target=contribution_for_full_cap(cap=cap, ratio=ratio),
            in_kind_allowed=in_kind_allowed,
            in_kind_max_share=share,
        )
    return GrantBreakdown(
        cash=cash,
        in_kind=in_kind,
        counted_own_contribution=counted,
        in_kind_not_counted=in_kind - _counted_in_kind(cash, in_kind, in_kind_allowed, share),
        equipment_cost=equipment_cost,
        ratio=ratio,
        cap=cap,
        min_grant=min_grant,
        in_kind_allowed=in_kind_allowed,
        in_kind_max_share=share,
        grant=grant,
        bound=bound,
        fundable=grant > 0 and grant >= min_grant,
        extra_contribution_for_cap=extra_contribution,
        extra_equipment_for_cap=cents_up(max(cap - equipment_cost, ZERO)),
    )


def grant_violations(
    *, grant: Decimal, own_contribution: Decimal, equipment_cost: Decimal, ratio: Decimal, cap: Decimal
) -> list[str]:
    """The 1+1 rules a grant about to be stored would break, in words (the database refuses it as well)."""
    violations = []
    if grant > cap:
        violations.append(
            _("The grant %(grant)s is above the call's cap of %(cap)s.")
            % {"grant": format_usd(grant), "cap": format_usd(cap)}
        )
    with localcontext(prec=PRECISION):
        by_contribution = ratio * own_contribution
    if grant > by_contribution:
        violations.append(
            _("The grant %(grant)s is above %(ratio)s times the own contribution of %(own)s.")
            % {"grant": format_usd(grant), "ratio": _plain_number(ratio), "own": format_usd(own_contribution)}
        )
    if grant > equipment_cost:
        violations.append(
            _("The grant %(grant)s is above the cost of the equipment, %(equipment)s.")
            % {"grant": format_usd(grant), "equipment": format_usd(equipment_cost)}
        )
    return violations
