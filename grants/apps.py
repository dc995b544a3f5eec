from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grant decisions and award letters")

    def ready(self):
        from applications.notes import note_labels_register

        from .enums import DeclineReason

        note_labels_register("declined_for_reason", dict(DeclineReason.choices))
