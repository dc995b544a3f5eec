from datetime import date

from django.utils.translation import gettext as _

from applications.exceptions import ApplicationError

# The NBU sets no new rate on weekends and public holidays: the last one set stays in force. A week
# covers the longest such break; an older rate means an import was missed, and guessing would be wrong.
LOOKBACK_DAYS = 7


class RateError(ApplicationError):
    """A rate could not be saved or used; `message` is for the user, already translated."""


class MissingRate(RateError):
    def __init__(self, currency: str, on: date):
        super().__init__(
            _(
                "There is no official NBU rate for %(currency)s on %(date)s or the %(days)d days before it. "
                "A programme officer must add it under Exchange rates."
            )
            % {"currency": currency, "date": on.strftime("%d.%m.%Y"), "days": LOOKBACK_DAYS}
        )
        self.currency = currency
        self.on = on
