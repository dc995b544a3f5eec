from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import display  # noqa: F401  (every model's get_FOO_display from choices built once)


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Shared helpers")

    def ready(self):
        from . import checks, lookups  # noqa: F401  (registers the checks and IntegerFieldIn)
