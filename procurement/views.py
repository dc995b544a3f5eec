"""Procurement pages: officers follow each call's items and each grant's procurement, approvers confirm
overruns and reductions, and the participant follows their equipment and handover.

Staff pages answer 403 to other roles (onepluone.policy); a participant page answers 404 for any grant
that is not the visitor's own. Who may make which change is the services' rule: a refused change comes
back as a message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications.exceptions import ApplicationError
from applications.models import Call
from applications.services import access_log
from common.views import perm_required

from . import selectors, services
from .contributions.selectors import remedy_for
from .enums import ITEM_LIVE, ItemStatus, OverrunStatus
from .filters import ItemFilter
from .forms import (
    CostForm,
    DeliveryForm,
    EvidenceForm,
    NoteForm,
    OrderForm,
    OverrunDecisionForm,
    ReduceForm,
    SignForm,
)
from .handover.services import handover_blockers
from .http import back, report_errors
from .models import ProcurementItem

STAFF = "procurement.see"
PAGE_SIZE = 50


def _flags(user) -> dict:
    return {"can_manage": user.has_perm("procurement.manage"), "can_confirm": user.has_perm("procurement.confirm")}


@perm_required(STAFF)
def calls(request):
    return render(
        request, "procurement/calls.html", {"calls": selectors.calls_in_procurement(), **_flags(request.user)}
    )


@perm_required(STAFF)
def call_items(request, call_id: int):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_id)
    filterset = ItemFilter(request.GET or None, queryset=selectors.call_items(call))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procurement/call_items.html",
        {
            "call": call,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "to_open": selectors.grants_to_open(call).count(),
            **_flags(request.user),
        },
    )


@require_POST
@perm_required("procurement.manage")
def call_open(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    try:
        opened = services.procurement_open_call(grants=selectors.grants_to_open(call), actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("Procurement opened for %(count)d grant.", "Procurement opened for %(count)d grants.", opened)
            % {"count": opened},
        )
    return redirect("procurement:call_items", call.pk)


@perm_required(STAFF)
def grant_detail(request, grant_id: int):
    grant = selectors.grant_for_staff(grant_id)
    access_log(user=request.user, application=grant.application, action="view_procurement")
    items = list(grant.procurement_items.all())
    match = getattr(grant, "contribution_match", None)
    return render(
        request,
        "procurement/grant.html",
        {
            "grant": grant,
            "application": grant.application,
            "items": items,
            "proofs": list(grant.contribution_proofs.all()),
            "match": match,
            "remedy": remedy_for(grant, match) if match else None,
            "acts": list(grant.handover_acts.all()),
            "latest_act": selectors.latest_act(grant),
            "signed_act": selectors.signed_act(grant),
            "blockers": handover_blockers(grant, items=items, match=match) if items else [],
            "sign_form": SignForm(),
            **_flags(request.user),
        },
    )


@require_POST
@perm_required("procurement.manage")
def grant_open(request, grant_id: int):
    grant = selectors.grant_for_staff(grant_id)
    try:
        services.procurement_open(grant=grant, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("procurement:grant", grant.pk)


def _item(item_id: int) -> ProcurementItem:
    return get_object_or_404(
        ProcurementItem.objects.select_related("grant__application", "grant__call", "cost_recorded_by"), pk=item_id
    )


@perm_required(STAFF)
def item_detail(request, item_id: int):
    item = _item(item_id)
    return render(
        request,
        "procurement/item.html",
        {
            "item": item,
            "grant": item.grant,
            "tolerance_limit": services.tolerance_limit(item),
            "order_form": OrderForm(
                initial={
                    "supplier": item.supplier,
                    "purchase_order_number": item.purchase_order_number,
                    **({"ordered_on": item.ordered_on} if item.ordered_on else {}),
                }
            ),
            "cost_form": CostForm(prefix="cost", initial={"currency": item.actual_currency or "UAH"}),
            "delivery_form": DeliveryForm(
                prefix="delivery",
                cost_known=item.actual_usd is not None,
                initial={
                    "serial_numbers": "\n".join(item.serial_numbers),
                    "condition": item.condition,
                    "condition_note": item.condition_note,
                    "currency": "UAH",
                },
            ),
            "note_form": NoteForm(prefix="cancel"),
            "overrun_form": OverrunDecisionForm(prefix="overrun"),
            "history": item.status_changes.select_related("actor"),
            "editable": item.status not in (ItemStatus.HANDED_OVER, ItemStatus.CANCELLED),
            "may_cancel": ItemStatus.CANCELLED in item.available_moves(request.user),
            "may_restore": ItemStatus.TO_ORDER in item.available_moves(request.user)
            and item.status == ItemStatus.CANCELLED,
            "overrun_pending": item.overrun_status == OverrunStatus.PENDING,
            **_flags(request.user),
        },
    )


def _act(request, item: ProcurementItem, action, success: str):
    try:
        action()
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return back(request, "procurement:item", item.pk)


@require_POST
@perm_required("procurement.manage")
def item_order(request, item_id: int):
    item = _item(item_id)
    form = OrderForm(request.POST)
    if not form.is_valid():
        report_errors(request, form)
        return back(request, "procurement:item", item.pk)
    return _act(
        request,
        item,
        lambda: services.item_order(item=item, actor=request.user, **form.cleaned_data),
        _("Order recorded."),
    )


@require_POST
@perm_required("procurement.manage")
def item_cost(request, item_id: int):
    item = _item(item_id)
    form = CostForm(request.POST, prefix="cost")
    if not form.is_valid():
        report_errors(request, form)
        return back(request, "procurement:item", item.pk)
    data = form.cleaned_data
    return _act(
        request,
        item,
        lambda: services.item_record_cost(
            item=item, actor=request.user, amount=data["amount"], currency=data["currency"], on=data["invoiced_on"]
        ),
        _("Actual cost recorded."),
    )


@require_POST
@perm_required("procurement.manage")
def item_delivery(request, item_id: int):
    item = _item(item_id)
    form = DeliveryForm(request.POST, prefix="delivery", cost_known=item.actual_usd is not None)
    if not form.is_valid():
        report_errors(request, form)
        return back(request, "procurement:item", item.pk)
    data = form.cleaned_data
    return _act(
        request,
        item,
        lambda: services.item_deliver(
            item=item,
            actor=request.user,
            delivered_on=data["delivered_on"],
            serial_numbers=form.serials(),
            condition=data["condition"],
            condition_note=data["condition_note"],
            amount=data.get("amount"),
            currency=data.get("currency") or "",
        ),
        _("Delivery recorded."),
    )


@require_POST
@perm_required(STAFF)
def item_status(request, item_id: int):
    """Cancel an item (with a reason) or bring a cancelled one back."""
    item = _item(item_id)
    to = request.POST.get("to")
    if to not in (ItemStatus.CANCELLED, ItemStatus.TO_ORDER):
        messages.error(request, _("Choose what to do with the item."))
        return back(request, "procurement:item", item.pk)
    note = request.POST.get("cancel-note", "")
    success = _("Item cancelled.") if to == ItemStatus.CANCELLED else _("Item back on the list to order.")
    return _act(request, item, lambda: services.item_move(item, to, actor=request.user, note=note), success)


@require_POST
@perm_required("procurement.confirm")
def item_overrun(request, item_id: int):
    item = _item(item_id)
    form = OverrunDecisionForm(request.POST, prefix="overrun")
    if not form.is_valid():
        report_errors(request, form)
        return back(request, "procurement:item", item.pk)
    confirm = form.cleaned_data["decision"] == OverrunDecisionForm.CONFIRM
    to = OverrunStatus.CONFIRMED if confirm else OverrunStatus.REFUSED
    return _act(
        request,
        item,
        lambda: services.item_overrun_move(item, to, actor=request.user, note=form.cleaned_data["note"]),
        _("Overrun confirmed.") if confirm else _("Overrun refused."),
    )


@perm_required(STAFF)
def confirmations(request):
    """What waits for an approver: cost overruns above tolerance, and shortfalls of the verified contribution."""
    shortfalls = list(selectors.shortfalls())
    return render(
        request,
        "procurement/confirmations.html",
        {
            "overruns": list(selectors.overruns_pending()),
            "shortfalls": [(grant, remedy_for(grant, grant.contribution_match)) for grant in shortfalls],
            **_flags(request.user),
        },
    )


@perm_required(STAFF)
def grant_reduce(request, grant_id: int):
    grant = selectors.grant_for_staff(grant_id)
    live = ProcurementItem.objects.filter(grant=grant, status__in=ITEM_LIVE - {ItemStatus.HANDED_OVER})
    form = ReduceForm(request.POST or None, items=live)
    if request.method == "POST":
        if not request.user.has_perm("procurement.confirm"):
            messages.error(request, _("Only approvers confirm a reduction of the equipment."))
        elif form.is_valid():
            try:
                services.equipment_reduce(
                    grant=grant,
                    items=list(form.cleaned_data["items"]),
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The equipment is reduced; the match is recomputed."))
                return redirect("procurement:grant", grant.pk)
    match = getattr(grant, "contribution_match", None)
    return render(
        request,
        "procurement/reduce.html",
        {
            "grant": grant,
            "form": form,
            "match": match,
            "remedy": remedy_for(grant, match) if match else None,
            **_flags(request.user),
        },
    )


@login_required
def delivery(request, grant_id: int):
    """The participant's page: their equipment, its handover, and the own contribution to prove."""
    if request.user.has_perm("procurement.see"):
        return redirect("procurement:grant", grant_id)
    grant = selectors.grant_of_participant(request.user, grant_id)
    match = getattr(grant, "contribution_match", None)
    proofs = list(grant.contribution_proofs.all())
    for proof in proofs:
        proof.evidence_form = EvidenceForm(prefix=f"e{proof.pk}")
    return render(
        request,
        "procurement/delivery.html",
        {
            "grant": grant,
            "application": grant.application,
            "items": [item for item in grant.procurement_items.all() if item.status in ITEM_LIVE],
            "proofs": proofs,
            "match": match,
            "remedy": remedy_for(grant, match) if match else None,
            "signed_act": selectors.signed_act(grant),
            "latest_act": selectors.latest_act(grant),
        },
    )
