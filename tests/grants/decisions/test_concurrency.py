"""Approvals at the same moment, in real concurrent PostgreSQL sessions: no overspend, no duplicate number."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from accounts.roles import Role
from applications.models import Application
from grants.decisions.selectors import call_committed
from grants.decisions.services import grant_approve
from grants.exceptions import BudgetExceeded
from grants.models import Grant
from tests.factories import CallFactory, UserFactory, recommended_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def approve_all_at_once(applications: list[Application]) -> dict[int, str]:
    """Each application approved by its own approver in its own thread and database session, all released
    together by a barrier. Returns application id → agreement number or the refusal's message."""
    approvers = [UserFactory(role=Role.APPROVER) for _ in applications]
    barrier = threading.Barrier(len(applications))
    outcomes: dict[int, str] = {}

    def approve(application: Application, approver) -> None:
        try:
            application = Application.objects.get(pk=application.pk)
            barrier.wait(timeout=30)
            with translation.override("en"):  # a thread starts in the default language
                outcomes[application.pk] = grant_approve(application=application, actor=approver).agreement_number
        except BudgetExceeded as refused:
            outcomes[application.pk] = refused.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(application, approver))
        for application, approver in zip(applications, approvers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_approvals_never_exceed_the_envelope():
    call = CallFactory(budget_envelope=Decimal("7000.00"), cycle_year=2021, reference_prefix="1P1")
    applications = [recommended_application(call=call, grant=Decimal("3000.00")) for _ in range(6)]

    outcomes = approve_all_at_once(applications)

    numbers = sorted(outcome for outcome in outcomes.values() if outcome.startswith("UA-"))
    refusals = [outcome for outcome in outcomes.values() if not outcome.startswith("UA-")]
    assert numbers == ["UA-1P1-2021-0001", "UA-1P1-2021-0002"]
    assert len(refusals) == 4
    assert all(
        refusal.endswith(
            "needs USD 3,000.00 but only USD 1,000.00 of the call's budget remains "
            "(envelope USD 7,000.00, committed USD 6,000.00)."
        )
        for refusal in refusals
    )
    assert call_committed(call) == Decimal("6000.00")
    assert Grant.objects.filter(call=call).count() == 2


def test_concurrent_approvals_number_agreements_without_gaps_or_duplicates():
    call = CallFactory(budget_envelope=Decimal("100000.00"), cycle_year=2021, reference_prefix="1P1")
    applications = [recommended_application(call=call, grant=Decimal("1000.00")) for _ in range(8)]

    outcomes = approve_all_at_once(applications)

    assert sorted(outcomes.values()) == [f"UA-1P1-2021-{n:04d}" for n in range(1, 9)]
    assert sorted(Grant.objects.values_list("sequence", flat=True)) == list(range(1, 9))
