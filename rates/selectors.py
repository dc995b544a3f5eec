"""Reads of exchange rates that views share."""

from datetime import date

from django.db.models import QuerySet

from .models import ExchangeRate


def rates_for_staff(*, currency: str = "") -> QuerySet[ExchangeRate]:
    """Newest first, with who last saved each rate; one currency when given."""
    rates = ExchangeRate.objects.select_related("updated_by").order_by("-date", "currency")
    return rates.filter(currency=currency) if currency else rates


def rate_on(*, currency: str, on: date) -> ExchangeRate | None:
    """The rate stored for exactly that day, if any (no fallback to earlier days)."""
    return ExchangeRate.objects.filter(currency=currency, date=on).first()
