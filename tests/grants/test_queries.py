"""The call's decisions page and the applicant's dashboard run the same number of queries for 1 and 8 applications."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from applications.enums import ApplicationStatus
from grants.enums import DeclineReason, LetterKind, LetterStatus
from grants.models import Letter
from grants.services import grant_approve, grant_decline, letter_issue, letter_regenerate
from tests.factories import CallFactory, StatusChangeFactory, UserFactory, recommended_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def queries_for(client, name, *args) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse(name, args=args)).status_code == 200
    return len(context.captured_queries)


def mark_ready(letter: Letter) -> None:
    """A letter as rendering leaves it, without rendering it (only the rows matter here)."""
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.READY, file=f"letters/test/{letter.pk}.pdf", sha256="0" * 64
    )


@pytest.fixture
def people():
    return UserFactory(role=Role.APPROVER), UserFactory(role=Role.PROGRAMME_OFFICER)


def add_applications(call, people, count: int) -> None:
    """Per round: one recommended (that the officer recommended), one waitlisted, one approved with a ready
    award letter in two versions and one declined with a failed decline letter."""
    approver, officer = people
    for _ in range(count):
        waiting = recommended_application(call=call)
        StatusChangeFactory(application=waiting, from_status=S.DEFENDED, to_status=S.RECOMMENDED, actor=officer)
        recommended_application(call=call, status=S.WAITLISTED, grant=Decimal("1000.00"))
        approved = recommended_application(call=call)
        grant_approve(application=approved, actor=approver)
        first = letter_issue(application=approved, kind=LetterKind.AWARD, actor=officer)
        mark_ready(first)
        mark_ready(letter_regenerate(letter=first, actor=officer))
        declined = recommended_application(call=call)
        grant_decline(application=declined, actor=approver, reason=DeclineReason.SCORE)
        failed = letter_issue(application=declined, kind=LetterKind.DECLINE, actor=officer)
        Letter.objects.filter(pk=failed.pk).update(status=LetterStatus.FAILED, error="Timeout")


@pytest.mark.parametrize("role", [Role.APPROVER, Role.PROGRAMME_OFFICER])
def test_call_decisions_page(client, people, role):
    call = CallFactory()
    client.force_login(people[0] if role == Role.APPROVER else people[1])
    add_applications(call, people, 1)
    one = queries_for(client, "grants:call_decisions", call.pk)
    add_applications(call, people, 7)
    many = queries_for(client, "grants:call_decisions", call.pk)

    assert (one, many) == (23, 23)


def test_calls_list(client, people):
    client.force_login(people[1])
    add_applications(CallFactory(), people, 1)
    one = queries_for(client, "grants:calls")
    for _ in range(7):
        add_applications(CallFactory(), people, 1)
    many = queries_for(client, "grants:calls")

    assert (one, many) == (4, 4)


def test_applicant_dashboard_with_letters(client, people):
    approver, officer = people
    applicant = UserFactory()
    client.force_login(applicant)

    def letters_for_a_new_application():
        application = recommended_application(call=CallFactory(), applicant=applicant)
        grant_approve(application=application, actor=approver)
        first = letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)
        mark_ready(first)
        mark_ready(letter_regenerate(letter=first, actor=officer))

    letters_for_a_new_application()
    one = queries_for(client, "dashboard")
    for _ in range(7):
        letters_for_a_new_application()
    many = queries_for(client, "dashboard")

    # One of them reads the grants' equipment and reports for the after-award panel (monitoring).
    assert (one, many) == (8, 8)
