"""The staff dashboard and the screening queue run the same number of queries for one application as for many."""

import pytest

from applications.models import PriorityGroup
from applications.privacy.services import erasure_request_create
from tests.conftest import one_and_many, url
from tests.factories import CallFactory, UserFactory, declare_priority_groups, submitted_application

pytestmark = pytest.mark.django_db


@one_and_many(10)
def test_staff_dashboard(officer_client, page_queries, size):
    for _ in range(size):
        submitted_application(call=CallFactory())

    page_queries(4, url("staff:dashboard"))


@one_and_many(25)
def test_screening_queue(officer_client, page_queries, size):
    call = CallFactory()
    for _ in range(size):
        declare_priority_groups(
            submitted_application(call=call), *PriorityGroup.objects.values_list("code", flat=True)[:2]
        )

    # The page's ids, then its rows (common.pagination); the priority groups once, for the rows and the filter.
    page_queries(8, url("staff:queue", call.pk))


@one_and_many(60)
@pytest.mark.parametrize("params", [{"page": "2"}, {"q": "шевч"}, {"ordering": "-last_name", "region": "lviv"}])
def test_screening_queue_deep_filtered_and_searched(officer_client, page_queries, size, params):
    call = CallFactory()
    for _ in range(size):
        submitted_application(call=call, last_name="Шевчук", region="lviv")

    page_queries(8, url("staff:queue", call.pk), **params)


@one_and_many(10)
def test_erasure_queue(officer_client, page_queries, size):
    for _ in range(size):
        erasure_request_create(user=UserFactory())

    page_queries(4, url("privacy:erasure_queue"))
