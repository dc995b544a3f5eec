"""The call's decisions page a page at a time: fifty rows in rank order, filters, and bulk approval that
still takes every recommended application in rank order, whichever page is shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason
from reviews.ranking.services import ranking_store
from tests.conftest import shown_by
from tests.factories import CallFactory
from tests.grants.conftest import page, recommended

S = ApplicationStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "eager_tasks")]


@pytest.fixture
def big_call():
    """53 recommended applications (grant 1,000 each) and 2 waitlisted, with a budget for 54 grants."""
    call = CallFactory(reference_prefix="PG", cycle_year=2021, budget_envelope=Decimal("54000.00"))
    made = [recommended(call, f"Бондар{n:02d}", grant=Decimal("1000.00"), region="lviv") for n in range(53)]
    made += [recommended(call, "Шевчук", status=S.WAITLISTED, grant=Decimal("1000.00"), region="odesa")]
    made += [recommended(call, "Шевчук", status=S.WAITLISTED, grant=Decimal("1000.00"), region="odesa")]
    return call, made


@pytest.mark.parametrize("stored", [False, True], ids=["computed", "stored"])
def test_the_decisions_page_shows_fifty_rows_a_page_and_filters(client, approver, big_call, stored):
    call, made = big_call
    if stored:
        ranking_store(call_id=call.pk)

    first = page(client, approver, "grants:call_decisions", call.pk)
    second = page(client, approver, "grants:call_decisions", call.pk, data={"page": "2"})
    waitlisted = page(client, approver, "grants:call_decisions", call.pk, data={"status": "waitlisted"})
    by_name = page(client, approver, "grants:call_decisions", call.pk, data={"q": "шевч", "region": "odesa"})
    bad = page(client, approver, "grants:call_decisions", call.pk, data={"status": "approved", "region": "mars"})

    assert len(first.context["decisions"].rows) == 50
    assert [row.position for row in second.context["decisions"].rows] == [51, 52, 53, 54, 55]
    assert [row.status for row in waitlisted.context["decisions"].rows] == [S.WAITLISTED, S.WAITLISTED]
    assert [row.application.pk for row in by_name.context["decisions"].rows] == [made[53].pk, made[54].pk]
    assert len(bad.context["decisions"].rows) == 50  # unknown filter values are ignored, not a 500
    # The budget figures stand on every waiting application, not on the page shown.
    assert second.context["decisions"].recommended_total == Decimal("53000.00")
    assert second.context["decisions"].promotion.application == made[53]


@pytest.mark.parametrize("stored", [False, True], ids=["computed", "stored"])
def test_bulk_approval_takes_every_page_in_rank_order(client, approver, big_call, stored):
    call, made = big_call
    if stored:
        ranking_store(call_id=call.pk)
    client.force_login(approver)

    client.get(reverse("grants:call_decisions", args=[call.pk]), {"page": "2"})
    client.post(reverse("grants:approve_bulk", args=[call.pk]), {})

    approved = Application.objects.filter(call=call, status=S.APPROVED)
    assert approved.count() == 53
    assert sorted(approved.values_list("grant__rank", flat=True)) == list(range(1, 54))


def test_each_tab_shows_one_list_a_page_at_a_time_and_counts_them_all(client, approver, big_call):
    call, made = big_call
    for application in made[:51]:
        grant_approve(application=application, actor=approver)
    grant_decline(application=made[51], actor=approver, reason=DeclineReason.SCORE)

    grants = page(client, approver, "grants:call_decisions", call.pk, data={"tab": "grants"})
    last = page(client, approver, "grants:call_decisions", call.pk, data={"tab": "grants", "page": "2"})
    declined = page(client, approver, "grants:call_decisions", call.pk, data={"tab": "declined"})
    unknown = page(client, approver, "grants:call_decisions", call.pk, data={"tab": "everything", "page": "x"})

    assert shown_by(grants, "tab-count") == ["3", "51", "1"]  # to decide, approved, declined
    assert (len(shown_by(grants, "grant-row")), shown_by(grants, "decision-row")) == (50, [])
    assert shown_by(last, "agreement-number") == ["UA-PG-2021-0051"]
    assert shown_by(declined, "declined-row") != [] and shown_by(declined, "grant-row") == []
    assert shown_by(declined, "letters-decline") == ["Decided: 1 · with a ready letter: 0 · without: 1"]
    assert unknown.context["tab"] == "decide" and len(shown_by(unknown, "decision-row")) == 3
