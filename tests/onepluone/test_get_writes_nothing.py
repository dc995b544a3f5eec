"""A GET writes nothing: every page of the staff area, opened by an officer and by an approver, runs no
INSERT, UPDATE or DELETE but the audit row of who read an applicant's personal data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from accounts.roles import Role
from applications.privacy.services import erasure_request_create
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.services import letters_batch_start
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


# The after-award apps' staff pages need their own journey of objects: tests/procurement and tests/monitoring.
AFTER_AWARD = ("procurement:", "monitoring:")


def staff_routes() -> list[tuple[str, str]]:
    return [
        (name, route)
        for name, route in _routes(get_resolver().url_patterns)
        if (route.partition("/")[2].startswith("staff/") or "staff-assign" in route or name in ALSO)
        and not name.startswith(AFTER_AWARD)
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
    assert len(names) == 54


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

    writes = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302, 403, 405), url
        found = [
            query["sql"][:60]
            for query in queries.captured_queries
            if query["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and not query["sql"].startswith(AUDIT)
        ]
        if found:
            writes[url] = found

    assert writes == {}


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
