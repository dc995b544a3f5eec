"""Every write to own-contribution proofs, and the match recomputed on what was verified.

The participant uploads receipts, invoices or photos per own-contribution line of the grant's frozen plan
version; each file goes through common.uploads.clean_upload (type by content, images re-encoded without EXIF,
active PDFs refused) and is kept in private storage. An officer verifies a line (the amount the evidence shows,
in its currency, converted at the NBU rate of its date; for an in-kind line, the value the officer sets), or
rejects it with a reason. After every decision `match_recompute` applies the matching engine to the verified
amounts (procurement.contributions.match) and stores the result on the grant's `ContributionMatch`.

`proof_move` is the only code that assigns `ContributionProof.status`; each move writes a `ProofStatusChange`."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import has_role
from applications.exceptions import ActorNotAllowed
from common.uploads import DOCUMENTS, clean_upload
from grants.models import Grant
from plans.enums import ContributionKind
from rates.exceptions import RateError
from rates.services import convert_to_usd

from ..access import actor_may
from ..enums import ITEM_LIVE, PROOF_ACTORS, PROOF_MOVES, PROOF_OPEN_TO_EVIDENCE, ProofStatus
from ..exceptions import InvalidMove, ProcurementError
from ..models import ContributionEvidence, ContributionMatch, ContributionProof, ProofStatusChange
from .match import VerifiedMatch, verified_match

ZERO = Decimal("0.00")
# Files one line may hold: receipts for a large purchase run to a few pages, never dozens.
MAX_EVIDENCE_PER_LINE = 10


@transaction.atomic
def proof_move(proof: ContributionProof, to: str, *, actor, note: str = "") -> ProofStatusChange:
    """Move a proof. The only code that assigns `ContributionProof.status`; recomputes the match."""
    proof = (
        ContributionProof.objects.select_for_update(of=("self",)).select_related("grant__application").get(pk=proof.pk)
    )
    if to not in PROOF_MOVES[proof.status]:
        raise InvalidMove(ProofStatus, proof.status, to)
    if not actor_may(actor, owner_id=proof.grant.application.applicant_id, allowed=PROOF_ACTORS.get(to, frozenset())):
        raise ActorNotAllowed(_("You may not make this change."))
    change = ProofStatusChange.objects.create(
        proof=proof, from_status=proof.status, to_status=to, actor=actor, note=note
    )
    ContributionProof.objects.filter(pk=proof.pk).update(status=to, updated_at=timezone.now())
    match_recompute(grant=proof.grant)
    return change


@transaction.atomic
def evidence_add(*, proof: ContributionProof, actor, upload, note: str = "") -> ContributionEvidence:
    """The participant adds a receipt, invoice or photo to one line; the line goes to the officer."""
    proof = (
        ContributionProof.objects.select_for_update(of=("self",)).select_related("grant__application").get(pk=proof.pk)
    )
    if actor.pk != proof.grant.application.applicant_id:
        raise ActorNotAllowed(_("Only the participant proves their own contribution."))
    if proof.status not in PROOF_OPEN_TO_EVIDENCE:
        raise ProcurementError(
            _("This line is already verified; the programme officer will tell you if more is needed.")
        )
    if proof.evidence.count() >= MAX_EVIDENCE_PER_LINE:
        raise ProcurementError(
            _("A line holds at most %(count)s files. Combine pages into one PDF.") % {"count": MAX_EVIDENCE_PER_LINE}
        )
    original_name = (upload.name or "")[-200:]
    try:
        upload = clean_upload(upload, DOCUMENTS)
    except ValidationError as error:
        raise ProcurementError(" ".join(error.messages)) from error
    evidence = ContributionEvidence(
        proof=proof,
        content_type=upload.content_type,
        original_name=original_name,
        note=note.strip()[:300],
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    if proof.status != ProofStatus.SUBMITTED:
        proof_move(proof, ProofStatus.SUBMITTED, actor=actor, note=note)
    return evidence


def _ensure_officer_may(actor, proof: ContributionProof, to: str) -> None:
    if not has_role(actor, *PROOF_ACTORS[to]):
        raise ActorNotAllowed(_("Only programme officers verify the own contribution."))


@transaction.atomic
def proof_verify(
    *, proof: ContributionProof, actor, amount: Decimal, currency: str, on: date, note: str = ""
) -> ContributionProof:
    """Verify a line at the amount the evidence shows (money) or the value the officer sets (in kind),
    converted to USD at the NBU rate of `on`, and stored with the rate and its date."""
    _ensure_officer_may(actor, proof, ProofStatus.VERIFIED)
    proof = ContributionProof.objects.select_for_update().get(pk=proof.pk)
    if amount is None or amount < 0:
        raise ProcurementError(_("The verified amount cannot be negative."))
    try:
        conversion = convert_to_usd(amount=amount, currency=currency, on=on)
    except RateError as error:
        raise ProcurementError(error.message) from error
    proof.verified_amount = amount
    proof.verified_currency = currency
    proof.verified_usd_per_unit = conversion.usd_per_unit
    proof.verified_rate_date = conversion.rate_date
    proof.verified_usd = conversion.usd
    proof.rejection_reason = ""
    proof.reviewed_by = actor
    proof.reviewed_at = timezone.now()
    proof.save(
        update_fields=[
            "verified_amount",
            "verified_currency",
            "verified_usd_per_unit",
            "verified_rate_date",
            "verified_usd",
            "rejection_reason",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
    )
    if proof.status == ProofStatus.VERIFIED:  # a corrected amount: no move, but the match changes
        match_recompute(grant=proof.grant)
    else:
        proof_move(proof, ProofStatus.VERIFIED, actor=actor, note=note)
    proof.refresh_from_db()
    return proof


@transaction.atomic
def proof_reject(*, proof: ContributionProof, actor, reason: str) -> ContributionProof:
    _ensure_officer_may(actor, proof, ProofStatus.REJECTED)
    if not reason.strip():
        raise ProcurementError(_("Say why the evidence is rejected, so the participant knows what to bring."))
    proof = ContributionProof.objects.select_for_update().get(pk=proof.pk)
    if ProofStatus.REJECTED not in PROOF_MOVES[proof.status]:
        raise InvalidMove(ProofStatus, proof.status, ProofStatus.REJECTED)
    # Three steps, each of which satisfies the constraints: a rejected line has its reason
    # (contribution_proof_rejected_has_reason), a verified one keeps its amount until it is rejected
    # (contribution_proof_verified_has_amount). A rejected line counts nothing, so the match proof_move
    # recomputes does not depend on the amounts cleared after it.
    ContributionProof.objects.filter(pk=proof.pk).update(
        rejection_reason=reason.strip(), reviewed_by=actor, reviewed_at=timezone.now()
    )
    proof_move(proof, ProofStatus.REJECTED, actor=actor, note=reason.strip())
    ContributionProof.objects.filter(pk=proof.pk).update(
        verified_amount=None,
        verified_currency="",
        verified_usd_per_unit=None,
        verified_rate_date=None,
        verified_usd=None,
    )
    proof.refresh_from_db()
    return proof


def compute_match(grant: Grant, proofs, items) -> VerifiedMatch:
    """The match of these proofs and items (already loaded) under the grant's call."""
    call = grant.call
    cash = sum((p.counts_usd for p in proofs if p.kind == ContributionKind.CASH), ZERO)
    in_kind = sum((p.counts_usd for p in proofs if p.kind == ContributionKind.IN_KIND), ZERO)
    equipment = sum((item.value_usd for item in items if item.status in ITEM_LIVE), ZERO)
    return verified_match(
        cash=cash,
        in_kind=in_kind,
        equipment_cost=equipment,
        ratio=grant.match_ratio,
        cap=grant.cap_usd,
        in_kind_allowed=call.in_kind_allowed,
        in_kind_max_share=call.in_kind_max_share,
    )


def match_recompute(*, grant: Grant) -> ContributionMatch:
    """Apply the matching engine to the verified amounts and store the result on the grant's match row."""
    grant = Grant.objects.select_related("call").get(pk=grant.pk)
    proofs = list(grant.contribution_proofs.all())
    match = compute_match(grant, proofs, list(grant.procurement_items.all()))
    row, _ = ContributionMatch.objects.update_or_create(
        grant=grant,
        defaults={
            "cash_verified_usd": match.cash_usd,
            "in_kind_verified_usd": match.in_kind_usd,
            "counted_usd": match.counted_usd,
            "equipment_usd": match.equipment_usd,
            "match_ratio": match.ratio,
            "cap_usd": match.cap,
            "grant_usd": match.grant_usd,
            "shortfall_usd": match.shortfall_usd,
            "lines_total": len(proofs),
            "lines_verified": sum(1 for p in proofs if p.status == ProofStatus.VERIFIED),
            "lines_open": sum(1 for p in proofs if p.status in (ProofStatus.AWAITING, ProofStatus.SUBMITTED)),
            "recomputed_at": timezone.now(),
        },
    )
    return row
