"""Every write to procurement items: opening a grant's procurement, orders, costs, deliveries, cancellations
and overrun decisions.

**Variance and tolerance.** An item's actual cost is converted to USD at the NBU rate of the invoice date
(rates.services.convert_to_usd; rate and date stored beside it). The variance is actual − approved. A cost
above approved × (1 + the call's `cost_tolerance`) is an overrun: it waits for an approver, and an item with
an overrun waiting or refused is not handed over. Where the call applies the two-person rule, the person who
recorded the cost cannot confirm its overrun.

**Never above the match or the budget.** A confirmed overrun must keep the grant's equipment within the
call's cap and the ratio times the own contribution the plan counted, and the call's grants within its budget
envelope (each at its approved grant or its equipment's confirmed cost); the handover then holds it to the
ratio times the contribution *verified* (procurement.contributions and the database's checks on the match
and the act).

`item_move` and `item_overrun_move` are the only code that assigns `status` and `overrun_status`; each move
writes an `ItemStatusChange`.
"""

from datetime import date
from decimal import Decimal, localcontext

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import has_role
from applications.exceptions import ActorNotAllowed
from applications.matching import PRECISION, cents_down
from applications.models import Call
from common.money import format_usd
from grants.models import Grant
from plans.models import ContributionLine
from rates.exceptions import RateError
from rates.services import convert_to_usd

from .contributions.services import match_recompute
from .enums import (
    ITEM_ACTORS,
    ITEM_LIVE,
    ITEM_MOVES,
    OFFICER,
    OVERRUN_ACTORS,
    OVERRUN_MOVES,
    PROCURABLE,
    ItemCondition,
    ItemStatus,
    OverrunStatus,
)
from .exceptions import InvalidMove, ProcurementError
from .models import ContributionProof, ItemStatusChange, ProcurementItem
from .selectors import call_spending

ZERO = Decimal("0.00")


def _ensure_officer(actor) -> None:
    if not has_role(actor, OFFICER):
        raise ActorNotAllowed(_("Only programme officers manage procurement."))


def _ensure_open(item: ProcurementItem) -> None:
    if item.status in (ItemStatus.HANDED_OVER, ItemStatus.CANCELLED):
        raise ProcurementError(
            _("%(item)s is “%(status)s” and can no longer be changed.")
            % {"item": item.item, "status": item.get_status_display()}
        )


@transaction.atomic
def procurement_open(*, grant: Grant, actor) -> list[ProcurementItem]:
    """Turn the grant's approved equipment lines into procurement items and its plan's own-contribution
    lines into proofs to be made. Safe to repeat: what exists is kept."""
    _ensure_officer(actor)
    grant = Grant.objects.select_for_update(of=("self",)).select_related("application", "call").get(pk=grant.pk)
    if grant.application.status not in PROCURABLE and not grant.procurement_items.exists():
        raise ProcurementError(
            _("%(number)s is “%(status)s”: only approved or awarded grants are procured.")
            % {"number": grant.agreement_number, "status": grant.application.get_status_display()}
        )
    existing = set(grant.procurement_items.values_list("line_number", flat=True))
    ProcurementItem.objects.bulk_create(
        ProcurementItem(
            grant=grant,
            line_number=number,
            item=line["item"],
            purpose=line.get("purpose", ""),
            quantity=int(line["quantity"]),
            approved_usd=Decimal(line["total_usd"] or "0"),
            supplier=line.get("supplier", ""),
        )
        for number, line in enumerate(grant.equipment, start=1)
        if number not in existing
    )
    proven = set(grant.contribution_proofs.values_list("line_id", flat=True))
    ContributionProof.objects.bulk_create(
        ContributionProof(
            grant=grant,
            line=line,
            kind=line.kind,
            description=line.description,
            declared_usd=line.amount_usd or ZERO,
        )
        for line in ContributionLine.objects.filter(version_id=grant.plan_version_id).order_by("pk")
        if line.pk not in proven
    )
    match_recompute(grant=grant)
    return list(grant.procurement_items.order_by("line_number"))


def procurement_open_call(*, grants, actor) -> int:
    """Open procurement for each of these grants that has none yet; returns how many were opened."""
    opened = 0
    for grant in grants:
        if not grant.procurement_items.exists():
            procurement_open(grant=grant, actor=actor)
            opened += 1
    return opened


@transaction.atomic
def item_move(
    item: ProcurementItem, to: str, *, actor, note: str = "", note_code: str = "", note_params: dict | None = None
) -> ItemStatusChange:
    """Move an item along its workflow. The only code that assigns `ProcurementItem.status`."""
    item = ProcurementItem.objects.select_for_update(of=("self",)).select_related("grant__call").get(pk=item.pk)
    if to not in ITEM_MOVES[item.status]:
        raise InvalidMove(ItemStatus, item.status, to)
    if not has_role(actor, *ITEM_ACTORS[to]):
        raise ActorNotAllowed(_("You may not make this change."))
    if to == ItemStatus.DELIVERED and item.actual_usd is None:
        raise ProcurementError(_("Record the actual cost before the delivery."))
    if to == ItemStatus.CANCELLED and not note.strip():
        raise ProcurementError(_("Say why the item is cancelled."))
    change = ItemStatusChange.objects.create(
        item=item,
        field=ItemStatusChange.STATUS,
        from_status=item.status,
        to_status=to,
        actor=actor,
        note=note,
        note_code=note_code,
        note_params=note_params or {},
    )
    item.status = to
    item.save(update_fields=["status", "updated_at"])
    if to in (ItemStatus.CANCELLED, ItemStatus.TO_ORDER):
        match_recompute(grant=item.grant)
    return change


@transaction.atomic
def item_overrun_move(
    item: ProcurementItem, to: str, *, actor, note: str = "", note_code: str = "", note_params: dict | None = None
) -> ItemStatusChange:
    """Move an item's overrun. The only code that assigns `ProcurementItem.overrun_status`."""
    item = ProcurementItem.objects.select_for_update(of=("self",)).select_related("grant__call").get(pk=item.pk)
    if to not in OVERRUN_MOVES[item.overrun_status]:
        raise InvalidMove(OverrunStatus, item.overrun_status, to)
    if not has_role(actor, *OVERRUN_ACTORS[to]):
        raise ActorNotAllowed(_("Only approvers decide on cost overruns."))
    if to in (OverrunStatus.CONFIRMED, OverrunStatus.REFUSED):
        if item.grant.call.two_person_rule and actor.pk == item.cost_recorded_by_id:
            raise ProcurementError(
                _("You recorded this cost, and this call needs a second person to decide on its overrun.")
            )
        if to == OverrunStatus.REFUSED and not note.strip():
            raise ProcurementError(_("Say why the overrun is refused."))
    if to == OverrunStatus.CONFIRMED:
        _ensure_within_match(item)
        _ensure_within_envelope(item)
    change = ItemStatusChange.objects.create(
        item=item,
        field=ItemStatusChange.OVERRUN,
        from_status=item.overrun_status,
        to_status=to,
        actor=actor,
        note=note,
        note_code=note_code,
        note_params=note_params or {},
    )
    item.overrun_status = to
    item.save(update_fields=["overrun_status", "updated_at"])
    return change


def equipment_total(grant: Grant, *, replacing: ProcurementItem | None = None) -> Decimal:
    """What the grant's live items cost: actual where known, approved otherwise."""
    total = ZERO
    for other in grant.procurement_items.filter(status__in=ITEM_LIVE):
        total += (replacing if replacing is not None and other.pk == replacing.pk else other).value_usd
    return total


def _ensure_within_match(item: ProcurementItem) -> None:
    grant = item.grant
    total = equipment_total(grant, replacing=item)
    with localcontext(prec=PRECISION):
        by_contribution = cents_down(grant.match_ratio * grant.own_counted_usd)
    if total > grant.cap_usd:
        raise ProcurementError(
            _("With this overrun the equipment costs %(total)s, above the call's cap of %(cap)s.")
            % {"total": format_usd(total), "cap": format_usd(grant.cap_usd)}
        )
    if total > by_contribution:
        raise ProcurementError(
            _(
                "With this overrun the equipment costs %(total)s, above %(limit)s, the match of the own "
                "contribution the plan counted. Reduce the equipment or the cost first."
            )
            % {"total": format_usd(total), "limit": format_usd(by_contribution)}
        )


def _ensure_within_envelope(item: ProcurementItem) -> None:
    """Confirming an overrun spends more of the call's budget: never past its envelope. The call's row is
    locked, as when a grant is approved, so two approvers cannot each spend the same remainder."""
    call = Call.objects.select_for_update().get(pk=item.grant.call_id)
    spent = call_spending(call, replacing=item)
    if spent > call.budget_envelope:
        raise ProcurementError(
            _(
                "With this overrun the call's grants cost %(spent)s, %(over)s above its budget envelope of "
                "%(envelope)s. Refuse the overrun, or reduce the equipment first."
            )
            % {
                "spent": format_usd(spent),
                "over": format_usd(spent - call.budget_envelope),
                "envelope": format_usd(call.budget_envelope),
            }
        )


def tolerance_limit(item: ProcurementItem) -> Decimal:
    """The most the item may cost without an approver: approved × (1 + tolerance), rounded down to the cent."""
    with localcontext(prec=PRECISION):
        return cents_down(item.approved_usd * (1 + item.grant.call.cost_tolerance))


def is_overrun(*, approved_usd: Decimal, actual_usd: Decimal, tolerance: Decimal) -> bool:
    """True when the actual cost is above the approved amount by more than the tolerance (a share)."""
    with localcontext(prec=PRECISION):
        return actual_usd > approved_usd * (1 + tolerance)


@transaction.atomic
def item_order(
    *, item: ProcurementItem, actor, supplier: str, purchase_order_number: str, ordered_on: date, note: str = ""
) -> ProcurementItem:
    _ensure_officer(actor)
    item = ProcurementItem.objects.select_for_update().get(pk=item.pk)
    if not supplier.strip() or not purchase_order_number.strip():
        raise ProcurementError(_("Give the supplier and the purchase order number."))
    item.supplier = supplier.strip()
    item.purchase_order_number = purchase_order_number.strip()
    item.ordered_on = ordered_on
    item.save(update_fields=["supplier", "purchase_order_number", "ordered_on", "updated_at"])
    if item.status != ItemStatus.ORDERED:
        item_move(item, ItemStatus.ORDERED, actor=actor, note=note)
    item.refresh_from_db()
    return item


@transaction.atomic
def item_record_cost(*, item: ProcurementItem, actor, amount: Decimal, currency: str, on: date) -> ProcurementItem:
    """Record what the item actually cost, converted at the NBU rate of `on`; an overrun above the call's
    tolerance goes to an approver, a cost within it clears an earlier overrun."""
    _ensure_officer(actor)
    item = ProcurementItem.objects.select_for_update(of=("self",)).select_related("grant__call").get(pk=item.pk)
    _ensure_open(item)
    if amount is None or amount <= 0:
        raise ProcurementError(_("The actual cost must be more than zero."))
    try:
        conversion = convert_to_usd(amount=amount, currency=currency, on=on)
    except RateError as error:
        raise ProcurementError(error.message) from error
    item.actual_amount = amount
    item.actual_currency = currency
    item.actual_usd_per_unit = conversion.usd_per_unit
    item.actual_rate_date = conversion.rate_date
    item.actual_usd = conversion.usd
    item.variance_usd = conversion.usd - item.approved_usd
    item.cost_recorded_by = actor
    item.save(
        update_fields=[
            "actual_amount",
            "actual_currency",
            "actual_usd_per_unit",
            "actual_rate_date",
            "actual_usd",
            "variance_usd",
            "cost_recorded_by",
            "updated_at",
        ]
    )
    over = is_overrun(
        approved_usd=item.approved_usd, actual_usd=item.actual_usd, tolerance=item.grant.call.cost_tolerance
    )
    noted = {
        "note_code": "cost_recorded",
        "note_params": {"actual_usd": str(item.actual_usd), "approved_usd": str(item.approved_usd)},
    }
    if over and item.overrun_status != OverrunStatus.PENDING:
        item_overrun_move(item, OverrunStatus.PENDING, actor=actor, **noted)
    elif not over and item.overrun_status != OverrunStatus.NONE:
        item_overrun_move(item, OverrunStatus.NONE, actor=actor, **noted)
    match_recompute(grant=item.grant)
    item.refresh_from_db()
    return item


@transaction.atomic
def item_deliver(
    *,
    item: ProcurementItem,
    actor,
    delivered_on: date,
    serial_numbers: list[str],
    condition: str,
    condition_note: str = "",
    amount: Decimal | None = None,
    currency: str = "",
) -> ProcurementItem:
    """The item arrived at the programme: its date, serial numbers and condition (and its actual cost,
    when it was not recorded before)."""
    _ensure_officer(actor)
    if condition not in ItemCondition.values:
        raise ProcurementError(_("Choose the condition of the item."))
    if amount is not None:
        item_record_cost(item=item, actor=actor, amount=amount, currency=currency, on=delivered_on)
    item = ProcurementItem.objects.select_for_update().get(pk=item.pk)
    _ensure_open(item)
    if item.status == ItemStatus.TO_ORDER:
        raise ProcurementError(_("Record the order of %(item)s first.") % {"item": item.item})
    serials = [number.strip() for number in serial_numbers if number.strip()]
    if len(serials) > item.quantity:
        raise ProcurementError(
            _("%(item)s has %(quantity)s units but %(count)s serial numbers were given.")
            % {"item": item.item, "quantity": item.quantity, "count": len(serials)}
        )
    if condition != ItemCondition.NEW and not condition_note.strip():
        raise ProcurementError(_("Describe the remarks on the condition."))
    item.delivered_on = delivered_on
    item.serial_numbers = serials
    item.condition = condition
    item.condition_note = condition_note.strip()
    item.save(update_fields=["delivered_on", "serial_numbers", "condition", "condition_note", "updated_at"])
    if item.status != ItemStatus.DELIVERED:
        item_move(item, ItemStatus.DELIVERED, actor=actor)
    item.refresh_from_db()
    return item


def item_cancel(*, item: ProcurementItem, actor, note: str) -> ItemStatusChange:
    return item_move(item, ItemStatus.CANCELLED, actor=actor, note=note)


@transaction.atomic
def equipment_reduce(*, grant: Grant, items: list[ProcurementItem], actor, note: str) -> list[ItemStatusChange]:
    """An approver confirms handing over less equipment because the verified own contribution falls short:
    the chosen items are cancelled, and the match is recomputed."""
    if not has_role(actor, *ITEM_ACTORS[ItemStatus.CANCELLED] - {OFFICER}):
        raise ActorNotAllowed(_("Only approvers confirm a reduction of the equipment."))
    if not items:
        raise ProcurementError(_("Choose the items to leave out."))
    if not note.strip():
        raise ProcurementError(_("Say why the equipment is reduced."))
    changes = []
    for item in items:
        if item.grant_id != grant.pk:
            raise ProcurementError(_("%(item)s is not part of this grant.") % {"item": item.item})
        changes.append(item_move(item, ItemStatus.CANCELLED, actor=actor, note=note))
    return changes
