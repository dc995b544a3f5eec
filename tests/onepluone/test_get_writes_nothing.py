"""A GET writes nothing: every page of the staff area, opened by an officer and by an approver, runs no
INSERT, UPDATE or DELETE but the audit row of who read an applicant's personal data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from applications.privacy.services import erasure_request_create
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.services import letters_batch_start
from monitoring.enums import CaseSource
from monitoring.field.services import case_open, sample_draw, visit_record
from monitoring.services import report_photo_add
from plans.services import plan_submit
from reviews.models import ConflictDeclaration, Criterion
from reviews.sessions.services import slot_schedule
from tests.factories import (
    CallFactory,
    DefenseSessionFactory,
    PanelMemberFactory,
    PlanVersionFactory,
    UserFactory,
    recommended_application,
    shortlisted_application,
    submitted_application,
)
from tests.factories.after_award import handed_over_grant
from tests.monitoring.photos import jpeg_upload

pytestmark = pytest.mark.django_db
AUDIT = 'INSERT INTO "applications_accesslogentry"'
# Staff pages outside /staff/: the plan as officers read it, and the chair's pages.
ALSO = ("plans:plan_detail", "reviewing:chair", "reviewing:chair_progress")


def _routes(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield f"{namespace}:{pattern.name}", prefix + str(pattern.pattern)


# The after-award apps' pages need their own journey of objects (`after_award` below).
AFTER_AWARD = ("procurement:", "monitoring:")


def staff_routes(*, after_award: bool = False) -> list[tuple[str, str]]:
    return [
        (name, route)
        for name, route in _routes(get_resolver().url_patterns)
        if (route.partition("/")[2].startswith("staff/") or "staff-assign" in route or name in ALSO)
        and name.startswith(AFTER_AWARD) == after_award
    ]


def participant_routes() -> list[tuple[str, str]]:
    """The after-award pages of the participant: their delivery, reports and files."""
    return [
        (name, route)
        for name, route in _routes(get_resolver().url_patterns)
        if name.startswith(AFTER_AWARD) and not route.partition("/")[2].startswith("staff/")
    ]


@pytest.fixture
def journey(django_capture_on_commit_callbacks):
    """One call with an application at each stage the staff pages show: submitted, with a submitted plan
    and a defense slot, and approved with its award letter being prepared in a batch."""
    officer, approver = UserFactory(role=Role.PROGRAMME_OFFICER), UserFactory(role=Role.APPROVER)
    call = CallFactory(budget_envelope=Decimal("20000.00"))
    submitted = submitted_application(call=call)
    defended = shortlisted_application(call=call)
    plan_submit(version=PlanVersionFactory(plan__application=defended, complete=True), actor=defended.applicant)
    session = DefenseSessionFactory(call=call)
    member = PanelMemberFactory(session=session)
    slot = slot_schedule(session=session, application=defended, actor=officer)
    approved = recommended_application(call=call)
    grant_approve(application=approved, actor=approver)
    with django_capture_on_commit_callbacks(execute=False):
        batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    conflict = ConflictDeclaration.objects.create(
        application=defended, reviewer=member.reviewer, conflicted=True, reason="Сусід"
    )
    erasure = erasure_request_create(user=UserFactory())
    by_segment = {
        "erasure-requests": erasure.pk,
        "calls": call.pk,
        "applications": submitted.pk,
        "sessions": session.pk,
        "slots": slot.pk,
        "conflicts": conflict.pk,
        "criteria": Criterion.objects.filter(rubric__call=call).first().pk,
    }
    objects = {
        "call_pk": call.pk,
        "call_id": call.pk,
        "application_id": approved.pk,
        "letter_id": batch.letters.get().pk,
        "batch_id": batch.pk,
    }
    return officer, approver, session, defended, by_segment, objects


def url_of(name: str, route: str, by_segment: dict, objects: dict) -> str:
    kwargs = {}
    segments = route.strip("/").split("/")
    for index, segment in enumerate(segments):
        if segment.startswith("<int:"):
            parameter = segment[len("<int:") : -1]
            kwargs[parameter] = objects.get(parameter) or by_segment[segments[index - 1]]
    return reverse(name, kwargs=kwargs)


def test_every_staff_route_is_found():
    names = [name for name, _ in staff_routes()]

    assert {"staff:application_detail", "defense:session", "rubric:call", "grants:batch", *ALSO} <= set(names)
    assert len(names) == 57
    assert len(staff_routes(after_award=True)) == 30


@pytest.mark.parametrize("role", ["officer", "approver"])
def test_no_get_on_a_staff_page_writes(client, journey, role):
    officer, approver, session, defended, by_segment, objects = journey
    viewer = officer if role == "officer" else approver
    client.force_login(viewer)
    urls = [
        reverse(name, kwargs={"pk": defended.pk})
        if name == "plans:plan_detail"
        else url_of(name, route, {**by_segment, "sessions": session.pk}, objects)
        for name, route in staff_routes()
    ]
    session.chair = viewer
    session.save(update_fields=["chair"])

    assert writes_of(client, urls) == {}


def test_the_defense_pages_of_a_call_without_a_rubric_do_not_create_one(client):
    """A call saved before rubrics came with the call had none until a page created it on a GET."""
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    call = CallFactory()
    session = DefenseSessionFactory(call=call)
    call.rubric.delete()
    client.force_login(officer)

    with CaptureQueriesContext(connection) as queries:
        pages = [
            client.get(reverse("defense:call", args=[call.pk])),
            client.get(reverse("defense:session", args=[session.pk])),
        ]

    assert [page.status_code for page in pages] == [200, 200]
    assert [
        q["sql"][:30] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ] == []
    assert Criterion.objects.filter(rubric__call=call).count() == 0


@pytest.fixture
def after_award(django_capture_on_commit_callbacks):
    """A grant handed over on a signed act, with its monitoring reports due, a photo on the first report,
    a verification sample, a field visit and a retention case; the ids every after-award route needs."""
    officer, approver = UserFactory(role=Role.PROGRAMME_OFFICER), UserFactory(role=Role.APPROVER)
    with django_capture_on_commit_callbacks(execute=True):
        grant = handed_over_grant(officer=officer)
    report = grant.monitoring_reports.order_by("due_on").first()
    photo = report_photo_add(report=report, actor=grant.application.applicant, upload=jpeg_upload())
    sample = sample_draw(call=grant.call, actor=officer, confidence=Decimal("0.95"), margin=Decimal("0.10"), seed=7)
    visit = visit_record(
        grant=grant,
        actor=officer,
        visited_on=timezone.localdate(),
        equipment_present=True,
        equipment_in_use=True,
        business_operating=True,
        sample=sample,
        photos=[jpeg_upload()],
    )
    case = case_open(grant=grant, actor=officer, source=CaseSource.OFFICER, reason="Обладнання не знайдено")
    objects = {
        "call_id": grant.call_id,
        "grant_id": grant.pk,
        "item_id": grant.procurement_items.first().pk,
        "proof_id": grant.contribution_proofs.first().pk,
        "act_id": grant.handover_acts.get().pk,
        "report_id": report.pk,
        "sample_id": sample.pk,
        "case_id": case.pk,
        "evidence_id": 999_999,  # none: the demo walk (tests/e2e) opens a real one
    }
    photos = {"report": photo.pk, "visit": visit.photos.get().pk}
    return officer, approver, grant.application.applicant, objects, photos


def after_award_urls(routes, objects: dict, photos: dict) -> list[str]:
    urls = []
    for name, route in routes:
        if name == "monitoring:photo":
            urls += [reverse(name, kwargs={"kind": kind, "photo_id": pk}) for kind, pk in photos.items()]
        else:
            urls.append(url_of(name, route, {}, {**objects, "photo_id": photos["report"]}))
    return urls


def writes_of(client, urls: list[str], *, answers=(200, 302, 403, 405)) -> dict:
    writes = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in answers, url
        if response.streaming:
            b"".join(response.streaming_content)
        found = [
            query["sql"][:60]
            for query in queries.captured_queries
            if query["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and not query["sql"].startswith(AUDIT)
        ]
        if found:
            writes[url] = found
    return writes


@pytest.mark.parametrize("role", ["officer", "approver", "participant"])
def test_no_get_on_an_after_award_page_writes(client, after_award, role):
    officer, approver, participant, objects, photos = after_award
    client.force_login({"officer": officer, "approver": approver, "participant": participant}[role])
    urls = after_award_urls([*staff_routes(after_award=True), *participant_routes()], objects, photos)

    # 404: another person's file, and the evidence id that does not exist.
    assert writes_of(client, urls, answers=(200, 302, 403, 404, 405)) == {}
