"""Field verification and retention: samples drawn, visits recorded, retention cases opened and decided.

A sample is drawn over the call's grants whose equipment has been handed over, sized by
monitoring.sampling (Cochran with the finite population correction) and drawn reproducibly from a stored
seed. A visit (or an accepted monitoring report) that finds the equipment gone or unused within the
retention period opens a retention case; an approver decides it (recover, transfer to another
participant, write off, or dismiss), an officer closes a recovery or transfer once carried out.
`case_move` is the only code that assigns `RetentionCase.status`; each move writes a `CaseStatusChange`.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import has_role
from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from applications.models import Application, Call
from grants.models import Grant

from .. import sampling
from ..enums import APPROVER, CASE_ACTORS, CASE_DECISIONS, CASE_MOVES, OFFICER, CaseSource, CaseStatus
from ..exceptions import MonitoringError
from ..models import (
    CaseStatusChange,
    FieldVisit,
    MonitoringReport,
    RetentionCase,
    SampleMember,
    VerificationSample,
    VisitPhoto,
)
from ..photos import photo_clean

# Grants whose equipment is in the participant's hands: the population of a field sample.
HANDED_OVER = frozenset({ApplicationStatus.EQUIPMENT_DELIVERED, ApplicationStatus.CLOSED})
MAX_PHOTOS = 6


def _ensure_officer(actor) -> None:
    if not has_role(actor, OFFICER):
        raise ActorNotAllowed(_("Only programme officers do field verification."))


def handed_over_population(call: Call) -> list[int]:
    return list(
        Grant.objects.filter(call=call, monitoring_schedule__isnull=False, application__status__in=HANDED_OVER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def sample_draw(
    *, call: Call, actor, confidence: Decimal, margin: Decimal, proportion: Decimal = sampling.HALF, seed=None
) -> VerificationSample:
    """Draw a field-verification sample of the call's handed-over grants; the seed is stored."""
    _ensure_officer(actor)
    population = handed_over_population(call)
    if not population:
        raise MonitoringError(_("No equipment of this call has been handed over yet: there is nothing to sample."))
    try:
        size = sampling.sample_size(
            population=len(population), confidence=confidence, margin=margin, proportion=proportion
        )
    except ValueError as error:
        raise MonitoringError(
            _("The confidence level, margin of error and proportion are shares between 0 and 1.")
        ) from error
    seed = sampling.new_seed() if seed is None else int(seed)
    sample = VerificationSample.objects.create(
        call=call,
        confidence=confidence,
        margin=margin,
        proportion=proportion,
        population_size=len(population),
        sample_size=size,
        seed=seed,
        population=population,
        drawn_by=actor,
    )
    SampleMember.objects.bulk_create(
        SampleMember(sample=sample, grant_id=grant_id, position=position)
        for position, grant_id in enumerate(sampling.draw(population, size, seed), start=1)
    )
    return sample


def _retention_applies(grant: Grant, on: date) -> bool:
    schedule = getattr(grant, "monitoring_schedule", None)
    return schedule is not None and on <= schedule.retention_until


@transaction.atomic
def visit_record(
    *,
    grant: Grant,
    actor,
    visited_on: date,
    equipment_present: bool,
    equipment_in_use: bool,
    business_operating: bool,
    notes: str = "",
    discrepancy: bool = False,
    discrepancy_note: str = "",
    sample: VerificationSample | None = None,
    photos=(),
) -> FieldVisit:
    """Record a field visit; equipment gone or unused within the retention period opens a retention case."""
    _ensure_officer(actor)
    if visited_on > timezone.localdate():
        raise MonitoringError(_("The date of the visit cannot be in the future."))
    if not hasattr(grant, "monitoring_schedule"):
        raise MonitoringError(_("The equipment of this grant has not been handed over yet."))
    if sample is not None and not sample.members.filter(grant=grant).exists():
        raise MonitoringError(_("This grant is not in the sample."))
    if discrepancy and not discrepancy_note.strip():
        raise MonitoringError(_("Describe the discrepancy."))
    if len(photos) > MAX_PHOTOS:
        raise MonitoringError(_("At most %(count)s photos a visit.") % {"count": MAX_PHOTOS})
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(photo_clean(upload))
        except ValidationError as error:
            raise MonitoringError(" ".join(error.messages)) from error
    visit = FieldVisit.objects.create(
        grant=grant,
        sample=sample,
        visited_on=visited_on,
        visited_by=actor,
        equipment_present=equipment_present,
        equipment_in_use=equipment_in_use,
        business_operating=business_operating,
        notes=notes.strip(),
        discrepancy=discrepancy,
        discrepancy_note=discrepancy_note.strip(),
    )
    for content, content_type in cleaned:
        photo = VisitPhoto(visit=visit, content_type=content_type)
        photo.file.save(content.name, content, save=False)
        photo.save()
    if not (equipment_present and equipment_in_use) and _retention_applies(grant, visited_on):
        case_open(
            grant=grant,
            actor=actor,
            source=CaseSource.VISIT,
            visit=visit,
            reason_code="visit_equipment_missing" if not equipment_present else "visit_equipment_unused",
            reason_params={"date": visited_on.strftime("%d.%m.%Y")},
        )
    return visit


@transaction.atomic
def case_open(
    *,
    grant: Grant,
    actor,
    source: str,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
    visit: FieldVisit | None = None,
    report: MonitoringReport | None = None,
) -> RetentionCase:
    """Open a retention case for the grant, or return the one already open (one at a time per grant).
    What was found is an officer's `reason` as typed, or a finding the software words (`reason_code` of
    monitoring.enums.CASE_REASONS with `reason_params`), stored as a code so each reader reads it in their
    language."""
    _ensure_officer(actor)
    if not reason.strip() and not reason_code:
        raise MonitoringError(_("Say what was found."))
    coded = {"reason_code": reason_code, "reason_params": reason_params or {}}
    existing = RetentionCase.objects.filter(grant=grant, status=CaseStatus.OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            case = RetentionCase.objects.create(
                grant=grant, source=source, reason=reason.strip(), visit=visit, report=report, opened_by=actor, **coded
            )
    except IntegrityError:  # opened meanwhile by someone else
        return RetentionCase.objects.get(grant=grant, status=CaseStatus.OPEN)
    CaseStatusChange.objects.create(
        case=case,
        from_status="",
        to_status=CaseStatus.OPEN,
        actor=actor,
        note=reason.strip(),
        note_code=coded["reason_code"],
        note_params=coded["reason_params"],
    )
    return case


@transaction.atomic
def case_move(
    case: RetentionCase, to: str, *, actor, note: str = "", transfer_to: Application | None = None
) -> CaseStatusChange:
    """Decide or close a retention case. The only code that assigns `RetentionCase.status`."""
    case = RetentionCase.objects.select_for_update(of=("self",)).select_related("grant").get(pk=case.pk)
    if to not in CASE_MOVES[case.status]:
        raise MonitoringError(
            _("A case that is “%(from)s” cannot become “%(to)s”.")
            % {"from": CaseStatus(case.status).label, "to": CaseStatus(to).label}
        )
    if not has_role(actor, *CASE_ACTORS[to]):
        if APPROVER in CASE_ACTORS[to]:
            raise ActorNotAllowed(_("Only approvers decide retention cases."))
        raise ActorNotAllowed(_("You may not make this change."))
    fields = []
    if to in CASE_DECISIONS:
        if not note.strip():
            raise MonitoringError(_("Give the reasons for the decision."))
        if to == CaseStatus.TRANSFER:
            if transfer_to is None:
                raise MonitoringError(_("Choose the participant who receives the equipment."))
            if transfer_to.pk == case.grant.application_id or not hasattr(transfer_to, "grant"):
                raise MonitoringError(_("The equipment goes to another participant of the programme."))
            case.transfer_to = transfer_to
            fields.append("transfer_to")
        case.decided_by, case.decided_at, case.decision_note = actor, timezone.now(), note.strip()
        fields += ["decided_by", "decided_at", "decision_note"]
    if to == CaseStatus.CLOSED:
        case.closed_at = timezone.now()
        fields.append("closed_at")
    change = CaseStatusChange.objects.create(case=case, from_status=case.status, to_status=to, actor=actor, note=note)
    case.status = to
    case.save(update_fields=["status", *fields])
    return change
