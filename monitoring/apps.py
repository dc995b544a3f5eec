from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring, field verification and retention")

    def ready(self):
        from procurement.signals import equipment_handed_over

        from .services import schedule_on_handover

        equipment_handed_over.connect(schedule_on_handover, dispatch_uid="monitoring-schedule-on-handover")
