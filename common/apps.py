from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        from . import checks, lookups  # noqa: F401  (registers the checks and IntegerFieldIn)
