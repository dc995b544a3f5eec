"""Issuing letters: their figures, versions, batches and files, and the moves they make (through
`grants.letters.rendering.letter_move`, the one writer of a letter's status).

**Letters** are rows first (pending), files later (tasks.py): issuing is idempotent per application,
kind and version (issuing again returns the letter there is); an explicit regenerate makes the next
version with a new verification code and keeps the earlier ones. Rendering (documents.py, compose/)
only turns figures into bytes; this module decides what a letter states and stores what was rendered."""

import secrets
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import Application, Call
from common.site import absolute_url
from grants.enums import LETTER_STATUSES, DecisionOutcome, LetterKind, LetterStatus
from grants.exceptions import DecisionError
from grants.models import Decision, Grant, Letter, LetterBatch

from .documents import EquipmentItem, LetterFigures
from .rendering import letter_move, letters_move
from .tasks import letter_render, letters_batch_run

S = ApplicationStatus


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
        retention_months=call.equipment_retention_months,
        report_months=tuple(call.monitoring_months),
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
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("call__programme").get(pk=application.pk)
    )
    letter = Letter.objects.filter(application=application, kind=kind).order_by("-version").first()
    if letter is None:
        letter = _letter_create(application=application, kind=kind, version=1, actor=actor, batch=batch)
    elif letter.status == LetterStatus.FAILED:
        letter = letter_move(
            letter, LetterStatus.PENDING, actor=actor, note_code="tried_again", fields={"attempts": 0, "error": ""}
        ).letter
    if batch is None and letter.status == LetterStatus.PENDING:
        letter_render.delay_on_commit(letter.pk)
    return letter


@transaction.atomic
def letter_regenerate(*, letter: Letter, actor) -> Letter:
    """A new version of the letter, with today's date and a new code; the earlier versions are kept.

    While the latest version is still being prepared, asking again (a double click, a retried form) returns
    that version: it makes no second letter of the same figures."""
    _ensure_letter_staff(actor)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme")
        .get(pk=letter.application_id)
    )
    latest = Letter.objects.filter(application=application, kind=letter.kind).order_by("-version").first()
    if latest.status == LetterStatus.PENDING:
        return latest
    new = _letter_create(application=application, kind=letter.kind, version=latest.version + 1, actor=actor)
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
    retried = {"batch": batch, "attempts": 0, "error": ""}
    Letter.objects.filter(
        pk__in=[letter.pk for letter in latest.values() if letter.status == LetterStatus.PENDING]
    ).update(**retried)
    letters_move(
        [letter for letter in latest.values() if letter.status == LetterStatus.FAILED],
        LetterStatus.PENDING,
        actor=actor,
        note_code="tried_again_in_batch",
        fields=retried,
    )
    for application in applications:
        if application.pk not in latest:
            _letter_create(application=application, kind=kind, version=1, actor=actor, batch=batch)
    letters_batch_run.delay_on_commit(batch.pk)
    return batch


def letters_batch_resume(*, batch: LetterBatch, actor) -> LetterBatch:
    """Queue a batch's unfinished letters again (after a worker died, say). Ready letters are skipped."""
    _ensure_letter_staff(actor)
    with transaction.atomic():
        letters_move(
            batch.letters.filter(status=LetterStatus.FAILED),
            LetterStatus.PENDING,
            actor=actor,
            note_code="batch_resumed",
            fields={"attempts": 0, "error": ""},
        )
        LetterBatch.objects.filter(pk=batch.pk).update(resumed_at=timezone.now())
        letters_batch_run.delay_on_commit(batch.pk)
    return batch
