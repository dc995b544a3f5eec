"""Every write to business plans and consultations.

A version's status changes only in `plan_version_move` (the table is `plans.enums.PLAN_VERSION_MOVES`),
which writes a `PlanVersionStatusChange` row: the applicant submits a draft, an officer returns it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.matching import grant_violations
from applications.models import Application
from applications.services import application_move
from common.moves import assign
from rates.exceptions import MissingRate

from .completeness import missing_parts
from .enums import PLAN_VERSION_MOVES, PlanSection, VersionStatus
from .exceptions import InvalidPlanVersionMove, PlanError
from .figures import plan_figures
from .models import (
    BusinessPlan,
    ContributionLine,
    EquipmentLine,
    PlanVersion,
    PlanVersionStatusChange,
)
from .pdf.tasks import plan_pdf_render

COPIED_FIELDS = [
    *PlanSection.values,
    "jobs_total",
    "jobs_women",
    "jobs_youth",
    "jobs_disability",
    "jobs_veterans",
    "projection",
]
EQUIPMENT_COPIED = [
    "item",
    "purpose",
    "supplier",
    "quantity",
    "unit_price",
    "currency",
    "vat_included",
    "quote",
    "quote_type",
]
CONTRIBUTION_COPIED = ["kind", "description", "amount", "currency", "evidence", "evidence_type"]


# Why an actor the move table leaves out is refused, by the status the version would move to.
MOVE_REFUSALS = {
    VersionStatus.SUBMITTED: gettext_lazy("Only the applicant can write the business plan."),
    VersionStatus.RETURNED: gettext_lazy("Only programme officers return plans for revision."),
}


@transaction.atomic
def plan_version_move(
    version: PlanVersion, to: str, *, actor, note: str = "", fields: dict | None = None
) -> PlanVersionStatusChange:
    """Move a version along `plans.enums.PLAN_VERSION_MOVES`, saving `fields` (what the move stamps on the
    version: its figures, who returned it...) with it. The only code that assigns `PlanVersion.status`."""
    version = PlanVersion.objects.select_for_update(of=("self",)).select_related("plan__application").get(pk=version.pk)
    PLAN_VERSION_MOVES.check(
        version, to, actor, invalid=InvalidPlanVersionMove, not_allowed=ActorNotAllowed, refusals=MOVE_REFUSALS
    )
    change = PlanVersionStatusChange.objects.create(
        version=version, from_status=version.status, to_status=to, actor=actor, note=note
    )
    version.status = to
    version.save(update_fields=["status", *assign(version, fields), "updated_at"])
    return change


def _ensure_owner(application: Application, actor) -> None:
    if actor.pk != application.applicant_id:
        raise ActorNotAllowed(_("Only the applicant can write the business plan."))


def _lock_editable(version: PlanVersion, actor) -> PlanVersion:
    """Lock the version's row and check it is still a draft of this applicant (call inside a transaction)."""
    locked = (
        PlanVersion.objects.select_for_update(of=("self",)).select_related("plan__application__call").get(pk=version.pk)
    )
    _ensure_owner(locked.plan.application, actor)
    if not locked.is_draft:
        raise PlanError(_("This version of the plan is submitted and can no longer be changed."))
    return locked


def plan_draft(*, application: Application, actor) -> PlanVersion:
    """The plan's draft version, started when a shortlisted applicant first opens the plan. It comes with
    its plan, whose application is the one given (with what the caller loaded with it, such as the call)."""
    _ensure_owner(application, actor)
    draft = (
        PlanVersion.objects.select_related("plan")
        .filter(plan__application=application, status=VersionStatus.DRAFT)
        .first()
    )
    if draft:
        draft.plan.application = application
        return draft
    if application.status != ApplicationStatus.SHORTLISTED:
        raise PlanError(_("A business plan can be written once the application is shortlisted."))
    with transaction.atomic():
        plan, _created = BusinessPlan.objects.get_or_create(application=application)
        number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        return PlanVersion.objects.create(plan=plan, number=number)


@transaction.atomic
def plan_update(*, version: PlanVersion, actor, fields: dict) -> PlanVersion:
    version = _lock_editable(version, actor)
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=[*fields, "updated_at"])
    return version


@transaction.atomic
def plan_lines_save(*, version: PlanVersion, actor, formset) -> None:
    """Save a validated formset of equipment or contribution lines of a draft."""
    version = _lock_editable(version, actor)
    formset.instance = version
    formset.save()
    PlanVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())


@transaction.atomic
def plan_submit(*, version: PlanVersion, actor) -> PlanVersion:
    """Freeze a complete draft with every line converted at today's official rates, and move the
    application to 'plan submitted'. The grant stored is the matching engine's, within the call's rules."""
    version = _lock_editable(version, actor)
    application = version.plan.application
    if application.status != ApplicationStatus.SHORTLISTED:
        raise PlanError(_("The plan can be submitted only while the application is shortlisted."))
    missing = missing_parts(version)
    if missing:
        raise PlanError(_("The plan still needs: %(parts)s.") % {"parts": "; ".join(missing)})
    today = timezone.localdate()
    equipment_lines = list(version.equipment_lines.all())
    contribution_lines = list(version.contribution_lines.all())
    try:
        figures = plan_figures(
            call=application.call, equipment_lines=equipment_lines, contribution_lines=contribution_lines, on=today
        )
    except MissingRate as error:
        raise PlanError(
            _("The plan cannot be submitted today: %(reason)s Please try again later or contact the programme.")
            % {"reason": error.message}
        ) from error
    breakdown = figures.breakdown
    if not breakdown.fundable:
        raise PlanError(" ".join(breakdown.explanation()))
    violations = grant_violations(
        grant=breakdown.grant,
        own_contribution=breakdown.counted_own_contribution,
        equipment_cost=figures.equipment_usd,
        ratio=application.call.match_ratio,
        cap=application.call.cap,
    )
    if violations:
        raise PlanError(" ".join(violations))
    for line, conversion in figures.equipment:
        line.usd_per_unit, line.rate_date, line.total_usd = (
            conversion.usd_per_unit,
            conversion.rate_date,
            conversion.usd,
        )
    EquipmentLine.objects.bulk_update(equipment_lines, ["usd_per_unit", "rate_date", "total_usd"])
    for line, conversion in figures.contributions:
        line.usd_per_unit, line.rate_date, line.amount_usd = (
            conversion.usd_per_unit,
            conversion.rate_date,
            conversion.usd,
        )
    ContributionLine.objects.bulk_update(contribution_lines, ["usd_per_unit", "rate_date", "amount_usd"])
    version = plan_version_move(
        version,
        VersionStatus.SUBMITTED,
        actor=actor,
        fields={
            "submitted_at": timezone.now(),
            "submitted_by": actor,
            "rates_date": today,
            "equipment_usd": figures.equipment_usd,
            "own_cash_usd": figures.own_cash_usd,
            "own_in_kind_usd": figures.own_in_kind_usd,
            "own_counted_usd": breakdown.counted_own_contribution,
            "grant_usd": breakdown.grant,
            "match_ratio": application.call.match_ratio,
            "cap_usd": application.call.cap,
        },
    ).version
    application_move(application, ApplicationStatus.PLAN_SUBMITTED, actor=actor)
    plan_pdf_render.delay_on_commit(version.pk)
    return version


@transaction.atomic
def plan_return(*, version: PlanVersion, actor, note: str) -> PlanVersion:
    """Return the submitted version for revision: it stays frozen, and a new editable draft copies it."""
    if not note.strip():
        raise PlanError(_("Tell the applicant what to revise."))
    version = plan_version_move(
        version,
        VersionStatus.RETURNED,
        actor=actor,
        note=note,
        fields={"returned_at": timezone.now(), "returned_by": actor, "return_note": note},
    ).version
    draft = PlanVersion.objects.create(
        plan=version.plan, number=version.number + 1, **{name: getattr(version, name) for name in COPIED_FIELDS}
    )
    EquipmentLine.objects.bulk_create(
        EquipmentLine(version=draft, **{name: getattr(line, name) for name in EQUIPMENT_COPIED})
        for line in version.equipment_lines.all()
    )
    ContributionLine.objects.bulk_create(
        ContributionLine(version=draft, **{name: getattr(line, name) for name in CONTRIBUTION_COPIED})
        for line in version.contribution_lines.all()
    )
    application_move(version.plan.application, ApplicationStatus.SHORTLISTED, actor=actor, note=note)
    return draft
