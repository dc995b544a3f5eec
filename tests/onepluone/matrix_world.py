"""The people and objects the permission matrix requests every URL with (tests/onepluone/test_permission_matrix.py).

One applicant (`owner`) has a shortlisted application with a submitted plan before a panel (a reviewer who
declared no conflict, one who declared a conflict, a chair) and an assigned consultant, and, in another
call, an awarded grant handed over with its letter, act and reports. Everyone else is a stranger to them.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import URLResolver, get_resolver

from accounts.roles import Role
from applications.models import ErasureRequest
from grants.models import LetterBatch
from monitoring.models import FieldVisit, MonitoringReport, ReportPhoto, RetentionCase, VerificationSample
from procurement.models import ContributionEvidence, HandoverAct
from reviews.models import ConflictDeclaration, Criterion, PanelMember
from reviews.rubrics.services import rubric_create_default
from reviews.scoring import services as scoring
from tests.factories import (
    ConsultantAssignmentFactory,
    ContributionLineFactory,
    DefenseSlotFactory,
    EquipmentLineFactory,
    GrantFactory,
    LetterFactory,
    PlanVersionFactory,
    UserFactory,
    recommended_application,
    shortlisted_application,
)
from tests.factories.after_award import handed_over_grant

# The columns of the matrix, in order.
ROLES = (
    "anonymous",
    "owner",
    "other_applicant",
    "consultant",
    "other_consultant",
    "reviewer",
    "other_reviewer",
    "conflicted_reviewer",
    "chair",
    "officer",
    "approver",
    "donor",
    "superuser",
)

MISSING = 999_999  # the id of an object of a kind the world has none of


def url_patterns(resolver=None, prefix="", namespace=""):
    """(qualified name or route, route, pattern) of every URL pattern, walking includes."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        else:
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else route
            yield name, route, pattern


def is_admin(route: str) -> bool:
    return route.startswith(("uk/admin/", "en/admin/", "admin/"))


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


def _first_pk(model, **filters) -> int:
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first() or MISSING


def build_world() -> World:
    world = World()
    users = world.users
    users["owner"] = UserFactory(role=Role.APPLICANT)
    users["other_applicant"] = UserFactory(role=Role.APPLICANT)
    users["consultant"] = UserFactory(role=Role.CONSULTANT)
    users["other_consultant"] = UserFactory(role=Role.CONSULTANT)
    users["reviewer"] = UserFactory(role=Role.REVIEWER)
    users["other_reviewer"] = UserFactory(role=Role.REVIEWER)
    users["conflicted_reviewer"] = UserFactory(role=Role.REVIEWER)
    users["officer"] = UserFactory(role=Role.PROGRAMME_OFFICER)
    users["approver"] = UserFactory(role=Role.APPROVER)
    users["donor"] = UserFactory(role=Role.DONOR_AUDITOR)
    users["superuser"] = UserFactory(is_superuser=True, is_staff=True)

    # The review world: a shortlisted application with a submitted plan, defended before a panel.
    application = shortlisted_application(applicant=users["owner"])
    version = PlanVersionFactory(plan__application=application, complete=True, submitted=True)
    quote = EquipmentLineFactory(version=version)
    evidence = ContributionLineFactory(version=version)
    ConsultantAssignmentFactory(application=application, consultant=users["consultant"])
    slot = DefenseSlotFactory(application=application, session__call=application.call)
    session = slot.session
    users["chair"] = session.chair
    rubric_create_default(call=application.call)
    for name in ("reviewer", "conflicted_reviewer"):
        PanelMember.objects.create(session=session, reviewer=users[name])
    scoring.conflict_declare(application=application, reviewer=users["reviewer"], conflicted=False)
    scoring.conflict_declare(
        application=application, reviewer=users["conflicted_reviewer"], conflicted=True, reason="Сусід"
    )
    criteria = Criterion.objects.filter(rubric__call=application.call)
    scoring.score_save(
        application=application, reviewer=users["reviewer"], scores={c.pk: (Decimal("7"), "") for c in criteria}
    )
    sheet = scoring.score_submit(application=application, reviewer=users["reviewer"])

    # The after-award world: the same person's grant in another call, handed over.
    grant = handed_over_grant(officer=users["officer"], applicant=users["owner"])
    # And an award letter, ready, on a third application of theirs.
    letter = LetterFactory(
        ready=True, application=GrantFactory(application=recommended_application(applicant=users["owner"])).application
    )
    report = MonitoringReport.objects.filter(grant=grant).order_by("pk").first()

    world.ids = {
        "application": application.pk,
        "call": application.call_id,
        "version_number": version.number,
        "version": version.pk,
        "quote_line": quote.pk,
        "evidence_line": evidence.pk,
        "session": session.pk,
        "slot": slot.pk,
        "sheet": sheet.pk,
        "criterion": criteria.order_by("pk").first().pk,
        "declaration": ConflictDeclaration.objects.filter(conflicted=True).get().pk,
        "grant": grant.pk,
        "grant_application": grant.application_id,
        "grant_call": grant.call_id,
        "letter": letter.pk,
        "letter_code": letter.verification_code,
        "batch": _first_pk(LetterBatch),
        "item": _first_pk(grant.procurement_items.model, grant=grant),
        "proof": _first_pk(grant.contribution_proofs.model, grant=grant),
        "proof_evidence": _first_pk(ContributionEvidence, proof__grant=grant),
        "act": _first_pk(HandoverAct, grant=grant),
        "report": report.pk if report else MISSING,
        "photo": _first_pk(ReportPhoto),
        "sample": _first_pk(VerificationSample),
        "case": _first_pk(RetentionCase),
        "visit": _first_pk(FieldVisit),
        "erasure": _first_pk(ErasureRequest),
    }
    return world


# Which object each URL parameter names, per URL namespace (the default first).
PARAMETERS = {
    "pk": {
        "": "application",
        "applications:call_detail": "call",
        "applications:apply": "call",
        "staff:call_edit": "call",
        "staff:queue": "call",
        "staff:queue_bulk": "call",
        "ranking": "call",
        "defense:session": "session",
        "defense:session_edit": "session",
        "defense:slot_schedule": "session",
        "defense:member_add": "session",
        "defense:slot": "slot",
        "defense:conflict_clear": "declaration",
        "reviewing:chair": "session",
        "reviewing:reopen": "session",
        "rubric": "criterion",
        "plan_pdf": "version",
        "privacy:erasure_detail": "erasure",
    },
    "call_pk": {"": "call"},
    "call_id": {"": "grant_call"},
    "application_id": {"": "grant_application"},
    "letter_id": {"": "letter"},
    "batch_id": {"": "batch"},
    "grant_id": {"": "grant"},
    "item_id": {"": "item"},
    "proof_id": {"": "proof"},
    "evidence_id": {"": "proof_evidence"},
    "act_id": {"": "act"},
    "report_id": {"": "report"},
    "photo_id": {"": "photo"},
    "sample_id": {"": "sample"},
    "case_id": {"": "case"},
    "sheet_pk": {"": "sheet"},
    "number": {"": "version_number"},
    "line_pk": {"": "quote_line", "plans:evidence_download": "evidence_line"},
    "code": {"": "letter_code"},
    "step": {"": "step"},
    "kind": {"": "kind"},
}
CONSTANTS = {"step": "personal", "kind": "report"}


def kwargs_for(world: World, name: str, route: str) -> dict:
    kwargs = {}
    for parameter in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if parameter not in PARAMETERS:  # allauth's keys and tokens: a value that is not a real one
            kwargs[parameter] = "1-nokey" if parameter == "key" else "1"
            continue
        choices = PARAMETERS[parameter]
        key = choices[""]
        for prefix, value in choices.items():
            if prefix and (name == prefix or name.startswith(prefix + ":") or name.startswith(prefix + "_")):
                key = value
        key = "slot" if name.startswith("defense:slot_") and name != "defense:slot_schedule" else key
        kwargs[parameter] = CONSTANTS.get(key, world.ids.get(key))
    return kwargs
