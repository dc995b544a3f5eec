"""Converting through the hryvnia, pure: every NBU rate is hryvnias per 1 unit of a currency.

An amount in currency X is worth amount × (UAH per X) hryvnias, that is amount × (UAH per X) / (UAH per
USD) dollars. The hryvnia itself has 1 UAH per unit.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.00000001")
PRECISION = 60


def _check(amount: Decimal, uah_per_unit_currency: Decimal, uah_per_usd: Decimal) -> None:
    for name, value in (
        ("amount", amount),
        ("uah_per_unit_currency", uah_per_unit_currency),
        ("uah_per_usd", uah_per_usd),
    ):
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}.")
    if amount < 0:
        raise ValueError(f"amount cannot be negative (got {amount}).")
    if uah_per_unit_currency <= 0 or uah_per_usd <= 0:
        raise ValueError("Exchange rates must be more than zero.")


def to_usd(*, amount: Decimal, uah_per_unit_currency: Decimal, uah_per_usd: Decimal) -> Decimal:
    """The amount in USD, rounded half up to the cent.

    Computed from the two official rates, not from the rounded `usd_per_unit`, so the result is the
    nearest cent to the exact value.
    """
    _check(amount, uah_per_unit_currency, uah_per_usd)
    with localcontext(prec=PRECISION):
        usd = Decimal(amount) * Decimal(uah_per_unit_currency) / Decimal(uah_per_usd)
        return usd.quantize(CENT, rounding=ROUND_HALF_UP)


def usd_per_unit(*, uah_per_unit_currency: Decimal, uah_per_usd: Decimal) -> Decimal:
    """Dollars for 1 unit of the currency, to 8 places (half up): the cross rate shown and stored."""
    _check(Decimal(0), uah_per_unit_currency, uah_per_usd)
    with localcontext(prec=PRECISION):
        rate = Decimal(uah_per_unit_currency) / Decimal(uah_per_usd)
        return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
