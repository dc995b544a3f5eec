"""The stored ranking's recomputation running while an approval is in flight, in two real PostgreSQL sessions:
neither waits for the other in a cycle, and the stored rows are never read as fresh after a change they miss.

The interleaving is forced, not hoped for: the approval's transaction locks the call's row first (as every
approval does); the recomputation then runs in a transaction that stays open, holding whatever it locked,
while the approval marks the ranking stale and commits; only then (or once the approval is seen waiting for a
lock) does the recomputation commit, which is where PostgreSQL checks foreign keys. Before the fix the
approval waited for the recomputation's state row and the recomputation's COMMIT for the approval's call row:
PostgreSQL reported the deadlock and failed one of them."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from grants.decisions.services import grant_approve
from reviews.ranking.models import RankedApplication
from reviews.ranking.selectors import fresh_state
from reviews.ranking.services import ranking_store
from tests.factories import CallFactory, UserFactory, recommended_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_stray_tasks():
    """The changes made here queue recomputations on the broker; no worker runs them in these tests."""
    yield
    from onepluone.celery import app

    app.control.purge()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def test_an_approval_and_a_recomputation_at_the_same_time_both_finish():
    call = CallFactory(budget_envelope=Decimal("100000.00"), cycle_year=2021, reference_prefix="RC")
    applications = [recommended_application(call=call, grant=Decimal("1000.00")) for _ in range(3)]
    approver = UserFactory(role=Role.APPROVER)
    ranking_store(call_id=call.pk)
    applications.append(recommended_application(call=call, grant=Decimal("1000.00")))  # stale again
    assert fresh_state(call) is None

    locked, stored, approved = threading.Event(), threading.Event(), threading.Event()
    approval_pid: list[int] = []
    errors: dict[str, BaseException] = {}

    def approve() -> None:
        try:
            approval_pid.append(backend_pid())
            with translation.override("en"), transaction.atomic():
                Call.objects.select_for_update().get(pk=call.pk)  # what grant_approve locks first
                locked.set()
                assert stored.wait(timeout=30)
                grant_approve(application=applications[0], actor=approver)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors["approval"] = error
        finally:
            approved.set()
            connection.close()

    def recompute() -> None:
        try:
            assert locked.wait(timeout=30)
            with transaction.atomic():
                ranking_store(call_id=call.pk)
                stored.set()
                # Hold the recomputation's locks until the approval is done or waits for them.
                deadline = time.monotonic() + 30
                while not approved.is_set() and not waits_for_a_lock(approval_pid[0]):
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors["recomputation"] = error
        finally:
            stored.set()
            connection.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=recompute)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == {}
    assert Application.objects.get(pk=applications[0].pk).status == ApplicationStatus.APPROVED
    # The recomputation read the ranking before the approval committed: its rows are not fresh.
    assert fresh_state(call) is None
    ranking_store(call_id=call.pk)
    assert fresh_state(call) is not None
    assert set(RankedApplication.objects.filter(call=call).values_list("application_id", flat=True)) == {
        application.pk for application in applications[1:]
    }
