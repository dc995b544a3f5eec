"""Every write about grant decisions: approve, decline, keep waitlisted, promote, in bulk.

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

"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed, ApplicationError
from applications.models import Application, Call
from applications.services import application_move
from common.money import format_usd
from grants.enums import DECIDABLE, DecisionOutcome, DeclineReason
from grants.exceptions import BudgetExceeded, DecisionError
from grants.models import Decision, Grant
from plans.models import PlanVersion
from plans.selectors import latest_submitted_version

from .selectors import ZERO, call_committed, confirmed_positions, recommenders_of

S = ApplicationStatus


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
