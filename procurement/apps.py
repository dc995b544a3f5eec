from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement, own contribution and handover")

    def ready(self) -> None:
        from grants.signals import spent_above_grants

        from .selectors import spent_above_grants_received

        spent_above_grants.connect(spent_above_grants_received, dispatch_uid="procurement.spent_above_grants")
