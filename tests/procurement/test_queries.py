"""Procurement's lists run the same number of queries for one grant as for many."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from procurement.contributions.services import proof_verify
from procurement.services import item_record_cost, procurement_open
from tests.factories import CallFactory
from tests.factories.after_award import awarded_grant

pytestmark = pytest.mark.django_db
ON = date(2025, 3, 14)


def grants_in(call, officer, count: int):
    """Each with two items, one with an overrun waiting, and a partly verified contribution (a shortfall)."""
    grants = []
    for _ in range(count):
        grant = awarded_grant(call=call, equipment=(("Піч", 1, Decimal("2000.00")), ("Тістоміс", 2, Decimal("500.00"))))
        procurement_open(grant=grant, actor=officer)
        item_record_cost(
            item=grant.procurement_items.first(), actor=officer, amount=Decimal("2500"), currency="USD", on=ON
        )
        proof_verify(
            proof=grant.contribution_proofs.get(), actor=officer, amount=Decimal("1000"), currency="USD", on=ON
        )
        grants.append(grant)
    return grants


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.parametrize("size", [1, 6])
def test_the_calls_items_list(client, officer, django_assert_num_queries, size):
    call = CallFactory()
    grants_in(call, officer, size)
    client.force_login(officer)

    with django_assert_num_queries(9):
        assert client.get(url("procurement:call_items", call.pk)).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_calls_in_procurement(client, officer, django_assert_num_queries, size):
    for _ in range(size):
        grants_in(CallFactory(), officer, 1)
    client.force_login(officer)

    with django_assert_num_queries(6):
        assert client.get(url("procurement:calls")).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_approvers_confirmations(client, officer, approver, django_assert_num_queries, size):
    grants_in(CallFactory(), officer, size)
    client.force_login(approver)

    with django_assert_num_queries(9):
        assert client.get(url("procurement:confirmations")).status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_the_participants_dashboard_with_grants(client, officer, django_assert_num_queries, size):
    grants = grants_in(CallFactory(), officer, 1)
    applicant = grants[0].application.applicant
    for _ in range(size - 1):
        grant = awarded_grant(applicant=applicant)
        procurement_open(grant=grant, actor=officer)
    client.force_login(applicant)

    with django_assert_num_queries(12):
        assert client.get(url("dashboard")).status_code == 200
