"""A decision or letter request whose `next` is not a local path: redirected home, never a 500 after writing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.decisions.services import grant_approve
from grants.enums import DecisionOutcome, LetterKind
from grants.letters.services import letter_issue
from grants.models import Decision, Letter
from tests.factories import CallFactory, recommended_application

pytestmark = pytest.mark.django_db
NOT_LOCAL = ["keep", "javascript:alert(1)", "//evil.example/x", "/\\evil.example", "https://evil.example/", ""]


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_tasks):
    """Letters render in this process: these tests are about the views."""


@pytest.fixture
def call():
    return CallFactory(reference_prefix="NX", cycle_year=2021, budget_envelope=Decimal("70000.00"))


@pytest.mark.parametrize("target", NOT_LOCAL)
def test_keep_waitlisted_with_a_foreign_next_goes_to_the_call_and_writes_one_decision(client, call, approver, target):
    application = recommended_application(call=call, last_name="Бондар")
    client.force_login(approver)

    response = client.post(reverse("grants:keep_waitlisted", args=[application.pk]), {"next": target})

    assert (response.status_code, response["Location"]) == (302, reverse("grants:call_decisions", args=[call.pk]))
    assert list(Decision.objects.filter(application=application).values_list("outcome", flat=True)) == [
        DecisionOutcome.KEPT_WAITLISTED
    ]


@pytest.mark.parametrize("target", NOT_LOCAL[:3])
def test_regenerating_a_letter_with_a_foreign_next_makes_exactly_one_new_version(
    client, call, approver, target, eager_tasks, django_capture_on_commit_callbacks
):
    application = recommended_application(call=call, last_name="Шевчук")
    grant_approve(application=application, actor=approver)
    with django_capture_on_commit_callbacks(execute=True):  # rendered: a pending letter is not regenerated
        letter = letter_issue(application=application, kind=LetterKind.AWARD, actor=approver)
    client.force_login(approver)

    response = client.post(reverse("grants:letter_regenerate", args=[letter.pk]), {"next": target})

    assert (response.status_code, response["Location"]) == (302, reverse("grants:application", args=[application.pk]))
    assert sorted(Letter.objects.filter(application=application).values_list("version", flat=True)) == [1, 2]


def test_a_local_next_is_followed(client, call, approver):
    application = recommended_application(call=call, last_name="Коваль")
    back = reverse("grants:application", args=[application.pk]) + "?tab=letters"
    client.force_login(approver)

    response = client.post(reverse("grants:keep_waitlisted", args=[application.pk]), {"next": back})

    assert (response.status_code, response["Location"]) == (302, back)
