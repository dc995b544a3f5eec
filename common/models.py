"""What the history rows of every workflow share (applications.ApplicationStatusChange predates it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusChange(models.Model):
    """One row per move, written by the workflow's `<thing>_move` service: who moved the object (None
    for a task acting on nobody's behalf, with the task named in the note), when, and why. The concrete
    model adds the object it belongs to and `from_status`/`to_status` with the workflow's choices."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}, {self.created_at:%d.%m.%Y %H:%M}"
