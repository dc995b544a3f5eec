"""The call's decisions page, the calls list and the applicant's dashboard run the same number of queries
for one application (or call) as for eight."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason, LetterKind
from grants.letters.services import letter_regenerate
from reviews.ranking.services import ranking_store
from tests.conftest import one_and_many, url
from tests.factories import (
    CallFactory,
    LetterFactory,
    StatusChangeFactory,
    UserFactory,
    letter_rendered,
    recommended_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def add_applications(call, approver, officer, count: int) -> None:
    """Per round: one recommended (that the officer recommended), one waitlisted, one approved with a ready
    award letter in two versions and one declined whose decline letter failed."""
    for _ in range(count):
        waiting = recommended_application(call=call)
        StatusChangeFactory(application=waiting, from_status=S.DEFENDED, to_status=S.RECOMMENDED, actor=officer)
        recommended_application(call=call, status=S.WAITLISTED, grant=Decimal("1000.00"))
        approved = recommended_application(call=call)
        grant_approve(application=approved, actor=approver)
        first = LetterFactory(application=approved, requested_by=officer, ready=True)
        letter_rendered(letter_regenerate(letter=first, actor=officer))
        declined = recommended_application(call=call)
        grant_decline(application=declined, actor=approver, reason=DeclineReason.SCORE)
        LetterFactory(application=declined, kind=LetterKind.DECLINE, requested_by=officer, failed=True)


@one_and_many(8)
@pytest.mark.parametrize("role", [Role.APPROVER, Role.PROGRAMME_OFFICER])
@pytest.mark.parametrize(("tab", "count"), [("decide", 18), ("grants", 17), ("declined", 18)])
def test_call_decisions_page(client, page_queries, approver, officer, role, size, tab, count):
    call = CallFactory()
    client.force_login(approver if role == Role.APPROVER else officer)
    add_applications(call, approver, officer, size)

    # The ranking is computed (the call's rubric, created with the call, adds a query); one list is read; the
    # budget asks what equipment costs above the grants (procurement) in one more. The call is read with the
    # lists' sizes, what its grants commit, whether its stored ranking is fresh and, on a tab of letters, how
    # many letters are ready (grants.decisions.call_page.call_for_decisions); the paginator counts nothing.
    page_queries(count, url("grants:call_decisions", call.pk), tab=tab)


@one_and_many(8)
@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 8),
        ({"page": "2", "status": "waitlisted"}, 8),  # past the last page: the last one
        ({"region": "lviv", "q": "nobody"}, 8),  # no row: nothing to read beside them, but the count
        ({"tab": "grants", "page": "2"}, 11),
        ({"tab": "declined"}, 12),
    ],
)
def test_call_decisions_page_from_the_stored_ranking(client, page_queries, approver, officer, size, params, count):
    call = CallFactory()
    client.force_login(approver)
    add_applications(call, approver, officer, size)
    ranking_store(call_id=call.pk)

    # The decide tab's rows are read with their oblast, own contribution and the viewer's moves (the two-person
    # rule) in the rows' query, and the confirmations once for positions and the viewer's; unfiltered, the
    # list of what waits (read for the budget) gives the paginator its count.
    page_queries(count, url("grants:call_decisions", call.pk), **params)


@one_and_many(8)
def test_application_decision_page_from_the_stored_ranking(client, page_queries, approver, officer, size):
    call = CallFactory()
    client.force_login(approver)
    add_applications(call, approver, officer, size)
    ranking_store(call_id=call.pk)
    application = call.applications.filter(status=S.RECOMMENDED).first()

    page_queries(16, url("grants:application", application.pk))


@one_and_many(8)
def test_calls_list(officer_client, page_queries, approver, officer, size):
    for _ in range(size):
        add_applications(CallFactory(), approver, officer, 1)

    page_queries(4, url("grants:calls"))


@one_and_many(8)
def test_applicant_dashboard_with_letters(client, page_queries, approver, officer, size):
    applicant = UserFactory()
    client.force_login(applicant)
    for _ in range(size):
        application = recommended_application(call=CallFactory(), applicant=applicant)
        grant_approve(application=application, actor=approver)
        first = LetterFactory(application=application, requested_by=officer, ready=True)
        letter_rendered(letter_regenerate(letter=first, actor=officer))

    # One of them reads the grants' equipment and reports for the after-award panel (monitoring).
    page_queries(10, url("dashboard"))
