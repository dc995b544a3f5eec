"""Programmes, priority groups, calls and their consent notices; what every model of the app shares."""

from decimal import Decimal

from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..enums import (
    ConsentPurpose,
    Currency,
    Region,
    Sector,
    Track,
)
from ..fields import monitoring_schedule_default, validate_monitoring_months

MONEY = {"max_digits": 14, "decimal_places": 2}


ZERO = Decimal("0")


def _private_storage():
    return storages["private"]


class Bilingual:
    """Picks the Ukrainian or English variant of a field by the active language."""

    def localized(self, field: str) -> str:
        language = (translation.get_language() or "uk")[:2]
        preferred = getattr(self, f"{field}_{language}", "") if language in ("uk", "en") else ""
        return preferred or getattr(self, f"{field}_uk", "") or getattr(self, f"{field}_en", "")


class Programme(Bilingual, models.Model):
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    donor = models.CharField(_("donor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.localized("name")


class PriorityGroup(Bilingual, models.Model):
    """A group a call gives priority to. Administrators add groups without code changes."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Membership reveals special-category personal data.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("priority group")
        verbose_name_plural = _("priority groups")

    def __str__(self) -> str:
        return self.localized("name")


def _all_currencies() -> list[str]:
    return list(Currency.values)


def _all_sectors() -> list[str]:
    return list(Sector.values)


def _all_regions() -> list[str]:
    return list(Region.values)


class CallQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)

    def visible_at(self, moment):
        """Open calls and those opening later; closed calls leave the public list."""
        return self.filter(closes_at__gt=moment)


class Call(Bilingual, models.Model):
    """A call for proposals: its rules are data, so other programmes reuse it without code changes."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    cycle_year = models.PositiveSmallIntegerField(
        _("cycle year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default=Track.INDIVIDUAL)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        default="1P1",
        help_text=_("Application references read PREFIX-YEAR-NUMBER, for example 1P1-2021-0042."),
    )
    cap = models.DecimalField(_("grant cap (USD)"), **MONEY, default=Decimal("4000.00"))
    match_ratio = models.DecimalField(
        _("match ratio"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("Programme dollars added for each dollar of the participant's own contribution."),
    )
    min_grant = models.DecimalField(_("minimum grant (USD)"), **MONEY, default=ZERO)
    budget_envelope = models.DecimalField(_("budget envelope (USD)"), **MONEY)
    in_kind_allowed = models.BooleanField(_("in-kind contribution allowed"), default=False)
    in_kind_max_share = models.DecimalField(
        _("maximum in-kind share"),
        max_digits=4,
        decimal_places=3,
        default=ZERO,
        help_text=_("Share of the own contribution that may be in kind, from 0 to 1."),
    )
    currencies = models.JSONField(_("accepted currencies"), default=_all_currencies)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    eligible_sectors = models.JSONField(_("eligible sectors"), default=_all_sectors)
    eligible_regions = models.JSONField(_("eligible regions"), default=_all_regions)
    priority_groups = models.ManyToManyField(
        PriorityGroup, blank=True, related_name="calls", verbose_name=_("priority groups")
    )
    retention_months = models.PositiveSmallIntegerField(
        _("personal data kept, months"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_(
            "Months after an application ends (not shortlisted, declined, withdrawn or closed) before its "
            "personal data are anonymised. Grants' financial records are kept."
        ),
    )
    two_person_rule = models.BooleanField(
        _("two-person rule"),
        default=True,
        help_text=_("The officer or chair who recommended an application cannot approve its grant."),
    )
    # After the award: procurement, retention and monitoring (procurement and monitoring read these).
    cost_tolerance = models.DecimalField(
        _("cost tolerance"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
        help_text=_(
            "Share by which an item may cost more than its approved amount without an approver's confirmation, "
            "from 0 to 1 (0.1 is 10 %)."
        ),
    )
    equipment_retention_months = models.PositiveSmallIntegerField(
        _("equipment kept in use, months"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Months after the handover during which the participant keeps the equipment in the business and uses "
            "it there. The award letter and the handover act state this period."
        ),
    )
    monitoring_months = models.JSONField(
        _("monitoring reports, months after the handover"),
        default=monitoring_schedule_default,
        validators=[validate_monitoring_months],
    )
    last_reference_number = models.PositiveIntegerField(default=0, editable=False)
    last_agreement_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"),
            models.CheckConstraint(condition=Q(cap__gt=0), name="call_cap_positive"),
            models.CheckConstraint(condition=Q(match_ratio__gt=0), name="call_ratio_positive"),
            models.CheckConstraint(
                condition=Q(min_grant__gte=0) & Q(min_grant__lte=F("cap")), name="call_min_grant_within_cap"
            ),
            models.CheckConstraint(condition=Q(budget_envelope__gte=0), name="call_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(in_kind_max_share__gte=0) & Q(in_kind_max_share__lte=1),
                name="call_in_kind_share_0_1",
            ),
            models.UniqueConstraint(fields=["reference_prefix", "cycle_year"], name="call_unique_reference_space"),
            models.CheckConstraint(
                condition=Q(cost_tolerance__gte=0) & Q(cost_tolerance__lte=1), name="call_cost_tolerance_0_1"
            ),
            models.CheckConstraint(condition=Q(equipment_retention_months__gte=1), name="call_retention_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:call_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def description(self) -> str:
        return self.localized("description")

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def sector_labels(self) -> list[str]:
        return [str(Sector(value).label) for value in self.eligible_sectors if value in Sector.values]

    def region_labels(self) -> list[str]:
        return [str(Region(value).label) for value in self.eligible_regions if value in Region.values]

    def covers_all_regions(self) -> bool:
        return set(Region.values) <= set(self.eligible_regions)


class ConsentNotice(Bilingual, models.Model):
    """A versioned privacy notice for one purpose. Published notices are never edited; a change is a new version."""

    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    version = models.CharField(_("version"), max_length=20)
    text_uk = models.TextField(_("text (Ukrainian)"))
    text_en = models.TextField(_("text (English)"))
    required = models.BooleanField(_("required to apply"), default=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["purpose", "-published_at"]
        verbose_name = _("consent notice")
        verbose_name_plural = _("consent notices")
        constraints = [models.UniqueConstraint(fields=["purpose", "version"], name="consent_notice_unique_version")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    @property
    def text(self) -> str:
        return self.localized("text")
