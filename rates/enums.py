"""Where a rate came from, and which currencies have one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import Currency


class RateSource(models.TextChoices):
    NBU_CSV = "nbu_csv", _("NBU file")
    MANUAL = "manual", _("Entered by hand")


# The hryvnia is the base of every NBU rate (1 UAH = 1 UAH), so it never has a row of its own.
RATE_CURRENCY_CHOICES = [choice for choice in Currency.choices if choice[0] != Currency.UAH]
RATE_CURRENCIES = frozenset(value for value, _label in RATE_CURRENCY_CHOICES)
