"""After the handover: monitoring reports, field-verification samples and visits, and retention cases.

Field names here are read by the reports (reports/): keep them stable.

- `MonitoringSchedule`: per grant, copied from the call when the equipment is handed over: the handover
  date, the months reports are due and the end of the retention period.
- `MonitoringReport`: one per grant and due month (6 and 12 by default), written by the participant
  (drafts save), accepted or returned by an officer; `JobsCreated` counts the jobs by gender and age band.
- `VerificationSample` and `SampleMember`: a reproducible random sample of a call's handed-over grants
  (the population's ids and the seed are stored, so anyone can draw it again).
- `FieldVisit`: what an officer found on site; a discrepancy is flagged with a note.
- `RetentionCase`: the equipment no longer in the business within the retention period; an approver
  decides (recover, transfer, write off or dismiss).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import Gender
from applications.models import MONEY, Application, Call
from grants.models import Grant
from procurement.models import StatusChangeBase

from .enums import CASE_REASONS, AgeBand, CaseSource, CaseStatus, ReminderKind, ReportStatus, RevenueBand


def _private_storage():
    return storages["private"]


def _random_name(filename: str) -> str:
    return f"{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


def _photo_path(photo, filename: str) -> str:
    return f"monitoring/photos/{timezone.now():%Y/%m}/{_random_name(filename)}"


class MonitoringSchedule(models.Model):
    """What the call asked for at the handover, copied so a later change to the call moves no due date."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="monitoring_schedule")
    handed_over_on = models.DateField(_("handed over on"))
    report_months = models.JSONField(_("reports due, months after the handover"), default=list)
    retention_months = models.PositiveSmallIntegerField(_("equipment kept in use, months"))
    retention_until = models.DateField(_("equipment stays in the business until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monitoring schedule")
        verbose_name_plural = _("monitoring schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_until__gt=models.F("handed_over_on")), name="schedule_retention_after_handover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.handed_over_on}"


class MonitoringReport(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="monitoring_reports")
    months_after = models.PositiveSmallIntegerField(_("months after the handover"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE, db_index=True
    )

    business_operating = models.BooleanField(_("the business is operating"), null=True, blank=True)
    equipment_in_use = models.BooleanField(_("the equipment is in the business and in use"), null=True, blank=True)
    equipment_note = models.TextField(_("about the equipment"), blank=True)
    revenue_band = models.CharField(
        _("revenue since the handover"), max_length=20, choices=RevenueBand.choices, blank=True
    )
    revenue_uah = models.DecimalField(_("revenue since the handover, UAH"), **MONEY, null=True, blank=True)
    story = models.TextField(_("your story in a few sentences"), blank=True)

    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("note to the participant"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.UniqueConstraint(fields=["grant", "months_after"], name="monitoring_report_one_per_month"),
            models.CheckConstraint(
                condition=Q(status__in=[ReportStatus.DUE])
                | (Q(business_operating__isnull=False) & Q(equipment_in_use__isnull=False) & ~Q(revenue_band="")),
                name="monitoring_report_submitted_complete",
            ),
            models.CheckConstraint(
                condition=Q(revenue_uah__isnull=True) | Q(revenue_uah__gte=0), name="monitoring_report_revenue_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} +{self.months_after}"

    @property
    def jobs_total(self) -> int:
        return sum(row.count for row in self.jobs.all())


class JobsCreated(models.Model):
    """Jobs created since the handover, for one gender and age band of one report."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="jobs")
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    age_band = models.CharField(_("age band"), max_length=20, choices=AgeBand.choices)
    count = models.PositiveSmallIntegerField(_("jobs"), default=0)

    class Meta:
        ordering = ["report", "gender", "age_band"]
        verbose_name = _("jobs created")
        verbose_name_plural = _("jobs created")
        constraints = [
            models.UniqueConstraint(fields=["report", "gender", "age_band"], name="jobs_one_row_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.gender} {self.age_band}: {self.count}"


class ReportPhoto(models.Model):
    """A photo of the business attached to a report; re-encoded on upload, so no EXIF or GPS is kept."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=_private_storage, upload_to=_photo_path, max_length=255)
    content_type = models.CharField(max_length=50)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.file.name


class ReportStatusChange(StatusChangeBase):
    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("monitoring report change")
        verbose_name_plural = _("monitoring report changes")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"

    def status_choices(self):
        return ReportStatus


class ReportReminder(models.Model):
    """One reminder email of one kind per report: the row is written before the email is queued, so a
    second run of the reminder task finds it and sends nothing."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="report_reminder_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class VerificationSample(models.Model):
    """A field-verification sample of a call's handed-over grants.

    The size comes from monitoring.sampling.sample_size (Cochran with the finite population correction);
    the members are `random.Random(seed).sample(population, sample_size)` over the stored population (grant
    ids, ascending), so the same seed and population always give the same members."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="verification_samples")
    confidence = models.DecimalField(_("confidence level"), max_digits=4, decimal_places=3)
    margin = models.DecimalField(_("margin of error"), max_digits=4, decimal_places=3)
    proportion = models.DecimalField(_("expected proportion"), max_digits=4, decimal_places=3, default="0.500")
    population_size = models.PositiveIntegerField(_("handed-over grants"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    seed = models.BigIntegerField(_("seed"))
    population = models.JSONField(default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        verbose_name = _("verification sample")
        verbose_name_plural = _("verification samples")
        constraints = [
            models.CheckConstraint(condition=Q(confidence__gt=0) & Q(confidence__lt=1), name="sample_confidence_0_1"),
            models.CheckConstraint(condition=Q(margin__gt=0) & Q(margin__lt=1), name="sample_margin_0_1"),
            models.CheckConstraint(
                condition=Q(sample_size__lte=models.F("population_size")), name="sample_within_population"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} {self.drawn_at:%d.%m.%Y}"


class SampleMember(models.Model):
    sample = models.ForeignKey(VerificationSample, on_delete=models.CASCADE, related_name="members")
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["sample", "position"]
        verbose_name = _("sampled grant")
        verbose_name_plural = _("sampled grants")
        constraints = [models.UniqueConstraint(fields=["sample", "grant"], name="sample_member_once")]

    def __str__(self) -> str:
        return f"{self.sample_id}: {self.grant_id}"


class FieldVisit(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="field_visits")
    sample = models.ForeignKey(
        VerificationSample, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    visited_on = models.DateField(_("date of the visit"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    equipment_present = models.BooleanField(_("the equipment is there"))
    equipment_in_use = models.BooleanField(_("the equipment is in use"))
    business_operating = models.BooleanField(_("the business is operating"))
    notes = models.TextField(_("notes"), blank=True)
    discrepancy = models.BooleanField(_("discrepancy found"), default=False)
    discrepancy_note = models.TextField(_("what does not match"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(discrepancy=False) | ~Q(discrepancy_note=""), name="visit_discrepancy_explained"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.visited_on}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=_private_storage, upload_to=_photo_path, max_length=255)
    content_type = models.CharField(max_length=50)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.file.name


class RetentionCase(models.Model):
    """The equipment is no longer in the business, or not in use, within the retention period."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="retention_cases")
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    source = models.CharField(_("found by"), max_length=20, choices=CaseSource.choices)
    visit = models.ForeignKey(FieldVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    report = models.ForeignKey(MonitoringReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("what was found"), blank=True)  # an officer's words, as typed
    # What the software found, as a code of CASE_REASONS and its parameters, worded when read (`reason_text`).
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    transfer_to = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer to"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("retention case")
        verbose_name_plural = _("retention cases")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.TRANSFER) | Q(transfer_to__isnull=False),
                name="retention_case_transfer_has_recipient",
            ),
            models.UniqueConstraint(
                fields=["grant"], condition=Q(status="open"), name="retention_case_one_open_per_grant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def reason_text(self) -> str:
        """What was found, in the reader's language when the software wrote it."""
        if not self.reason_code:
            return self.reason
        template = CASE_REASONS.get(self.reason_code)
        return str(template) % self.reason_params if template is not None else self.reason_code


class CaseStatusChange(StatusChangeBase):
    case = models.ForeignKey(RetentionCase, on_delete=models.CASCADE, related_name="status_changes")

    NOTES = CASE_REASONS

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("retention case change")
        verbose_name_plural = _("retention case changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"

    def status_choices(self):
        return CaseStatus
