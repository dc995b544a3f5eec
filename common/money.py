"""The one way the programme writes an amount of money, pure: no models, no database.

Pages, emails, letters, PDFs and exports all call these, so a figure reads the same everywhere.
"""

from decimal import Decimal

CENT = Decimal("0.01")
DASH = "—"


def format_usd(amount: Decimal) -> str:
    """`USD 4,000.00`: the programme's way of writing a USD amount in every language."""
    return f"USD {amount.quantize(CENT):,.2f}"


def usd_text(value: Decimal | None) -> str:
    """`format_usd`, with a dash for an amount that is not known."""
    return DASH if value is None else format_usd(value)


def amount_text(value: Decimal | None) -> str:
    """`3500` → '3,500.00', without a currency: for table cells under a currency heading."""
    return DASH if value is None else f"{value.quantize(CENT):,.2f}"
