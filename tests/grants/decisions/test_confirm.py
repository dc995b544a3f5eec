"""The confirmation step before approving, declining and generating letters: a page, without JavaScript,
that says what the action does and who is emailed, and writes nothing until its button is pressed."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.services import letter_issue
from grants.models import Grant, Letter, LetterBatch
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


@pytest.fixture
def ready_letter(call, eager_tasks, django_capture_on_commit_callbacks):
    application = recommended_application(call=call, grant=Decimal("3000.00"), last_name="Бондар")
    grant_approve(application=application, actor=UserFactory(role=Role.APPROVER))
    with django_capture_on_commit_callbacks(execute=True):  # rendered and emailed
        return letter_issue(application=application, kind=LetterKind.AWARD, actor=UserFactory(role=Role.APPROVER))


def test_regenerating_one_letter_asks_first_who_will_be_emailed_and_writes_nothing(client, ready_letter, mailoutbox):
    application = ready_letter.application
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    back = url("grants:application", application.pk)
    sent = len(mailoutbox)

    decision_page = client.get(back).text
    page = client.get(url("grants:letter_regenerate_confirm", ready_letter.pk), {"next": back}).text

    confirm = url("grants:letter_regenerate_confirm", ready_letter.pk)
    assert f'href="{confirm}?next={back}' in decision_page.replace("%2F", "/")
    assert 'method="post" action="' + url("grants:letter_regenerate", ready_letter.pk) not in decision_page
    assert "Issue a new version of the letter?" in page
    assert f"{application.full_name} · {application.applicant.email}" in page
    assert "Version 2 is made with today" in page and f'name="next" value="{back}"' in page
    assert 'data-testid="confirm-regenerate"' in page
    assert list(Letter.objects.filter(application=application).values_list("version", flat=True)) == [1]
    assert len(mailoutbox) == sent


def test_confirming_issues_and_emails_the_new_version(
    client, ready_letter, mailoutbox, django_capture_on_commit_callbacks
):
    application = ready_letter.application
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    back = url("grants:application", application.pk)
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("grants:letter_regenerate", ready_letter.pk), {"next": back})

    assert (response.status_code, response["Location"]) == (302, back)
    assert sorted(Letter.objects.filter(application=application).values_list("version", flat=True)) == [1, 2]
    assert [message.to for message in mailoutbox[sent:]] == [[application.applicant.email]]


def test_the_page_of_a_letter_still_being_prepared_offers_nothing_to_press(
    client, call, django_capture_on_commit_callbacks
):
    application = recommended_application(call=call, grant=Decimal("3000.00"))
    grant_approve(application=application, actor=UserFactory(role=Role.APPROVER))
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_issue(application=application, kind=LetterKind.AWARD, actor=UserFactory(role=Role.APPROVER))
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    page = client.get(url("grants:letter_regenerate_confirm", letter.pk)).text

    assert 'data-testid="confirm-pending"' in page and 'data-testid="confirm-regenerate"' not in page
