from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class SlotStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DEFENDED = "defended", _("Defended")
    NO_SHOW = "no_show", _("Did not attend")
    CANCELLED = "cancelled", _("Cancelled")


class SheetAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened by the chair")
