from decimal import Decimal

from django import template

from applications.matching import format_usd

register = template.Library()


@register.filter
def usd(amount) -> str:
    """USD amounts read the same in every language and document: "USD 4,000.00"."""
    if amount is None or amount == "":
        return "—"
    return format_usd(Decimal(amount))
