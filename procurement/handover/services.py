"""Issuing, rendering, storing and signing handover acts.

Issuing is separate from rendering, as for award letters: `act_issue` checks that the grant may be handed
over, copies what the act states (`ActFigures`) into a new row and queues the rendering after commit; the
worker (handover.tasks) renders the PDF and `rendering.act_store` stores it once with its SHA-256, under the row
lock, skipping an act another run stored meanwhile. A correction is a new version; earlier versions stay.

**Release.** An act is issued only when every item still to be handed over has been delivered to the
programme, no cost overrun is waiting for or refused by an approver, and the own contribution verified
supports the whole equipment under the 1+1 rule (no shortfall: procurement.contributions). Signing
repeats these checks against the act's own figures, stores the scan both parties signed (private, checked
by content), hands every item over, moves the application to equipment delivered and tells monitoring
(procurement.signals.equipment_handed_over), all in one transaction.
"""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.services import application_move
from common.documents import states_the_same
from common.money import format_usd
from common.uploads import DOCUMENTS, clean_upload
from grants.models import Grant

from ..contributions.services import match_recompute
from ..enums import ITEM_LIVE, OFFICER, OVERRUN_BLOCKING, ActStatus, ItemStatus
from ..exceptions import ProcurementError
from ..models import HandoverAct, ProcurementItem
from ..services import item_move
from ..signals import equipment_handed_over
from .documents import ActFigures, ActItem
from .tasks import handover_act_render


def _ensure_officer(actor) -> None:
    if not has_role(actor, OFFICER):
        raise ActorNotAllowed(_("Only programme officers issue and sign handover acts."))


def handover_blockers(grant: Grant, items: list[ProcurementItem] | None = None, match=None) -> list[str]:
    """Why the grant's equipment may not be handed over yet, in words; empty when it may."""
    items = list(grant.procurement_items.all()) if items is None else items
    live = [item for item in items if item.status in ITEM_LIVE]
    reasons = []
    if not live:
        reasons.append(_("There is no equipment to hand over."))
    waiting = [item.item for item in live if item.status in (ItemStatus.TO_ORDER, ItemStatus.ORDERED)]
    if waiting:
        reasons.append(_("Not yet delivered to the programme: %(items)s.") % {"items": ", ".join(waiting)})
    overruns = [item.item for item in live if item.overrun_status in OVERRUN_BLOCKING]
    if overruns:
        reasons.append(
            _("A cost overrun waits for or was refused by an approver: %(items)s.") % {"items": ", ".join(overruns)}
        )
    match = match if match is not None else getattr(grant, "contribution_match", None)
    if match is None:
        reasons.append(_("The own contribution has not been checked yet."))
    elif match.shortfall_usd > 0:
        reasons.append(
            _(
                "The own contribution verified supports %(grant)s of equipment, %(shortfall)s less than the "
                "equipment costs."
            )
            % {"grant": format_usd(match.grant_usd), "shortfall": format_usd(match.shortfall_usd)}
        )
    if grant.application.status != ApplicationStatus.AWARDED:
        reasons.append(
            _("The application is “%(status)s”; equipment is handed over once the award letter is issued.")
            % {"status": grant.application.get_status_display()}
        )
    return reasons


def _signatory(user) -> str:
    return user.get_full_name() or user.email


def act_figures(*, grant: Grant, version: int, actor) -> ActFigures:
    application = grant.application
    call = grant.call
    programme = call.programme
    match = grant.contribution_match
    items = [item for item in grant.procurement_items.order_by("line_number") if item.status in ITEM_LIVE]
    return ActFigures(
        number=f"{grant.agreement_number}-HA",
        version=version,
        languages=("en", "uk") if application.language == "en" else ("uk", "en"),
        issued_on=timezone.localdate(),
        programme_uk=programme.name_uk,
        programme_en=programme.name_en,
        donor=programme.donor,
        call_title_uk=call.title_uk,
        call_title_en=call.title_en,
        agreement_number=grant.agreement_number,
        reference=application.reference or "",
        full_name=application.full_name,
        region=application.region,
        settlement=", ".join(part for part in (application.settlement, application.hromada) if part),
        items=tuple(
            ActItem(
                item=item.item,
                quantity=item.quantity,
                serial_numbers=tuple(item.serial_numbers),
                condition=item.condition,
                condition_note=item.condition_note,
                value_usd=item.value_usd,
            )
            for item in items
        ),
        equipment_usd=match.equipment_usd,
        own_counted_usd=match.counted_usd,
        match_ratio=match.match_ratio,
        cap_usd=match.cap_usd,
        retention_months=call.equipment_retention_months,
        report_months=tuple(call.monitoring_months),
        handed_over_by=_signatory(actor),
    )


def _lock_grant(grant: Grant) -> Grant:
    return (
        Grant.objects.select_for_update(of=("self",)).select_related("application", "call__programme").get(pk=grant.pk)
    )


# What a new version of an act changes by itself; an act that differs from the latest only here is a repeat.
ACT_VERSION_FIELDS = frozenset({"version", "issued_on", "handed_over_by"})


def _act_figures_checked(grant: Grant, *, version: int, actor) -> ActFigures:
    match_recompute(grant=grant)
    grant = Grant.objects.select_related("application", "call__programme", "contribution_match").get(pk=grant.pk)
    blockers = handover_blockers(grant)
    if blockers:
        raise ProcurementError(" ".join(blockers))
    return act_figures(grant=grant, version=version, actor=actor)


def _act_create(grant: Grant, figures: ActFigures, *, actor) -> HandoverAct:
    return HandoverAct.objects.create(
        grant=grant,
        version=figures.version,
        number=figures.number,
        language=figures.languages[0],
        issued_on=figures.issued_on,
        figures=figures.to_json(),
        grant_usd=figures.equipment_usd,
        own_counted_usd=figures.own_counted_usd,
        match_ratio=figures.match_ratio,
        cap_usd=figures.cap_usd,
        requested_by=actor,
    )


@transaction.atomic
def act_issue(*, grant: Grant, actor) -> HandoverAct:
    """The grant's handover act: version 1, created and queued if there is none yet; otherwise the latest
    version as it is (a failed one is queued again). Idempotent."""
    _ensure_officer(actor)
    grant = _lock_grant(grant)
    act = grant.handover_acts.order_by("-version").first()
    if act is None:
        act = _act_create(grant, _act_figures_checked(grant, version=1, actor=actor), actor=actor)
    elif act.status == ActStatus.FAILED:
        HandoverAct.objects.filter(pk=act.pk).update(status=ActStatus.PENDING, attempts=0, error="")
        act.refresh_from_db()
    if act.status == ActStatus.PENDING:
        handover_act_render.delay_on_commit(act.pk)
    return act


@transaction.atomic
def act_correct(*, act: HandoverAct, actor) -> HandoverAct:
    """A new version of the act from today's figures; the earlier versions are kept as they are.

    Refused when the latest version already states the equipment as it is now: a repeated request (a double
    click, a retried form) never makes a second document of the same figures."""
    _ensure_officer(actor)
    grant = _lock_grant(act.grant)
    if grant.handover_acts.exclude(signed_scan="").exists():
        raise ProcurementError(_("The equipment has been handed over on a signed act; it is no longer corrected."))
    latest = grant.handover_acts.order_by("-version").first()
    figures = _act_figures_checked(grant, version=latest.version + 1, actor=actor)
    if latest.status != ActStatus.FAILED and states_the_same(
        latest.figures, figures.to_json(), ignoring=ACT_VERSION_FIELDS
    ):
        raise ProcurementError(
            _("Version %(version)s already states the equipment as it is now: there is nothing to correct.")
            % {"version": latest.version}
        )
    new = _act_create(grant, figures, actor=actor)
    handover_act_render.delay_on_commit(new.pk)
    return new


def _ensure_act_current(act: HandoverAct, grant: Grant) -> None:
    """The signed act must state the equipment as it is now: the same items at the same values."""
    figures = ActFigures.from_json(act.figures)
    items = [item for item in grant.procurement_items.order_by("line_number") if item.status in ITEM_LIVE]
    stated = [(line.item, line.quantity, line.serial_numbers, line.value_usd) for line in figures.items]
    current = [(item.item, item.quantity, tuple(item.serial_numbers), item.value_usd) for item in items]
    if stated != current:
        raise ProcurementError(
            _("The equipment changed after this act was issued. Issue a corrected version and have it signed.")
        )


@transaction.atomic
def act_sign(*, act: HandoverAct, actor, scan, handed_over_on: date) -> HandoverAct:
    """Store the scan of the act signed by both parties; the first signed act hands the equipment over."""
    _ensure_officer(actor)
    grant = _lock_grant(act.grant)
    act = HandoverAct.objects.select_for_update().get(pk=act.pk)
    if not act.is_ready:
        raise ProcurementError(_("The act is still being prepared; upload the signed scan once it is ready."))
    if act.is_signed:
        raise ProcurementError(_("The signed scan of this act is already stored."))
    latest = grant.handover_acts.aggregate(version=Max("version"))["version"]
    if act.version != latest:
        raise ProcurementError(_("A later version of this act exists; upload the scan of the latest one."))
    if handed_over_on > timezone.localdate():
        raise ProcurementError(_("The handover date cannot be in the future."))
    if handed_over_on < act.issued_on:
        raise ProcurementError(_("The handover date cannot be before the act was issued."))
    try:
        scan = clean_upload(scan, DOCUMENTS)
        content_type = scan.content_type
    except ValidationError as error:
        raise ProcurementError(" ".join(error.messages)) from error
    first = not grant.handover_acts.exclude(signed_scan="").exists()
    if first:
        match = match_recompute(grant=grant)
        blockers = handover_blockers(Grant.objects.select_related("application").get(pk=grant.pk), match=match)
        if blockers:
            raise ProcurementError(" ".join(blockers))
        _ensure_act_current(act, grant)
    scan.seek(0)
    content = scan.read()
    scan.seek(0)
    act.signed_scan.save(f"signed-{act.filename()}", ContentFile(content), save=False)
    act.signed_scan_type = content_type
    act.signed_sha256 = hashlib.sha256(content).hexdigest()
    act.signed_uploaded_by = actor
    act.signed_uploaded_at = timezone.now()
    act.handed_over_on = handed_over_on
    act.save(
        update_fields=[
            "signed_scan",
            "signed_scan_type",
            "signed_sha256",
            "signed_uploaded_by",
            "signed_uploaded_at",
            "handed_over_on",
        ]
    )
    if first:
        _hand_over(grant, act, actor)
    return act


def _hand_over(grant: Grant, act: HandoverAct, actor) -> None:
    noted = {"note_code": "act_signed", "note_params": {"number": act.number}}
    for item in grant.procurement_items.filter(status=ItemStatus.DELIVERED):
        ProcurementItem.objects.filter(pk=item.pk).update(handed_over_on=act.handed_over_on)
        item_move(item, ItemStatus.HANDED_OVER, actor=actor, **noted)
    application_move(grant.application, ApplicationStatus.EQUIPMENT_DELIVERED, actor=actor, **noted)
    equipment_handed_over.send(sender=HandoverAct, act=act)
