"""Applications and what belongs to them: equipment, consents, status changes, messages, the priority index."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import user_roles
from common.fields import EncryptedCharField, EncryptedDateField, EncryptedJSONField, EncryptedTextField
from common.moves import OWNER
from common.uploads import RandomName

from ..enums import (
    APPLICATION_MOVES,
    NOTE_SHOWN_TO_APPLICANT,
    ApplicationStatus,
    Country,
    Currency,
    Gender,
    Region,
    RejectionReason,
    Sector,
)
from ..notes import note_render
from .calls import MONEY, ZERO, Call, ConsentNotice, PriorityGroup, _private_storage

SUBMITTED = ~Q(status=ApplicationStatus.DRAFT)


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(SUBMITTED)


class Application(models.Model):
    """An expression of interest in one call by one applicant."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    # Empty only once the application is anonymised: it is no longer anyone's (applications.privacy).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
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
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # Derived from the date of birth on every save, in clear: reports group by age band (not identifying alone).
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)

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
    migration_experience = EncryptedTextField(_("work experience abroad"), blank=True)
    migration_evidence = models.FileField(
        _("evidence of work abroad"),
        storage=_private_storage,
        upload_to=RandomName("applications/evidence"),
        blank=True,
        max_length=255,
    )
    migration_evidence_type = models.CharField(max_length=50, blank=True, editable=False)

    region = models.CharField(_("oblast"), max_length=30, choices=Region.choices, blank=True, db_index=True)
    hromada = models.CharField(_("hromada"), max_length=150, blank=True)
    settlement = EncryptedCharField(_("town or village"), max_length=150, blank=True)

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True, db_index=True)
    idea_title = models.CharField(_("business idea in a few words"), max_length=200, blank=True)
    idea_description = models.TextField(_("business idea"), blank=True)

    own_contribution_amount = models.DecimalField(_("planned own contribution"), **MONEY, null=True, blank=True)
    own_contribution_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    # The codes of the priority groups the applicant declared (some reveal special-category data): encrypted,
    # and found by the queue's filter through ApplicationPriorityIndex.
    priority_answers = EncryptedJSONField(_("priority groups"), default=list, blank=True)

    officer_checks = models.JSONField(_("officer checks"), default=dict, blank=True)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        # The screening queue: one index per order it offers, within a call, the pk breaking ties, over the
        # submitted applications only (the queue's rows), so that a page's ids come from the index alone
        # (common.pagination); the status filter and the counts by status per call. The search's trigram
        # indexes are PostgreSQL's only (migration 0012).
        indexes = [
            models.Index(fields=["call", *order, "id"], name=f"application_queue_{name}", condition=SUBMITTED)
            for name, order in (("submitted", ["submitted_at"]), ("last_name", ["last_name"]),
                                ("region", ["region"]), ("reference", ["reference"]))
        ] + [models.Index(fields=["call", "status", "submitted_at"], name="application_call_status")]  # fmt: skip
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

    def save(self, *args, **kwargs):
        if self.anonymised_at is None:  # anonymising removes the date and keeps the year, for reports
            self.birth_year = self.date_of_birth.year if self.date_of_birth else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "date_of_birth" in update_fields:
            kwargs["update_fields"] = {*update_fields, "birth_year"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("applications:application_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    def declared_priority_groups(self, groups=None) -> list[PriorityGroup]:
        """The priority groups the applicant declared, in the groups' order. Pass every PriorityGroup
        (`groups`) when listing many applications, so that the list costs one query, not one per row."""
        codes = set(self.priority_answers or [])
        candidates = PriorityGroup.objects.all() if groups is None else groups
        return [group for group in candidates if group.code in codes]

    def move_capacities(self, actor) -> frozenset[str]:
        """The actor's roles, and OWNER for the applicant: what `APPLICATION_MOVES.actors` names."""
        return user_roles(actor) | ({OWNER} if actor.pk == self.applicant_id else set())

    def available_moves(self, actor) -> list[str]:
        """The statuses `actor` may move this application to now (applications.services.application_move)."""
        return APPLICATION_MOVES.available(self.status, self.move_capacities(actor))

    def country_labels(self) -> list[str]:
        return [str(Country(code).label) for code in self.countries_abroad if code in Country.values]

    def equipment_total_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for item in self.equipment.all():
            totals[item.currency] = totals.get(item.currency, ZERO) + item.total
        return totals


PRIORITY_INDEX = "priority_group"


class ApplicationPriorityIndex(models.Model):
    """A keyed blind index of one declared priority group (common.crypto.blind_index), so that the queue
    filters by group while the group itself is stored only encrypted (Application.priority_answers)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="priority_index")
    token = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("priority group index")
        verbose_name_plural = _("priority group indexes")
        constraints = [models.UniqueConstraint(fields=["application", "token"], name="priority_index_unique")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.token[:8]}…"


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
    def note_visible_to_applicant(self) -> bool:
        """Whether the applicant reads this note (emailed or on their page), or it is internal to the staff."""
        return self.to_status in NOTE_SHOWN_TO_APPLICANT

    @property
    def note_text(self) -> str:
        """The note in the reader's language: a person's words as written, a system note worded now."""
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
