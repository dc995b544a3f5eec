"""Reads the procurement pages share, each doing its own joins, and the flags a page needs."""

from decimal import Decimal

from django.db.models import Case, Count, F, Max, Prefetch, Q, Sum, When
from django.db.models.functions import Coalesce
from django.http import Http404

from applications.models import Call
from grants.decisions.selectors import ZERO, call_granted
from grants.enums import GRANTED
from grants.models import Grant

from .enums import ITEM_LIVE, OVERRUN_BLOCKING, PROCURABLE, ItemStatus, OverrunStatus
from .models import ContributionProof, HandoverAct, ProcurementItem


def calls_in_procurement():
    """Calls with grants, and what waits in each: items to order or deliver, overruns, shortfalls."""
    return (
        Call.objects.filter(grants__isnull=False)
        .distinct()
        .select_related("programme")
        .annotate(
            n_grants=Count("grants", distinct=True),
            n_items=Count("grants__procurement_items", distinct=True),
            n_open_items=Count(
                "grants__procurement_items",
                filter=Q(grants__procurement_items__status__in=[ItemStatus.TO_ORDER, ItemStatus.ORDERED]),
                distinct=True,
            ),
            n_overruns=Count(
                "grants__procurement_items",
                filter=Q(grants__procurement_items__overrun_status=OverrunStatus.PENDING),
                distinct=True,
            ),
            n_shortfalls=Count("grants", filter=Q(grants__contribution_match__shortfall_usd__gt=0), distinct=True),
            n_handed_over=Count("grants", filter=Q(grants__handover_acts__signed_scan__gt=""), distinct=True),
        )
        .order_by("-cycle_year", "pk")
    )


def call_items(call: Call):
    return (
        ProcurementItem.objects.filter(grant__call=call)
        .select_related("grant__application")
        .order_by("grant__sequence", "line_number")
    )


def grants_to_open(call: Call):
    """The call's approved or awarded grants whose procurement has not been opened yet."""
    return Grant.objects.filter(
        call=call, application__status__in=PROCURABLE, procurement_items__isnull=True
    ).select_related("application")


def _grant_queryset():
    return Grant.objects.select_related(
        "application__applicant", "call__programme", "contribution_match"
    ).prefetch_related(
        Prefetch("procurement_items", queryset=ProcurementItem.objects.order_by("line_number")),
        Prefetch(
            "contribution_proofs",
            queryset=ContributionProof.objects.select_related("line", "reviewed_by")
            .prefetch_related("evidence")
            .order_by("line_id"),
        ),
        Prefetch("handover_acts", queryset=HandoverAct.objects.order_by("-version")),
    )


def grant_for_staff(grant_id: int) -> Grant:
    grant = _grant_queryset().filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    return grant


def grant_of_participant(user, grant_id: int) -> Grant:
    """The grant, if it is this user's own and its procurement is open; 404 for anyone else's id."""
    grant = _grant_queryset().filter(pk=grant_id, application__applicant=user).first()
    if grant is None or not grant.procurement_items.all():
        raise Http404
    return grant


def overruns_pending():
    return (
        ProcurementItem.objects.filter(overrun_status=OverrunStatus.PENDING)
        .select_related("grant__application", "grant__call", "cost_recorded_by")
        .order_by("updated_at", "pk")
    )


def shortfalls():
    """Grants whose own contribution, every line of it decided, does not support the equipment still to be
    handed over: an approver reduces the equipment, or the participant proves more."""
    return (
        Grant.objects.filter(contribution_match__shortfall_usd__gt=0, contribution_match__lines_open=0)
        .exclude(handover_acts__signed_scan__gt="")
        .select_related("application", "call", "contribution_match")
        .prefetch_related(
            "contribution_proofs",
            Prefetch(
                "procurement_items",
                queryset=ProcurementItem.objects.filter(status__in=ITEM_LIVE).order_by("line_number"),
                to_attr="live_items",
            ),
        )
        .order_by("call__cycle_year", "sequence")
    )


def latest_act(grant: Grant) -> HandoverAct | None:
    acts = list(grant.handover_acts.all())
    return acts[0] if acts else None


def signed_act(grant: Grant) -> HandoverAct | None:
    return next((act for act in grant.handover_acts.all() if act.is_signed), None)


def call_spending(call, *, replacing: ProcurementItem) -> Decimal:
    """What the call's grants would cost its envelope with `replacing` at its actual cost (its overrun
    confirmed): each grant counts at its approved grant or, where its equipment costs more, at that."""
    return call_granted(call) + spent_above_grants(call, replacing=replacing)


def spent_above_grants(call, *, replacing: ProcurementItem | None = None) -> Decimal:
    """What the call's live equipment costs above its grants' approved amounts, in one query: an item
    counts at its actual cost, or at its approved amount while its overrun waits or was refused
    (`replacing`, when given, at its actual cost: the overrun about to be confirmed)."""
    value = Coalesce("actual_usd", "approved_usd")
    when = [When(pk=replacing.pk, then=value)] if replacing is not None else []
    counted = Case(*when, When(overrun_status__in=OVERRUN_BLOCKING, then=F("approved_usd")), default=value)
    rows = (
        ProcurementItem.objects.filter(grant__call=call, grant__application__status__in=GRANTED, status__in=ITEM_LIVE)
        .values("grant_id")
        .annotate(equipment=Sum(counted), granted=Max("grant__grant_usd"))
        .values_list("equipment", "granted")
    )
    return sum((max(equipment - granted, ZERO) for equipment, granted in rows), ZERO)


def spent_above_grants_received(sender, *, call, **kwargs) -> Decimal:
    """`grants.signals.spent_above_grants`, connected in ProcurementConfig.ready()."""
    return spent_above_grants(call)
