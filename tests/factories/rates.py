"""Official exchange rates."""

from datetime import date
from decimal import Decimal

import factory

from applications.enums import Currency


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    """The NBU's euro rate of a Friday; tests name the currency, date and rate they rely on."""

    class Meta:
        model = "rates.ExchangeRate"

    currency = Currency.EUR
    date = date(2021, 3, 12)
    uah_per_unit = Decimal("33.206900")
    source = "nbu_csv"
