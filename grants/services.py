"""Every write about grant decisions and letters.

**Budget.** Approving reserves the grant against the call's envelope: the call's row is locked first
(`select_for_update`), then the sum of the call's grants is read and the new grant created in the same
transaction, so two approvers working at once are served one after the other and the second sees the
first's grant. The sum never exceeds the envelope; a grant that does not fit is refused with the
figures. Grants of withdrawn applications no longer count.

**Agreement numbers** come from the call's counter under the same lock: `UA-<prefix>-<year>-<NNNN>`,
1, 2, 3... per call, with no gaps and no duplicates.

**Two-person rule.** Where the call asks for it, nobody who recommended an application may approve it:
the officer and the chair who confirmed a ranking that recommended or waitlisted it, whoever moved it
there, and an officer who promoted it from the waiting list.

**Letters** are rows first (pending), files later (grants.tasks): issuing is idempotent per application,
kind and version (issuing again returns the letter there is); an explicit regenerate makes the next
version with a new verification code and keeps the earlier ones.
"""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed, ApplicationError
from applications.matching import format_usd
from applications.models import Application, ApplicationStatusChange, Call
from applications.services import application_move
from common.site import absolute_url
from plans.models import PlanVersion
from plans.selectors import latest_submitted_version
from reviews.models import RankingConfirmation

from .compose import render_letters
from .documents import EquipmentItem, LetterFigures
from .enums import DecisionOutcome, DeclineReason, LetterKind, LetterStatus
from .models import LETTERS_FOLDER, Decision, Grant, Letter, LetterBatch

S = ApplicationStatus
DECIDABLE = frozenset({S.RECOMMENDED, S.WAITLISTED})
# Applications whose grant counts against the budget: every status a grant can be in but withdrawn.
GRANTED = frozenset({S.APPROVED, S.AWARDED, S.EQUIPMENT_DELIVERED, S.CLOSED})
LETTER_STATUSES = {LetterKind.AWARD: (S.APPROVED, S.AWARDED), LetterKind.DECLINE: (S.DECLINED,)}
# A letter is tried this many times (the first run and the retries) before it shows as failed.
LETTER_ATTEMPTS = 4
ZERO = Decimal("0.00")


class DecisionError(ApplicationError):
    """A decision the programme's rules refuse; `message` says why, for the user."""


class BudgetExceeded(DecisionError):
    pass


def call_committed(call: Call) -> Decimal:
    """The sum of the call's grants that still count against its envelope."""
    total = Grant.objects.filter(call=call, application__status__in=GRANTED).aggregate(total=Sum("grant_usd"))
    return total["total"] or ZERO


def recommenders_of(call: Call, applications: list[Application]) -> dict[int, set[int]]:
    """Application id → ids of the users who recommended it (see the two-person rule above), for any
    number of applications of one call in three queries."""
    references = {application.reference: application.pk for application in applications if application.reference}
    ids = [application.pk for application in applications]
    people: dict[int, set[int]] = defaultdict(set)
    for application_id, actor_id in ApplicationStatusChange.objects.filter(
        application_id__in=ids, to_status__in=[S.RECOMMENDED, S.WAITLISTED]
    ).values_list("application_id", "actor_id"):
        people[application_id].add(actor_id)
    for confirmed_by, snapshot in RankingConfirmation.objects.filter(call=call).values_list(
        "confirmed_by_id", "snapshot"
    ):
        for row in snapshot:
            application_id = references.get(row.get("reference"))
            if application_id is not None and row.get("outcome") in (S.RECOMMENDED, S.WAITLISTED):
                people[application_id].add(confirmed_by)
    for application_id, decided_by in Decision.objects.filter(
        application_id__in=ids, outcome=DecisionOutcome.PROMOTED
    ).values_list("application_id", "decided_by_id"):
        people[application_id].add(decided_by)
    for found in people.values():
        found.discard(None)
    return people


def recommenders(application: Application) -> set[int]:
    return recommenders_of(application.call, [application]).get(application.pk, set())


def confirmed_positions(call: Call) -> dict[str, int]:
    """Reference → position in the ranking whose confirmation moved the applications (the newest applied)."""
    confirmation = (
        RankingConfirmation.objects.filter(call=call, applied_at__isnull=False).order_by("-applied_at", "-pk").first()
    )
    if confirmation is None:
        return {}
    return {row.get("reference"): position for position, row in enumerate(confirmation.snapshot, start=1)}


def _ensure_approver(actor) -> None:
    if not has_role(actor, Role.APPROVER):
        raise ActorNotAllowed(_("Only approvers decide on grants."))


def _ensure_decidable(application: Application) -> None:
    if application.status not in DECIDABLE:
        raise DecisionError(
            _("%(reference)s is “%(status)s”: only recommended or waitlisted applications can be decided.")
            % {"reference": application.reference, "status": application.get_status_display()}
        )


def _equipment_json(version: PlanVersion) -> list[dict]:
    return [
        {
            "item": line.item,
            "purpose": line.purpose,
            "supplier": line.supplier,
            "quantity": line.quantity,
            "unit_price": str(line.unit_price),
            "currency": line.currency,
            "usd_per_unit": None if line.usd_per_unit is None else str(line.usd_per_unit),
            "rate_date": None if line.rate_date is None else line.rate_date.isoformat(),
            "total_usd": None if line.total_usd is None else str(line.total_usd),
        }
        for line in version.equipment_lines.all()
    ]


def _contributions_json(version: PlanVersion) -> list[dict]:
    return [
        {
            "kind": line.kind,
            "description": line.description,
            "amount": str(line.amount),
            "currency": line.currency,
            "usd_per_unit": None if line.usd_per_unit is None else str(line.usd_per_unit),
            "rate_date": None if line.rate_date is None else line.rate_date.isoformat(),
            "amount_usd": None if line.amount_usd is None else str(line.amount_usd),
        }
        for line in version.contribution_lines.all()
    ]


@transaction.atomic
def grant_approve(
    *, application: Application, actor, note: str = "", score: Decimal | None = None, rank: int | None = None
) -> Grant:
    """Approve the grant of a recommended or waitlisted application within the call's budget."""
    _ensure_approver(actor)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_decidable(application)
    if call.two_person_rule and actor.pk in recommenders_of(call, [application]).get(application.pk, set()):
        raise DecisionError(
            _("You recommended %(reference)s, and this call needs a second person to approve it.")
            % {"reference": application.reference}
        )
    version = latest_submitted_version(application)
    if version is None or not version.grant_usd:
        raise DecisionError(
            _("%(reference)s has no submitted business plan with a grant to approve.")
            % {"reference": application.reference}
        )
    committed = call_committed(call)
    remaining = call.budget_envelope - committed
    if version.grant_usd > remaining:
        raise BudgetExceeded(
            _(
                "%(reference)s needs %(grant)s but only %(remaining)s of the call's budget remains "
                "(envelope %(envelope)s, committed %(committed)s)."
            )
            % {
                "reference": application.reference,
                "grant": format_usd(version.grant_usd),
                "remaining": format_usd(remaining),
                "envelope": format_usd(call.budget_envelope),
                "committed": format_usd(committed),
            }
        )
    call.last_agreement_number += 1
    call.save(update_fields=["last_agreement_number"])
    grant = Grant.objects.create(
        application=application,
        call=call,
        plan_version=version,
        sequence=call.last_agreement_number,
        agreement_number=f"UA-{call.reference_prefix}-{call.cycle_year}-{call.last_agreement_number:04d}",
        grant_usd=version.grant_usd,
        equipment_usd=version.equipment_usd,
        own_cash_usd=version.own_cash_usd or ZERO,
        own_in_kind_usd=version.own_in_kind_usd or ZERO,
        own_counted_usd=version.own_counted_usd,
        match_ratio=version.match_ratio,
        cap_usd=version.cap_usd,
        rates_date=version.rates_date,
        equipment=_equipment_json(version),
        contributions=_contributions_json(version),
        score=score,
        rank=rank if rank is not None else confirmed_positions(call).get(application.reference),
        approved_by=actor,
    )
    application_move(
        application,
        S.APPROVED,
        actor=actor,
        note_code="grant_approved",
        note_params={"number": grant.agreement_number, "grant": str(grant.grant_usd)},
    )
    Decision.objects.create(
        application=application, outcome=DecisionOutcome.APPROVED, note=note, grant=grant, decided_by=actor
    )
    return grant


@transaction.atomic
def grant_decline(*, application: Application, actor, reason: str, note: str = "") -> Decision:
    _ensure_approver(actor)
    if reason not in DeclineReason.values:
        raise DecisionError(_("Choose the reason for declining."))
    if reason == DeclineReason.OTHER and not note.strip():
        raise DecisionError(_("Explain the reason in the note."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_decidable(application)
    if note:
        application_move(application, S.DECLINED, actor=actor, note=note)
    else:
        application_move(
            application, S.DECLINED, actor=actor, note_code="declined_for_reason", note_params={"reason": reason}
        )
    return Decision.objects.create(
        application=application, outcome=DecisionOutcome.DECLINED, reason=reason, note=note, decided_by=actor
    )


@transaction.atomic
def grant_keep_waitlisted(*, application: Application, actor, note: str = "") -> Decision:
    """Leave (or put) the application on the waiting list: budget may free up later."""
    _ensure_approver(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_decidable(application)
    if application.status == S.RECOMMENDED:
        application_move(application, S.WAITLISTED, actor=actor, note=note)
    return Decision.objects.create(
        application=application, outcome=DecisionOutcome.KEPT_WAITLISTED, note=note, decided_by=actor
    )


@transaction.atomic
def waitlist_promote(*, application: Application, actor, note: str = "") -> Decision:
    """An officer moves a waitlisted application back to recommended (budget became available)."""
    if not has_role(actor, Role.PROGRAMME_OFFICER):
        raise ActorNotAllowed(_("Only programme officers promote applications from the waiting list."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != S.WAITLISTED:
        raise DecisionError(_("%(reference)s is not on the waiting list.") % {"reference": application.reference})
    if note:
        application_move(application, S.RECOMMENDED, actor=actor, note=note)
    else:
        application_move(application, S.RECOMMENDED, actor=actor, note_code="promoted_from_waiting_list")
    return Decision.objects.create(
        application=application, outcome=DecisionOutcome.PROMOTED, note=note, decided_by=actor
    )


@dataclass(frozen=True)
class BulkResult:
    approved: list[Grant]
    skipped: list[tuple[Application, str]]


def grants_approve_bulk(*, ranked: Iterable[tuple[Application, Decimal | None, int | None]], actor) -> BulkResult:
    """Approve in the order given (the ranking's), each in its own transaction, while the budget allows.

    An application that does not fit (or that the two-person rule keeps from this approver) is skipped
    with the reason, and later, smaller grants that fit are still approved: the ranking's first-fit rule.
    """
    _ensure_approver(actor)
    approved, skipped = [], []
    for application, score, rank in ranked:
        try:
            approved.append(grant_approve(application=application, actor=actor, score=score, rank=rank))
        except ApplicationError as error:  # refused by a rule, or moved meanwhile by someone else
            skipped.append((application, error.message))
    return BulkResult(approved=approved, skipped=skipped)


# Letters ---------------------------------------------------------------------------------------------


def new_verification_code() -> str:
    """Sixteen characters of a 32-letter alphabet without look-alikes, in four groups: 80 random bits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalize_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def verify_url(code: str) -> str:
    """The public verification page of a letter on SITE_URL: printed on the letter and in its QR code."""
    with translation.override(None):
        path = reverse("letter_verify", args=[code])
    return absolute_url(path)


def _signatory(user) -> str:
    return user.get_full_name() or user.email


def letter_figures(
    *, application: Application, kind: str, version: int, code: str, decision: Decision, grant: Grant | None
) -> LetterFigures:
    call = application.call
    programme = call.programme
    languages = ("en", "uk") if application.language == "en" else ("uk", "en")
    place = ", ".join(part for part in (application.settlement, application.hromada) if part)
    if grant is not None:
        equipment = tuple(
            EquipmentItem(
                item=line["item"],
                quantity=line["quantity"],
                supplier=line["supplier"],
                total_usd=Decimal(line["total_usd"] or "0"),
            )
            for line in grant.equipment
        )
        figures = {
            "grant_usd": grant.grant_usd,
            "equipment_usd": grant.equipment_usd,
            "own_counted_usd": grant.own_counted_usd,
            "own_cash_usd": grant.own_cash_usd,
            "own_in_kind_usd": grant.own_in_kind_usd,
            "match_ratio": grant.match_ratio,
            "cap_usd": grant.cap_usd,
        }
    else:
        equipment = ()
        figures = dict.fromkeys(
            ("grant_usd", "equipment_usd", "own_counted_usd", "own_cash_usd", "own_in_kind_usd", "match_ratio"),
            None,
        )
        figures["cap_usd"] = call.cap
    return LetterFigures(
        kind=kind,
        languages=languages,
        version=version,
        verification_code=code,
        verify_url=verify_url(code),
        issued_on=timezone.localdate(),
        programme_uk=programme.name_uk,
        programme_en=programme.name_en,
        donor=programme.donor,
        call_title_uk=call.title_uk,
        call_title_en=call.title_en,
        reference=application.reference or "",
        agreement_number=grant.agreement_number if grant else "",
        full_name=application.full_name,
        region=application.region,
        settlement=place,
        equipment=equipment,
        decline_reason=decision.reason if kind == LetterKind.DECLINE else "",
        decline_note=decision.note if kind == LetterKind.DECLINE else "",
        signed_by=_signatory(decision.decided_by),
        **figures,
    )


def _letter_decision(application: Application, kind: str) -> tuple[Decision, Grant | None]:
    outcome = DecisionOutcome.APPROVED if kind == LetterKind.AWARD else DecisionOutcome.DECLINED
    decision = (
        Decision.objects.filter(application=application, outcome=outcome)
        .select_related("decided_by", "grant")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None or application.status not in LETTER_STATUSES[kind]:
        raise DecisionError(
            _("%(reference)s has no decision that this letter could state.") % {"reference": application.reference}
        )
    return decision, decision.grant


def _letter_create(*, application: Application, kind: str, version: int, actor, batch=None) -> Letter:
    decision, grant = _letter_decision(application, kind)
    code = new_verification_code()
    figures = letter_figures(
        application=application, kind=kind, version=version, code=code, decision=decision, grant=grant
    )
    return Letter.objects.create(
        application=application,
        kind=kind,
        version=version,
        grant=grant,
        decision=decision,
        batch=batch,
        language=figures.languages[0],
        verification_code=code,
        issued_on=figures.issued_on,
        figures=figures.to_json(),
        requested_by=actor,
    )


def _ensure_letter_staff(actor) -> None:
    if not has_role(actor, Role.PROGRAMME_OFFICER, Role.APPROVER):
        raise ActorNotAllowed(_("Only programme staff issue letters."))


@transaction.atomic
def letter_issue(*, application: Application, kind: str, actor, batch: LetterBatch | None = None) -> Letter:
    """The application's letter of this kind: version 1, created and queued if there is none yet.

    Idempotent: while any version exists, it is returned as it is (a failed one is queued again).
    """
    _ensure_letter_staff(actor)
    application = Application.objects.select_for_update().select_related("call__programme").get(pk=application.pk)
    letter = Letter.objects.filter(application=application, kind=kind).order_by("-version").first()
    if letter is None:
        letter = _letter_create(application=application, kind=kind, version=1, actor=actor, batch=batch)
    elif letter.status == LetterStatus.FAILED:
        Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.PENDING, attempts=0, error="")
        letter.refresh_from_db()
    if batch is None and letter.status == LetterStatus.PENDING:
        from .tasks import letter_render

        letter_render.delay_on_commit(letter.pk)
    return letter


@transaction.atomic
def letter_regenerate(*, letter: Letter, actor) -> Letter:
    """A new version of the letter, with today's date and a new code; the earlier versions are kept."""
    _ensure_letter_staff(actor)
    application = (
        Application.objects.select_for_update().select_related("call__programme").get(pk=letter.application_id)
    )
    latest = Letter.objects.filter(application=application, kind=letter.kind).aggregate(v=Max("version"))["v"]
    new = _letter_create(application=application, kind=letter.kind, version=(latest or 0) + 1, actor=actor)
    from .tasks import letter_render

    letter_render.delay_on_commit(new.pk)
    return new


@transaction.atomic
def letters_batch_start(*, call: Call, kind: str, actor) -> LetterBatch:
    """Issue the letters of every application of the call that should have one, as one batch.

    The batch takes the applications without a letter of this kind and the letters still pending or
    failed; ready letters are left alone, so starting again never duplicates a letter.
    """
    _ensure_letter_staff(actor)
    batch = LetterBatch.objects.create(call=call, kind=kind, requested_by=actor)
    applications = (
        Application.objects.filter(call=call, status__in=LETTER_STATUSES[kind])
        .select_related("call__programme")
        .order_by("reference")
    )
    latest = {
        letter.application_id: letter
        for letter in Letter.objects.filter(
            application__call=call, application__status__in=LETTER_STATUSES[kind], kind=kind
        ).order_by("application_id", "version")
    }
    Letter.objects.filter(
        pk__in=[letter.pk for letter in latest.values() if letter.status != LetterStatus.READY]
    ).update(batch=batch, status=LetterStatus.PENDING, attempts=0, error="")
    for application in applications:
        if application.pk not in latest:
            _letter_create(application=application, kind=kind, version=1, actor=actor, batch=batch)
    from .tasks import letters_batch_run

    letters_batch_run.delay_on_commit(batch.pk)
    return batch


def letters_batch_resume(*, batch: LetterBatch, actor) -> LetterBatch:
    """Queue a batch's unfinished letters again (after a worker died, say). Ready letters are skipped."""
    _ensure_letter_staff(actor)
    from .tasks import letters_batch_run

    with transaction.atomic():
        batch.letters.filter(status=LetterStatus.FAILED).update(status=LetterStatus.PENDING, attempts=0, error="")
        LetterBatch.objects.filter(pk=batch.pk).update(resumed_at=timezone.now())
        letters_batch_run.delay_on_commit(batch.pk)
    return batch


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed

    @property
    def finished(self) -> bool:
        return self.pending == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.done + self.failed) / self.total)


def batch_progress(batch: LetterBatch) -> BatchProgress:
    counts = dict.fromkeys(LetterStatus.values, 0)
    for row in batch.letters.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return BatchProgress(
        total=sum(counts.values()), done=counts[LetterStatus.READY], failed=counts[LetterStatus.FAILED]
    )


def letters_render(letter_ids: list[int]) -> list[int]:
    """Render and store the pending letters among `letter_ids` together; returns the ids stored.

    Rendering happens outside any transaction; storing takes each letter's row lock and skips a letter
    another run stored meanwhile, so running twice (a retry, a resumed batch) never makes a second file.
    """
    letters = list(Letter.objects.filter(pk__in=letter_ids, status=LetterStatus.PENDING).order_by("pk"))
    if not letters:
        return []
    contents = render_letters([LetterFigures.from_json(letter.figures) for letter in letters])
    return [letter.pk for letter, content in zip(letters, contents, strict=True) if letter_store(letter, content)]


def letter_store(letter: Letter, content: bytes) -> bool:
    stored = ""
    try:
        with transaction.atomic():
            locked = Letter.objects.select_for_update().get(pk=letter.pk)
            if locked.status != LetterStatus.PENDING:
                return False
            locked.file.save(locked.filename(), ContentFile(content), save=False)
            stored = locked.file.name
            locked.sha256 = hashlib.sha256(content).hexdigest()
            locked.status = LetterStatus.READY
            locked.rendered_at = timezone.now()
            locked.error = ""
            locked.save(update_fields=["file", "sha256", "status", "rendered_at", "error"])
            if locked.kind == LetterKind.AWARD:
                _award(locked)
            from .tasks import letter_email

            letter_email.delay_on_commit(locked.pk)
    except BaseException:
        if stored:  # the row does not point at it: no file without its row
            letter.file.storage.delete(stored)
        raise
    return True


def _award(letter: Letter) -> None:
    """The first award letter issued makes an approved application awarded, in the approver's name."""
    application = Application.objects.select_for_update().get(pk=letter.application_id)
    if application.status == S.APPROVED:
        grant = letter.grant
        application_move(
            application,
            S.AWARDED,
            actor=grant.approved_by,
            note_code="award_letter_issued",
            note_params={"number": grant.agreement_number},
        )


# A file younger than this may belong to a letter whose row is still being committed.
ORPHAN_GRACE = timedelta(hours=1)


def letters_sweep(*, now: datetime | None = None) -> list[str]:
    """Delete letter files that no letter row points to, older than ORPHAN_GRACE; returns their names.

    Storing a letter writes its file, then commits its row; a worker killed in between leaves a file
    nobody can reach (the row stays pending, and the letter is rendered again under another name).
    """
    field = Letter._meta.get_field("file")
    storage = field.storage
    cutoff = (now or timezone.now()) - ORPHAN_GRACE
    referenced = set(Letter.objects.exclude(file="").values_list("file", flat=True))
    removed = []
    try:
        folders, _ = storage.listdir(LETTERS_FOLDER)
    except FileNotFoundError:  # nothing stored yet
        return removed
    for folder in folders:
        _, names = storage.listdir(f"{LETTERS_FOLDER}/{folder}")
        for name in names:
            path = f"{LETTERS_FOLDER}/{folder}/{name}"
            if path not in referenced and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed.append(path)
    return removed


def letter_failed(*, letter_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; after the last one the letter shows as failed, with the error, to staff."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id, status=LetterStatus.PENDING).first()
        if letter is None:
            return
        letter.attempts += 1
        letter.error = error[:2000]
        fields = ["attempts", "error"]
        if final:
            letter.status = LetterStatus.FAILED
            fields.append("status")
        letter.save(update_fields=fields)
