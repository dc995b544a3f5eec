"""The audit of every export the reports produce: who, when, what, why, and a fingerprint of the file."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Call

from .enums import ExportKind, ExportVariant


class ExportRecord(models.Model):
    """One file downloaded from the reports. Append-only; a full export also writes one access-log row
    per application whose personal data it carries (applications.AccessLogEntry)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what"), max_length=20, choices=ExportKind.choices)
    variant = models.CharField(_("variant"), max_length=20, choices=ExportVariant.choices)
    file_format = models.CharField(_("format"), max_length=10)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(variant=ExportVariant.FULL) | ~models.Q(reason=""), name="export_full_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.variant} {self.created_at:%d.%m.%Y %H:%M}"
