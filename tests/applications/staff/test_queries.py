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

    page_queries(8, url("staff:queue", call.pk))


@one_and_many(10)
def test_erasure_queue(officer_client, page_queries, size):
    for _ in range(size):
        erasure_request_create(user=UserFactory())

    page_queries(4, url("privacy:erasure_queue"))
