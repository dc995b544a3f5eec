from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Calls and applications")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's personal_data.py describes what it keeps about a person (applications.privacy.registry).
        autodiscover_modules("personal_data")
