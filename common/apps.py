from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        from . import lookups  # noqa: F401  (registers IntegerFieldIn)
