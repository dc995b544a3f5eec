"""What procurement tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent inside the transaction that stores the first signed handover act of a grant, with `act` (a
# HandoverAct). monitoring schedules the grant's reports and retention period from it.
equipment_handed_over = Signal()
