"""What the history rows of every workflow share (applications.ApplicationStatusChange predates it)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .money import format_usd


class NotedChange(models.Model):
    """A history row's note: a person's words as they typed them (`note`), or a note the software writes,
    stored as a code of the model's `NOTES` and its parameters (`note_code`, `note_params`) and worded in
    the reader's language when read (`note_text`), as applications.notes does for applications.

    Parameters are language-neutral: dates as the programme writes them, numbers as text, amounts as
    decimal strings under a name ending in `_usd` (formatted when read)."""

    note = models.TextField(_("note"), blank=True)
    note_code = models.CharField(max_length=40, blank=True)
    note_params = models.JSONField(default=dict, blank=True)

    NOTES: dict = {}  # code -> lazy text with %(name)s parameters, set by each concrete model

    class Meta:
        abstract = True

    @property
    def note_text(self) -> str:
        """The note in the active language; an unknown code (a later release's) reads as the code itself."""
        if not self.note_code:
            return self.note
        template = self.NOTES.get(self.note_code)
        if template is None:
            return self.note_code
        params = {
            name: format_usd(Decimal(value)) if name.endswith("_usd") else value
            for name, value in (self.note_params or {}).items()
        }
        return str(template) % params


class StatusChange(NotedChange):
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
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}, {self.created_at:%d.%m.%Y %H:%M}"
