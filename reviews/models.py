"""Rubrics, defense sessions, panels, conflict-of-interest declarations and score sheets."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import user_roles
from applications.enums import Region
from applications.models import Application, Bilingual, Call
from common.models import StatusChange
from common.moves import CHAIR, OWNER

from .enums import ACTIVE_SLOTS, SHEET_MOVES, SLOT_MOVES, SheetAction, SheetStatus, SlotStatus

SCORE = {"max_digits": 5, "decimal_places": 2}


class Rubric(models.Model):
    """How a call's plans are scored, and the call's rules for panels and the ranking."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="rubric")
    min_independent_scores = models.PositiveSmallIntegerField(
        _("independent scores needed per application"), default=3, validators=[MinValueValidator(1)]
    )
    calibrated = models.BooleanField(_("rank by calibrated scores"), default=False)
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        **SCORE,
        default=Decimal("2.00"),
        help_text=_("Reviewers' means further apart than this are flagged for the chair."),
    )
    min_score = models.DecimalField(_("minimum score to be recommended"), **SCORE, default=Decimal("6.00"))

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(self.call)


class Criterion(Bilingual, models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    guidance_uk = models.TextField(_("guidance (Ukrainian)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    anchor_low_uk = models.CharField(_("low score means (Ukrainian)"), max_length=300, blank=True)
    anchor_low_en = models.CharField(_("low score means (English)"), max_length=300, blank=True)
    anchor_mid_uk = models.CharField(_("middle score means (Ukrainian)"), max_length=300, blank=True)
    anchor_mid_en = models.CharField(_("middle score means (English)"), max_length=300, blank=True)
    anchor_high_uk = models.CharField(_("high score means (Ukrainian)"), max_length=300, blank=True)
    anchor_high_en = models.CharField(_("high score means (English)"), max_length=300, blank=True)
    allows_na = models.BooleanField(_("may be marked not applicable"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="criterion_unique_key"),
            models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_not_empty"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def guidance(self) -> str:
        return self.localized("guidance")


class DefenseSession(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="defense_sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    region = models.CharField(_("oblast"), max_length=30, choices=Region.choices, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length, minutes"), default=30, validators=[MinValueValidator(5)]
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10, validators=[MinValueValidator(1)])
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_sessions", verbose_name=_("chair")
    )
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="PanelMember", related_name="panels")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("defense session")
        verbose_name_plural = _("defense sessions")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H:%M}"


class PanelMember(models.Model):
    session = models.ForeignKey(DefenseSession, on_delete=models.CASCADE, related_name="members")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["session", "reviewer"], name="panel_member_once")]

    def __str__(self) -> str:
        return f"{self.reviewer} @ {self.session}"


class DefenseSlotQuerySet(models.QuerySet):
    def chaired_by(self, user) -> "DefenseSlotQuerySet":
        """Scheduled or defended slots in sessions `user` chairs: where they chair the application's panel."""
        return self.filter(status__in=ACTIVE_SLOTS, session__chair=user, session__cancelled_at__isnull=True)


class DefenseSlot(models.Model):
    """An application's turn in a session. Only one scheduled slot per application at a time."""

    session = models.ForeignKey(DefenseSession, on_delete=models.PROTECT, related_name="slots")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="defense_slots")
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(max_length=20, choices=SlotStatus.choices, default=SlotStatus.SCHEDULED)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = DefenseSlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("defense slot")
        verbose_name_plural = _("defense slots")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="scheduled"), name="slot_one_scheduled_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.starts_at:%d.%m %H:%M}"

    def move_capacities(self, actor) -> frozenset[str]:
        """The actor's roles, and CHAIR for the chair of the slot's session (`SLOT_MOVES.actors`)."""
        return user_roles(actor) | ({CHAIR} if self.session.chair_id == actor.pk else set())

    def available_moves(self, actor) -> list[str]:
        """The statuses `actor` may move this slot to now (reviews.sessions.services.slot_move)."""
        return SLOT_MOVES.available(self.status, self.move_capacities(actor))


class DefenseSlotStatusChange(StatusChange):
    """One row per move of a slot (cancelled, missed, defended), written by `slot_move`."""

    slot = models.ForeignKey(DefenseSlot, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=SlotStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=SlotStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("defense slot status change")
        verbose_name_plural = _("defense slot status changes")


class ConflictDeclaration(models.Model):
    """A reviewer's declaration about one application. Rows are never edited: a change is a new row,
    and the newest row is the one in force. A declared conflict is final for the reviewer: only a
    programme officer clears it (`cleared_by`, with the officer's reason), in a row of its own."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflict_declarations")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflicted = models.BooleanField(_("I have a conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
        help_text=_("The programme officer who cleared the reviewer's declared conflict of interest."),
    )

    class Meta:
        ordering = ["declared_at", "pk"]
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [
            models.CheckConstraint(
                condition=Q(conflicted=False) | ~Q(reason=""), name="conflict_declaration_needs_reason"
            ),
            models.CheckConstraint(
                condition=Q(cleared_by__isnull=True) | (Q(conflicted=False) & ~Q(reason="")),
                name="conflict_clearing_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.application} ({'conflict' if self.conflicted else 'none'})"


class ScoreSheet(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="score_sheets")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets")
    status = models.CharField(max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    comment = models.TextField(_("overall comment"), blank=True)
    weighted_mean = models.DecimalField(**SCORE, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="score_sheet_once")]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.application}"

    def move_capacities(self, actor, *, chairs: bool | None = None) -> frozenset[str]:
        """The actor's roles, OWNER for the sheet's reviewer, and CHAIR for a chair of a session where the
        application is defended and who declared no conflict on it (`chairs`, when the caller knows it;
        else two queries, only when a move out of this status needs it)."""
        capacities = set(user_roles(actor))
        if actor.pk == self.reviewer_id:
            capacities.add(OWNER)
        needs_chair = any(CHAIR in SHEET_MOVES.actors[to] for to in SHEET_MOVES.moves[self.status])
        if chairs is None and needs_chair:
            # A chair with a conflict of interest on the application does not chair its sheets.
            chairs = DefenseSlot.objects.chaired_by(actor).filter(
                application_id=self.application_id
            ).exists() and not self.viewer_conflicted(actor)
        if chairs:
            capacities.add(CHAIR)
        return frozenset(capacities)

    def viewer_conflicted(self, actor) -> bool:
        """Whether `actor`'s declaration in force on this sheet's application says conflict of interest."""
        latest = (
            ConflictDeclaration.objects.filter(application_id=self.application_id, reviewer_id=actor.pk)
            .order_by("-declared_at", "-pk")
            .values_list("conflicted", flat=True)
            .first()
        )
        return bool(latest)

    def available_moves(self, actor, *, chairs: bool | None = None) -> list[str]:
        """The statuses `actor` may move this sheet to now (reviews.scoring.services.score_sheet_move)."""
        return SHEET_MOVES.available(self.status, self.move_capacities(actor, chairs=chairs))


class CriterionScore(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(**SCORE, null=True, blank=True, help_text=_("Empty means not applicable."))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="criterion_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ScoreSheetEvent(models.Model):
    """The history of a sheet's moves, written by `score_sheet_move`: submissions and the chair reopening
    it (with the reason). `action` names the move; `from_status`/`to_status` say it as statuses."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=SheetAction.choices)
    from_status = models.CharField(max_length=20, choices=SheetStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SheetStatus.choices, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.sheet} {self.action}"


class ConfirmationRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    OFFICER = "officer", _("Programme officer")


class RankingConfirmation(models.Model):
    """A chair's or an officer's confirmation of a call's ranking, with the ranked rows they saw.

    Rows are never edited: confirming again is a new row, and the newest row of each role is the one
    in force. It counts only while its snapshot equals the current ranking (reviews.ranking.services).
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ranking_confirmations")
    role = models.CharField(_("confirmed as"), max_length=20, choices=ConfirmationRole.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    snapshot = models.JSONField(_("ranked rows"), default=list)
    applied_at = models.DateTimeField(
        _("statuses moved at"),
        null=True,
        blank=True,
        help_text=_("Set on the confirmation that completed the pair and moved the applications."),
    )

    class Meta:
        ordering = ["confirmed_at", "pk"]
        verbose_name = _("ranking confirmation")
        verbose_name_plural = _("ranking confirmations")

    def __str__(self) -> str:
        return f"{self.call}: {self.get_role_display()} {self.confirmed_at:%d.%m.%Y %H:%M}"
