"""The confirmation step before approving, declining and generating letters: a page, without JavaScript,
that says what the action does and who is emailed, and writes nothing until its button is pressed."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.models import Grant, LetterBatch
from tests.conftest import url
from tests.factories import CallFactory, UserFactory, recommended_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(budget_envelope=Decimal("10000.00"))


def test_the_decision_buttons_lead_to_a_confirmation_page_that_writes_nothing(client, call):
    application = recommended_application(call=call, grant=Decimal("3000.00"))
    client.force_login(UserFactory(role=Role.APPROVER))

    decisions = client.get(url("grants:call_decisions", call.pk)).text
    page = client.get(url("grants:approve_confirm", application.pk), {"note": "Сильний план"}).text

    assert url("grants:approve_confirm", application.pk) in decisions
    assert 'method="post" action="' + url("grants:approve", application.pk) not in decisions
    assert "Approve the grant?" in page and "USD 3,000.00" in page and "Сильний план" in page
    assert 'data-testid="confirm-approve"' in page
    assert not Grant.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED


def test_confirming_approves_and_the_decline_page_names_the_reason(client, call):
    first = recommended_application(call=call, grant=Decimal("3000.00"))
    second = recommended_application(call=call, grant=Decimal("2000.00"))
    client.force_login(UserFactory(role=Role.APPROVER))

    client.post(url("grants:approve", first.pk), {"note": ""})
    decline = client.get(url("grants:decline_confirm", second.pk), {"reason": "budget", "note": ""})

    assert Grant.objects.get().application == first
    assert "Decline the grant?" in decline.text and 'name="reason" value="budget"' in decline.text


def test_the_letters_page_says_who_will_be_emailed_before_the_batch_starts(client, call):
    approved = recommended_application(call=call, grant=Decimal("3000.00"), last_name="Бондар")
    recommended_application(call=call, grant=Decimal("2000.00"), last_name="Шевчук")
    grant_approve(application=approved, actor=UserFactory(role=Role.APPROVER))
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    page = client.get(url("grants:letters_confirm", call.pk), {"kind": LetterKind.AWARD}).text

    assert "Бондар" in page and "Шевчук" not in page
    assert 'data-testid="confirm-letters"' in page
    assert not LetterBatch.objects.exists()
