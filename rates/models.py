from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import Currency

from .enums import RATE_CURRENCY_CHOICES, RateSource

RATE = {"max_digits": 14, "decimal_places": 6}


class ExchangeRate(models.Model):
    """The National Bank of Ukraine's official rate of one currency on one day, as hryvnias per 1 unit.

    Amounts converted with a rate store the rate and its date beside them, so correcting a rate here
    never changes a figure already computed.
    """

    currency = models.CharField(_("currency"), max_length=3, choices=RATE_CURRENCY_CHOICES)
    date = models.DateField(_("date"))
    uah_per_unit = models.DecimalField(_("UAH for 1 unit"), **RATE)
    source = models.CharField(_("source"), max_length=10, choices=RateSource.choices, default=RateSource.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_currency_per_day"),
            models.CheckConstraint(condition=Q(uah_per_unit__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=~Q(currency=Currency.UAH), name="exchange_rate_not_hryvnia"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date:%d.%m.%Y}: {self.uah_per_unit} UAH"
