"""The access log and erasure requests: who read or exported personal data, and who asked to be forgotten."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import EncryptedCharField, EncryptedTextField

from ..enums import (
    ErasureStatus,
)
from .applications import Application


class AccessLogEntry(models.Model):
    """Every view, export or download of an applicant's personal data: who, when, what and why.

    Append-only: the app never updates or deletes a row, the admin is read-only, and on PostgreSQL a
    trigger refuses UPDATE and DELETE (migration 0006). So the foreign keys hold no database constraint
    and do nothing when their row goes: a deleted draft or user leaves its log rows as they were.
    `application` is empty for an access to a person's data outside any application (their own export
    of an account without applications); `reference` keeps the application's reference as it was."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("application"),
    )
    reference = models.CharField(_("reference"), max_length=30, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    detail = models.CharField(_("what"), max_length=200, blank=True)
    reason = models.CharField(_("why"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.application_id}"


class ErasureRequest(models.Model):
    """A person's request that the programme erase their data, and an officer's decision on it.

    `notify_email` keeps where to tell the outcome (the account's address is erased with the account) and
    is emptied once the outcome is sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_requests")
    note = EncryptedTextField(_("anything we should know (optional)"), blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="uk")
    notify_email = EncryptedCharField(max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(_("message to the person"), blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return _("Erasure request #%(pk)s") % {"pk": self.pk}
