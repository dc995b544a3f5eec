from decimal import Decimal, InvalidOperation

from django import template

from common.money import DASH, format_usd

register = template.Library()


@register.filter
def usd(amount) -> str:
    """USD amounts read the same in every language and document: "USD 4,000.00"."""
    if amount is None or amount == "":
        return DASH
    try:
        return format_usd(Decimal(amount))
    except (InvalidOperation, TypeError, ValueError):
        return DASH
