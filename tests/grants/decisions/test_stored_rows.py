"""The "to decide" tab reads the same rows from the stored ranking as from the computed one: the oblast, the own
contribution, the two-person mark (a move, a promotion or a confirmation of the viewer's) and the position in the
confirmed ranking, which the stored page reads in its rows' query and one look at the confirmations."""

from decimal import Decimal

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus
from grants.enums import DecisionOutcome
from grants.models import Decision
from reviews.models import ConfirmationRole, RankingConfirmation
from reviews.ranking.services import ranking_store
from tests.conftest import shown_by
from tests.factories import StatusChangeFactory, UserFactory
from tests.grants.conftest import page, recommended

S = ApplicationStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "eager_tasks")]


def shown_rows(response) -> list[tuple]:
    return [
        (row.application.reference, row.position, row.region_label, row.own_counted, row.recommended_by_viewer)
        for row in response.context["decisions"].rows
    ]


def test_the_stored_rows_read_as_the_computed_ones(client, call, approver):
    moved, promoted, confirmed, nobody = (
        recommended(call, name, region=region, grant=Decimal("1000.00"))
        for name, region in (("Бондар", "lviv"), ("Коваль", "odesa"), ("Шевчук", "odesa"), ("Ткач", "lviv"))
    )
    StatusChangeFactory(application=moved, from_status=S.DEFENDED, to_status=S.RECOMMENDED, actor=approver)
    Decision.objects.create(application=promoted, outcome=DecisionOutcome.PROMOTED, decided_by=approver)
    RankingConfirmation.objects.create(
        call=call,
        role=ConfirmationRole.CHAIR,
        confirmed_by=approver,
        snapshot=[{"reference": confirmed.reference, "outcome": "recommended"}],
    )
    # The ranking another person confirmed and applied, in its own order: the positions the page shows.
    RankingConfirmation.objects.create(
        call=call,
        role=ConfirmationRole.OFFICER,
        confirmed_by=UserFactory(),
        applied_at=timezone.now(),
        snapshot=[{"reference": a.reference, "outcome": "recommended"} for a in (nobody, confirmed, promoted, moved)],
    )

    computed = page(client, approver, "grants:call_decisions", call.pk)
    ranking_store(call_id=call.pk)
    stored = page(client, approver, "grants:call_decisions", call.pk)

    assert stored.context["decisions"].call.ranking_fresh and not computed.context["decisions"].call.ranking_fresh
    assert shown_rows(stored) == shown_rows(computed)
    assert {reference: (position, mark) for reference, position, _, _, mark in shown_rows(stored)} == {
        nobody.reference: (1, False),
        confirmed.reference: (2, True),
        promoted.reference: (3, True),
        moved.reference: (4, True),
    }
    assert shown_by(stored, "recommended-by-you") == ["you recommended this"] * 3
    assert {region for _, _, region, _, _ in shown_rows(stored)} == {"Lviv oblast", "Odesa oblast"}
    assert all(own is not None for _, _, _, own, _ in shown_rows(stored))
