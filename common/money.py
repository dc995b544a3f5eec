"""The one way the programme writes an amount of money or a number, pure: no models, no database.

Pages, emails, letters, PDFs and exports all call these, so a figure reads the same everywhere, in the
reader's language:

    uk  4 000,00 USD   thousands by a narrow no-break space, a decimal comma, the currency after
    en  USD 4,000.00   thousands by a comma, a decimal point, the currency before

The language is
the active one (`django.utils.translation.get_language`) unless one is given.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language

CENT = Decimal("0.01")
DASH = "—"
NARROW_NBSP = "\u202f"
SPACE = " "

# language: (thousands separator, decimal separator, currency before the figure)
SHAPES = {
    "uk": (NARROW_NBSP, ",", False),
    "en": (",", ".", True),
}


def _shape(language: str | None) -> tuple[str, str, bool]:
    code = (language or get_language() or "uk").split("-")[0].lower()
    return SHAPES.get(code, SHAPES["uk"])


def as_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, int or numeric text; None for None, '' or anything that is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Decimal | int, *, places: int = 2, language: str | None = None) -> str:
    """`4000` → '4 000,00' (uk) or '4,000.00' (en); `places` digits after the separator, rounded half up."""
    thousands, decimal, _before = _shape(language)
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_money(amount: Decimal | int, currency: str = "USD", *, language: str | None = None) -> str:
    """`4000, "USD"` → '4 000,00 USD' (uk) or 'USD 4,000.00' (en)."""
    figure = format_number(amount, language=language)
    before = _shape(language)[2]
    return f"{currency}{SPACE}{figure}" if before else f"{figure}{SPACE}{currency}"


def format_usd(amount: Decimal | int, *, language: str | None = None) -> str:
    """`format_money` in USD, the currency of every grant figure."""
    return format_money(amount, "USD", language=language)


def usd_text(value: Decimal | None, *, language: str | None = None) -> str:
    """`format_usd`, with a dash for an amount that is not known."""
    return DASH if value is None else format_usd(value, language=language)


def amount_text(value: Decimal | None, *, language: str | None = None) -> str:
    """`3500` → '3 500,00' / '3,500.00', without a currency: for cells under a heading that names it."""
    return DASH if value is None else format_number(value, language=language)


def format_ratio(value: Decimal, *, language: str | None = None) -> str:
    """A ratio without padding zeros: 1.00 → '1', 1.50 → '1,5' (uk) or '1.5' (en)."""
    text = f"{Decimal(value):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", _shape(language)[1])
