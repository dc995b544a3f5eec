from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .enums import ApplicationStatus, Country, Currency, Gender, Region, RejectionReason, Sector, Track

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
    two_person_rule = models.BooleanField(
        _("two-person rule"),
        default=True,
        help_text=_("The officer or chair who recommended an application cannot approve its grant."),
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


class ConsentPurpose(models.TextChoices):
    SELECTION = "selection", _("Processing my application and selecting participants")
    MONITORING = "monitoring", _("Contacting me for monitoring after the grant")
    DONOR_REPORTING = "donor_reporting", _("Pseudonymised data in reports to the donor")


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


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=ApplicationStatus.DRAFT)


class Application(models.Model):
    """An expression of interest in one call by one applicant."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="uk")

    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    countries_abroad = models.JSONField(_("countries worked in"), default=list, blank=True)
    years_abroad = models.DecimalField(
        _("years abroad"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    still_abroad = models.BooleanField(_("still abroad"), null=True, blank=True)
    return_date = models.DateField(_("return date"), null=True, blank=True)
    migration_experience = models.TextField(_("work experience abroad"), blank=True)
    migration_evidence = models.FileField(
        _("evidence of work abroad"),
        storage=_private_storage,
        upload_to="applications/evidence/%Y/%m/",
        blank=True,
        max_length=255,
    )
    migration_evidence_type = models.CharField(max_length=50, blank=True, editable=False)

    region = models.CharField(_("oblast"), max_length=30, choices=Region.choices, blank=True, db_index=True)
    hromada = models.CharField(_("hromada"), max_length=150, blank=True)
    settlement = models.CharField(_("town or village"), max_length=150, blank=True)

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True, db_index=True)
    idea_title = models.CharField(_("business idea in a few words"), max_length=200, blank=True)
    idea_description = models.TextField(_("business idea"), blank=True)

    own_contribution_amount = models.DecimalField(_("planned own contribution"), **MONEY, null=True, blank=True)
    own_contribution_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    priority_groups = models.ManyToManyField(
        PriorityGroup, blank=True, related_name="applications", verbose_name=_("priority groups")
    )

    officer_checks = models.JSONField(_("officer checks"), default=dict, blank=True)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="application_one_per_applicant_per_call"),
            models.CheckConstraint(
                condition=Q(own_contribution_amount__isnull=True) | Q(own_contribution_amount__gte=0),
                name="application_contribution_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
                | Q(reference__isnull=False),
                name="application_reference_once_submitted",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("Draft application #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("applications:application_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    def country_labels(self) -> list[str]:
        return [str(Country(code).label) for code in self.countries_abroad if code in Country.values]

    def equipment_total_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for item in self.equipment.all():
            totals[item.currency] = totals.get(item.currency, ZERO) + item.total
        return totals


class EquipmentItem(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("equipment"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    estimated_unit_price = models.DecimalField(
        _("estimated unit price"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        constraints = [
            models.CheckConstraint(condition=Q(estimated_unit_price__gt=0), name="equipment_price_positive"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="equipment_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> Decimal:
        return self.estimated_unit_price * self.quantity


class Consent(models.Model):
    """What a person agreed to, in which version of the notice, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consents", null=True, blank=True
    )
    notice = models.ForeignKey(ConsentNotice, on_delete=models.PROTECT, related_name="consents")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user} — {self.notice}"


class ApplicationStatusChange(models.Model):
    """One row per move of an application: who moved it, when, from where to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=30, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)
    # A note the system writes: a code of applications.notes.NOTES and its parameters, worded when read.
    note_code = models.CharField(max_length=40, blank=True)
    note_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"

    @property
    def note_text(self) -> str:
        """The note in the reader's language: a person's words as written, a system note worded now."""
        from .notes import note_render

        return note_render(self.note_code, self.note_params) if self.note_code else self.note


class Message(models.Model):
    """A message from the programme to the applicant, shown on their dashboard."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:50]


class AccessLogEntry(models.Model):
    """Every view or download of an applicant's personal data by someone other than the applicant."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="access_log")
    action = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.application_id}"
