"""Business plans: one plan per application, written in versions. A submitted version is frozen."""

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import user_roles
from applications.enums import Currency
from applications.models import MONEY, Application
from common.models import StatusChange
from common.moves import OWNER
from common.uploads import RandomName

from .enums import PLAN_VERSION_MOVES, ContributionKind, PlanSection, SessionMode, VersionStatus

RATE = {"max_digits": 18, "decimal_places": 8}


def _private_storage():
    return storages["private"]


class ConsultantAssignment(models.Model):
    """The consultant who helps this applicant write the plan; reassigning updates the row."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="consultant_assignment")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultant_assignments"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")

    def __str__(self) -> str:
        return f"{self.application} → {self.consultant}"


class ConsultationSession(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consultation_sessions")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=20, choices=SessionMode.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    topics = models.CharField(_("topics"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("consultation session")
        verbose_name_plural = _("consultation sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_mode_display()}"


class BusinessPlan(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="business_plan")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")

    def __str__(self) -> str:
        return f"{self.application}"


class PlanVersion(models.Model):
    """One version of a plan. Only a draft changes; submitting freezes it with the rates it used."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)

    summary = models.TextField(_("summary"), blank=True)
    market = models.TextField(_("the business and its market"), blank=True)
    experience = models.TextField(_("experience from abroad that the business uses"), blank=True)
    operations = models.TextField(_("operations and suppliers"), blank=True)
    risks = models.TextField(_("risks and how you will handle them"), blank=True)
    sustainability = models.TextField(_("sustainability: the business after the grant"), blank=True)

    jobs_total = models.PositiveSmallIntegerField(_("jobs to be created"), null=True, blank=True)
    jobs_women = models.PositiveSmallIntegerField(_("of which for women"), null=True, blank=True)
    jobs_youth = models.PositiveSmallIntegerField(_("of which for young people (under 35)"), null=True, blank=True)
    jobs_disability = models.PositiveSmallIntegerField(
        _("of which for people with disabilities"), null=True, blank=True
    )
    jobs_veterans = models.PositiveSmallIntegerField(_("of which for veterans"), null=True, blank=True)
    projection = models.JSONField(_("12-month projection"), default=list, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rates_date = models.DateField(null=True, blank=True)
    equipment_usd = models.DecimalField(**MONEY, null=True, blank=True)
    own_cash_usd = models.DecimalField(**MONEY, null=True, blank=True)
    own_in_kind_usd = models.DecimalField(**MONEY, null=True, blank=True)
    own_counted_usd = models.DecimalField(**MONEY, null=True, blank=True)
    grant_usd = models.DecimalField(**MONEY, null=True, blank=True)
    match_ratio = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    cap_usd = models.DecimalField(**MONEY, null=True, blank=True)

    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_note = models.TextField(_("what to revise"), blank=True)

    pdf = models.FileField(storage=_private_storage, upload_to="plans/pdf/%Y/", blank=True, max_length=255)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("business plan version")
        verbose_name_plural = _("business plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status=VersionStatus.DRAFT), name="plan_one_draft_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(grant_usd__isnull=True) | Q(grant_usd__lte=models.F("cap_usd")),
                name="plan_grant_within_cap",
            ),
            models.CheckConstraint(
                condition=Q(grant_usd__isnull=True)
                | Q(grant_usd__lte=models.F("match_ratio") * models.F("own_counted_usd")),
                name="plan_grant_within_ratio_of_contribution",
            ),
            models.CheckConstraint(
                condition=Q(grant_usd__isnull=True) | Q(grant_usd__lte=models.F("equipment_usd")),
                name="plan_grant_within_equipment_cost",
            ),
        ]

    def __str__(self) -> str:
        return _("%(plan)s, version %(number)s") % {"plan": self.plan, "number": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT

    def move_capacities(self, actor) -> frozenset[str]:
        """The actor's roles, and OWNER for the applicant whose plan it is (`PLAN_VERSION_MOVES.actors`)."""
        return user_roles(actor) | ({OWNER} if actor.pk == self.plan.application.applicant_id else set())

    def available_moves(self, actor) -> list[str]:
        """The statuses `actor` may move this version to now (plans.services.plan_version_move)."""
        return PLAN_VERSION_MOVES.available(self.status, self.move_capacities(actor))


class PlanVersionStatusChange(StatusChange):
    """One row per move of a plan version (submitted, returned for revision), written by `plan_version_move`."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=VersionStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=VersionStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("business plan version status change")
        verbose_name_plural = _("business plan version status changes")


class EquipmentLine(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="equipment_lines")
    item = models.CharField(_("item"), max_length=200)
    purpose = models.CharField(_("what it is for"), max_length=300, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.UAH)
    vat_included = models.BooleanField(_("VAT included"), default=True)
    quote = models.FileField(
        _("supplier quote"), storage=_private_storage, upload_to=RandomName("plans/quotes"), blank=True, max_length=255
    )
    quote_type = models.CharField(max_length=50, blank=True)
    usd_per_unit = models.DecimalField(**RATE, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    total_usd = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("equipment line")
        verbose_name_plural = _("equipment lines")
        constraints = [models.CheckConstraint(condition=Q(unit_price__gt=0), name="plan_equipment_price_positive")]

    def __str__(self) -> str:
        return self.item

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class ContributionLine(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="contribution_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices, default=ContributionKind.CASH)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount or value"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.UAH)
    evidence = models.FileField(
        _("evidence"), storage=_private_storage, upload_to=RandomName("plans/evidence"), blank=True, max_length=255
    )
    evidence_type = models.CharField(max_length=50, blank=True)
    usd_per_unit = models.DecimalField(**RATE, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    amount_usd = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("own contribution line")
        verbose_name_plural = _("own contribution lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="plan_contribution_positive")]

    def __str__(self) -> str:
        return self.description


class PlanComment(models.Model):
    """A consultant's or officer's comment on a plan version; the applicant sees those addressed to them."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    section = models.CharField(_("section"), max_length=20, choices=PlanSection.choices, blank=True)
    body = models.TextField(_("comment"))
    to_applicant = models.BooleanField(_("visible to the applicant"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")

    def __str__(self) -> str:
        return self.body[:50]
