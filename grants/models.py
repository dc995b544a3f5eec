"""Grants approved within a call's budget, the decisions that led to them, and the letters they issue."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import user_roles
from applications.models import MONEY, Application, Call
from common.models import StatusChange
from common.moves import SYSTEM
from plans.models import PlanVersion

from .enums import LETTER_MOVES, LETTER_NOTES, DecisionOutcome, DeclineReason, LetterKind, LetterStatus


class Grant(models.Model):
    """An approved grant, with the figures it stands on copied from the frozen plan version at approval.

    The figures never change afterwards: the letter, the budget and the donor's reports read them here.
    `sequence` numbers a call's grants 1, 2, 3... under the call's row lock, so agreement numbers are
    unique and gapless per call even when approvers work at the same time.
    """

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="grants")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    agreement_number = models.CharField(_("agreement number"), max_length=40, unique=True)

    grant_usd = models.DecimalField(_("grant (USD)"), **MONEY)
    equipment_usd = models.DecimalField(_("equipment (USD)"), **MONEY)
    own_cash_usd = models.DecimalField(_("own contribution in money (USD)"), **MONEY)
    own_in_kind_usd = models.DecimalField(_("own contribution in kind (USD)"), **MONEY)
    own_counted_usd = models.DecimalField(_("own contribution counted (USD)"), **MONEY)
    match_ratio = models.DecimalField(_("match ratio"), max_digits=6, decimal_places=2)
    cap_usd = models.DecimalField(_("grant cap (USD)"), **MONEY)
    rates_date = models.DateField(_("rates of"), null=True, blank=True)
    equipment = models.JSONField(_("equipment to procure"), default=list)
    contributions = models.JSONField(_("own contribution lines"), default=list)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)

    class Meta:
        ordering = ["call", "sequence"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(fields=["call", "sequence"], name="grant_sequence_unique_per_call"),
            models.CheckConstraint(condition=Q(grant_usd__gt=0), name="grant_positive"),
            models.CheckConstraint(condition=Q(grant_usd__lte=F("cap_usd")), name="grant_within_cap"),
            models.CheckConstraint(
                condition=Q(grant_usd__lte=F("match_ratio") * F("own_counted_usd")),
                name="grant_within_ratio_of_contribution",
            ),
            models.CheckConstraint(condition=Q(grant_usd__lte=F("equipment_usd")), name="grant_within_equipment"),
        ]

    def __str__(self) -> str:
        return self.agreement_number


class Decision(models.Model):
    """What an approver (or an officer promoting from the waiting list) decided, and why. Append-only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_outcome_display()}"


class LetterBatch(models.Model):
    """One "generate the letters of this call" request; its progress is counted from its letters."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letter_batches")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    def __str__(self) -> str:
        return f"{self.call} {self.get_kind_display()} {self.created_at:%d.%m.%Y %H:%M}"


LETTERS_FOLDER = "letters"


def _letter_path(letter: "Letter", filename: str) -> str:
    return f"{LETTERS_FOLDER}/{letter.created_at:%Y}/{filename}"


class Letter(models.Model):
    """An issued award or decline letter: one row per application, kind and version.

    The row exists before its file (status pending); rendering stores the file once, with its SHA-256,
    and never rewrites it. A correction is a new version; earlier versions stay readable. `figures` is
    what the letter states (grants.letters.documents.LetterFigures as JSON), copied when the row is created.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    batch = models.ForeignKey(LetterBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters")
    status = models.CharField(
        _("status"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.PENDING, db_index=True
    )
    language = models.CharField(_("first language"), max_length=8, choices=settings.LANGUAGES)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    figures = models.JSONField(_("what the letter states"), default=dict)
    file = models.FileField(_("file"), upload_to=_letter_path, blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "kind", "version"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "version"], name="letter_unique_version"),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.READY) | (~Q(file="") & ~Q(sha256="")),
                name="letter_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(kind=LetterKind.AWARD) | Q(grant__isnull=False), name="letter_award_has_grant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.application} v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == LetterStatus.READY

    def move_capacities(self, actor) -> frozenset[str]:
        """The actor's roles; SYSTEM when no one acts (actor None: a letter task)."""
        return frozenset({SYSTEM}) if actor is None else user_roles(actor)

    def available_moves(self, actor) -> list[str]:
        """The statuses `actor` may move this letter to now (grants.letters.rendering.letter_move)."""
        return LETTER_MOVES.available(self.status, self.move_capacities(actor))

    def filename(self) -> str:
        number = self.figures.get("agreement_number") or self.figures.get("reference") or f"{self.application_id}"
        return f"{self.kind}-letter-{number}-v{self.version}.pdf"


class LetterStatusChange(StatusChange):
    """One row per move of a letter, written by `grants.letters.rendering.letter_move`/`letters_move`. The
    actor is None where a letter task moved it (stored, failed), and the note then names the task."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=LetterStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=LetterStatus.choices)

    NOTES = LETTER_NOTES

    class Meta(StatusChange.Meta):
        verbose_name = _("letter status change")
        verbose_name_plural = _("letter status changes")
