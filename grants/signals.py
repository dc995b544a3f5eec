"""What grants asks the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent with `call` (a Call) whenever the call's committed budget is read (grants.decisions.selectors.
# call_committed); each receiver returns a Decimal the call spends above its grants' approved amounts.
# procurement answers with the equipment that costs more than its grant (confirmed overruns, costs within
# tolerance), so an approval never promises money an overrun has already spent.
spent_above_grants = Signal()
