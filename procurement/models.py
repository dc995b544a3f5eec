"""After the award letter: the grant's equipment procured item by item, the own contribution proven line by
line, the 1+1 match recomputed on what was verified, and the handover act.

Field names here are read by the reports (reports/): keep them stable.

- `ProcurementItem`: one per approved equipment line of a grant (copied from `Grant.equipment`), with the
  supplier, purchase order, dates, serial numbers, the actual cost in its currency converted at a stored NBU
  rate, and the variance against the approved amount. `status` and `overrun_status` move only through
  procurement.services (history in `ItemStatusChange`).
- `ContributionProof`: one per own-contribution line of the grant's frozen plan version, with the evidence the
  participant uploads (`ContributionEvidence`) and the amount the officer verified or valued
  (history in `ProofStatusChange`).
- `ContributionMatch`: the match recomputed on the verified amounts, one row per grant, kept current by
  procurement.contributions.services; the database refuses a matched grant above the cap or above the
  ratio times the verified own contribution.
- `HandoverAct`: the issued act, in versions, with its PDF, SHA-256 and the signed scan.
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import has_role
from applications.enums import Currency
from applications.models import MONEY
from common.models import NotedChange
from grants.models import Grant
from plans.models import RATE, ContributionLine

from .enums import (
    ITEM_ACTORS,
    ITEM_MOVES,
    ITEM_NOTES,
    ActStatus,
    ItemCondition,
    ItemStatus,
    OverrunStatus,
    ProofStatus,
)

ZERO = Decimal("0.00")
# Differences of amounts are exact in cents on PostgreSQL; SQLite (the demo) computes them in binary floating
# point, so checks of a stored difference allow half a cent either way.
HALF_CENT = Decimal("0.005")


def _private_storage():
    return storages["private"]


class StatusChangeBase(NotedChange):
    """Who moved what, when, from where to where, and why (common.models.NotedChange). Append-only."""

    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def status_choices(self):
        """The TextChoices the statuses of this row come from."""
        raise NotImplementedError

    def _label(self, value: str) -> str:
        try:
            return str(self.status_choices()(value).label)
        except ValueError:
            return value or "—"

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


class ProcurementItem(models.Model):
    """One approved equipment line of a grant, from the quote to the handover."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="procurement_items")
    line_number = models.PositiveSmallIntegerField(_("line"))
    item = models.CharField(_("item"), max_length=200)
    purpose = models.CharField(_("what it is for"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    approved_usd = models.DecimalField(_("approved amount (USD)"), **MONEY)

    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.TO_ORDER, db_index=True
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    purchase_order_number = models.CharField(_("purchase order number"), max_length=60, blank=True)
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered to the programme on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    serial_numbers = models.JSONField(_("serial numbers"), default=list, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=ItemCondition.choices, default=ItemCondition.NEW
    )
    condition_note = models.CharField(_("remarks on the condition"), max_length=300, blank=True)

    actual_amount = models.DecimalField(_("actual cost"), **MONEY, null=True, blank=True)
    actual_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    actual_usd_per_unit = models.DecimalField(**RATE, null=True, blank=True)
    actual_rate_date = models.DateField(_("rate of"), null=True, blank=True)
    actual_usd = models.DecimalField(_("actual cost (USD)"), **MONEY, null=True, blank=True)
    variance_usd = models.DecimalField(_("variance (USD)"), **MONEY, null=True, blank=True)
    cost_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    overrun_status = models.CharField(
        _("overrun"), max_length=20, choices=OverrunStatus.choices, default=OverrunStatus.NONE, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["grant", "line_number"]
        verbose_name = _("procurement item")
        verbose_name_plural = _("procurement items")
        constraints = [
            models.UniqueConstraint(fields=["grant", "line_number"], name="procurement_item_one_per_line"),
            models.CheckConstraint(condition=Q(approved_usd__gte=0), name="procurement_item_approved_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="procurement_item_quantity_positive"),
            models.CheckConstraint(
                condition=(
                    Q(actual_amount__isnull=True, actual_usd__isnull=True, variance_usd__isnull=True)
                    | Q(
                        actual_amount__gte=0,
                        actual_usd__gte=0,
                        actual_usd_per_unit__isnull=False,
                        actual_rate_date__isnull=False,
                        variance_usd__gte=F("actual_usd") - F("approved_usd") - HALF_CENT,
                        variance_usd__lte=F("actual_usd") - F("approved_usd") + HALF_CENT,
                    )
                ),
                name="procurement_item_cost_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.agreement_number} #{self.line_number} {self.item}"

    @property
    def value_usd(self) -> Decimal:
        """What the item costs the grant: its actual cost once known, its approved amount until then."""
        return self.actual_usd if self.actual_usd is not None else self.approved_usd

    @property
    def is_live(self) -> bool:
        return self.status != ItemStatus.CANCELLED

    def available_moves(self, actor) -> list[str]:
        """The statuses this actor may move the item to now (procurement.services.item_move decides)."""
        return [
            status
            for status in ItemStatus.values
            if status in ITEM_MOVES[self.status] and has_role(actor, *ITEM_ACTORS[status])
        ]


class ItemStatusChange(StatusChangeBase):
    """A move of an item's `status` or of its `overrun_status` (`field` says which)."""

    STATUS = "status"
    OVERRUN = "overrun"

    item = models.ForeignKey(ProcurementItem, on_delete=models.CASCADE, related_name="status_changes")
    field = models.CharField(max_length=10, choices=[(STATUS, "status"), (OVERRUN, "overrun")], default=STATUS)

    NOTES = ITEM_NOTES

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("procurement item change")
        verbose_name_plural = _("procurement item changes")

    def __str__(self) -> str:
        return f"{self.item_id} {self.field}: {self.from_status} → {self.to_status}"

    def status_choices(self):
        return OverrunStatus if self.field == self.OVERRUN else ItemStatus


class ContributionProof(models.Model):
    """One own-contribution line of the grant's frozen plan version, proven by the participant and decided
    by an officer. `verified_usd` is what counts for the match: the amount verified (money) or the value
    the officer set (in kind); it is empty until verified and never more than the evidence supports."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="contribution_proofs")
    line = models.ForeignKey(ContributionLine, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10)
    description = models.CharField(_("description"), max_length=300)
    declared_usd = models.DecimalField(_("declared in the plan (USD)"), **MONEY)

    status = models.CharField(
        _("status"), max_length=20, choices=ProofStatus.choices, default=ProofStatus.AWAITING, db_index=True
    )
    verified_amount = models.DecimalField(_("verified amount or value"), **MONEY, null=True, blank=True)
    verified_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    verified_usd_per_unit = models.DecimalField(**RATE, null=True, blank=True)
    verified_rate_date = models.DateField(_("rate of"), null=True, blank=True)
    verified_usd = models.DecimalField(_("verified (USD)"), **MONEY, null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["grant", "line_id"]
        verbose_name = _("own contribution proof")
        verbose_name_plural = _("own contribution proofs")
        constraints = [
            models.UniqueConstraint(fields=["grant", "line"], name="contribution_proof_one_per_line"),
            models.CheckConstraint(
                condition=~Q(status=ProofStatus.VERIFIED)
                | Q(verified_usd__gte=0, verified_amount__gte=0, verified_rate_date__isnull=False),
                name="contribution_proof_verified_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProofStatus.REJECTED) | ~Q(rejection_reason=""),
                name="contribution_proof_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.agreement_number}: {self.description}"

    @property
    def counts_usd(self) -> Decimal:
        return self.verified_usd if self.status == ProofStatus.VERIFIED and self.verified_usd is not None else ZERO


def random_name(filename: str) -> str:
    """A stored file's name says nothing about its content or owner: random, with the original extension."""
    extension = PurePath(filename).suffix.lower()[:8]
    return f"{uuid.uuid4().hex}{extension}"


def _evidence_path(evidence: "ContributionEvidence", filename: str) -> str:
    return f"procurement/evidence/{timezone.now():%Y/%m}/{random_name(filename)}"


class ContributionEvidence(models.Model):
    """A receipt, invoice or photo the participant uploaded for one proof; checked by content, kept private."""

    proof = models.ForeignKey(ContributionProof, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), storage=_private_storage, upload_to=_evidence_path, max_length=255)
    content_type = models.CharField(max_length=50)
    original_name = models.CharField(max_length=200, blank=True)
    note = models.CharField(_("what this document shows"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("own contribution evidence")
        verbose_name_plural = _("own contribution evidence")

    def __str__(self) -> str:
        return self.original_name or self.file.name


class ProofStatusChange(StatusChangeBase):
    proof = models.ForeignKey(ContributionProof, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("own contribution proof change")
        verbose_name_plural = _("own contribution proof changes")

    def __str__(self) -> str:
        return f"{self.proof_id}: {self.from_status} → {self.to_status}"

    def status_choices(self):
        return ProofStatus


class ContributionMatch(models.Model):
    """The 1+1 match of one grant on the verified own contribution, recomputed after every proof decision
    and every change to the equipment's cost:

        grant_usd = min(equipment_usd, match_ratio × counted_usd, cap_usd)   (applications.matching)
        shortfall_usd = equipment_usd − grant_usd

    where `equipment_usd` is what the items still to be handed over cost (actual where known, approved
    otherwise) and `counted_usd` the verified cash plus the verified in kind the call counts. A shortfall
    blocks the handover until more contribution is proven or an approver reduces the equipment."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="contribution_match")
    cash_verified_usd = models.DecimalField(_("money verified (USD)"), **MONEY, default=ZERO)
    in_kind_verified_usd = models.DecimalField(_("in kind verified (USD)"), **MONEY, default=ZERO)
    counted_usd = models.DecimalField(_("own contribution counted (USD)"), **MONEY, default=ZERO)
    equipment_usd = models.DecimalField(_("equipment to hand over (USD)"), **MONEY, default=ZERO)
    match_ratio = models.DecimalField(_("match ratio"), max_digits=6, decimal_places=2)
    cap_usd = models.DecimalField(_("grant cap (USD)"), **MONEY)
    grant_usd = models.DecimalField(_("grant on the verified contribution (USD)"), **MONEY, default=ZERO)
    shortfall_usd = models.DecimalField(_("shortfall (USD)"), **MONEY, default=ZERO)
    lines_total = models.PositiveSmallIntegerField(default=0)
    lines_verified = models.PositiveSmallIntegerField(default=0)
    lines_open = models.PositiveSmallIntegerField(default=0)
    recomputed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("own contribution match")
        verbose_name_plural = _("own contribution matches")
        constraints = [
            models.CheckConstraint(condition=Q(grant_usd__gte=0), name="match_grant_not_negative"),
            models.CheckConstraint(condition=Q(grant_usd__lte=F("cap_usd")), name="match_grant_within_cap"),
            models.CheckConstraint(
                condition=Q(grant_usd__lte=F("match_ratio") * F("counted_usd")),
                name="match_grant_within_ratio_of_verified",
            ),
            models.CheckConstraint(condition=Q(grant_usd__lte=F("equipment_usd")), name="match_grant_within_equipment"),
            models.CheckConstraint(
                condition=Q(shortfall_usd__gte=F("equipment_usd") - F("grant_usd") - HALF_CENT)
                & Q(shortfall_usd__lte=F("equipment_usd") - F("grant_usd") + HALF_CENT),
                name="match_shortfall_is_the_rest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.grant_usd} / {self.equipment_usd}"

    @property
    def has_shortfall(self) -> bool:
        return self.shortfall_usd > 0


ACTS_FOLDER = "procurement/acts"


def _act_path(act: "HandoverAct", filename: str) -> str:
    return f"{ACTS_FOLDER}/{act.created_at:%Y}/{filename}"


def _signed_path(act: "HandoverAct", filename: str) -> str:
    return f"procurement/signed/{timezone.now():%Y}/{random_name(filename)}"


class HandoverAct(models.Model):
    """An issued handover act: one row per grant and version, its figures copied when it is issued.

    The row exists before its file (pending); a worker renders the PDF once, stores it with its SHA-256 and
    never rewrites it. A correction is a new version. The officer uploads the scan both parties signed;
    the first signed act hands the equipment over and moves the application to equipment delivered.
    The database refuses an act whose grant is above the cap or the ratio times the verified contribution.
    """

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="handover_acts")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    number = models.CharField(_("act number"), max_length=60)
    status = models.CharField(
        _("status"), max_length=20, choices=ActStatus.choices, default=ActStatus.PENDING, db_index=True
    )
    language = models.CharField(_("first language"), max_length=8, choices=settings.LANGUAGES)
    issued_on = models.DateField(_("issued on"))
    figures = models.JSONField(_("what the act states"), default=dict)
    grant_usd = models.DecimalField(_("equipment handed over (USD)"), **MONEY)
    own_counted_usd = models.DecimalField(_("own contribution verified and counted (USD)"), **MONEY)
    match_ratio = models.DecimalField(_("match ratio"), max_digits=6, decimal_places=2)
    cap_usd = models.DecimalField(_("grant cap (USD)"), **MONEY)

    file = models.FileField(_("file"), storage=_private_storage, upload_to=_act_path, blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)

    signed_scan = models.FileField(
        _("signed scan"), storage=_private_storage, upload_to=_signed_path, blank=True, max_length=255
    )
    signed_scan_type = models.CharField(max_length=50, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    signed_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_uploaded_at = models.DateTimeField(null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)

    class Meta:
        ordering = ["grant", "version"]
        verbose_name = _("handover act")
        verbose_name_plural = _("handover acts")
        constraints = [
            models.UniqueConstraint(fields=["grant", "version"], name="handover_act_unique_version"),
            models.CheckConstraint(
                condition=~Q(status=ActStatus.READY) | (~Q(file="") & ~Q(sha256="")), name="handover_act_ready_has_file"
            ),
            models.CheckConstraint(
                condition=Q(signed_scan="") | (Q(status=ActStatus.READY) & Q(handed_over_on__isnull=False)),
                name="handover_act_signed_when_ready",
            ),
            models.CheckConstraint(condition=Q(grant_usd__gt=0), name="handover_act_grant_positive"),
            models.CheckConstraint(condition=Q(grant_usd__lte=F("cap_usd")), name="handover_act_within_cap"),
            models.CheckConstraint(
                condition=Q(grant_usd__lte=F("match_ratio") * F("own_counted_usd")),
                name="handover_act_within_ratio_of_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == ActStatus.READY

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_scan)

    def filename(self) -> str:
        return f"handover-act-{self.number}-v{self.version}.pdf"
