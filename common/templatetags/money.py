"""Money and numbers in templates, through common.money, in the reader's language:

    {{ grant.grant_usd|usd }}                 4 000,00 USD  /  USD 4,000.00
    {{ line.amount|money:line.currency }}     120 000,00 UAH  /  UAH 120,000.00
    {{ line.total_usd|amount }}               4 000,00  /  4,000.00   (a cell under a heading with the currency)

A value that is not a number (None, '') is a dash, never an error.
"""

from django import template

from common.money import DASH, as_decimal, format_money, format_number

register = template.Library()


@register.filter
def usd(value) -> str:
    number = as_decimal(value)
    return DASH if number is None else format_money(number, "USD")


@register.filter
def money(value, currency="USD") -> str:
    number = as_decimal(value)
    return DASH if number is None else format_money(number, currency or "USD")


@register.filter
def amount(value) -> str:
    number = as_decimal(value)
    return DASH if number is None else format_number(number)
