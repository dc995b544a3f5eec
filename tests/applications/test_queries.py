"""The public call list and the applicant's dashboard run the same number of queries for one item as for many."""

import pytest

from applications.models import PriorityGroup
from tests.conftest import one_and_many, url
from tests.factories import CallFactory, MessageFactory, UserFactory, submitted_application

pytestmark = pytest.mark.django_db


@one_and_many(10)
def test_public_call_list(page_queries, size):
    for _ in range(size):
        CallFactory().priority_groups.set(PriorityGroup.objects.all())

    page_queries(2, url("applications:call_list"))


@one_and_many(10)
def test_applicant_dashboard(client, page_queries, size):
    applicant = UserFactory()
    client.force_login(applicant)
    for _ in range(size):
        MessageFactory(application=submitted_application(applicant=applicant))

    page_queries(8, url("dashboard"))  # + the defense slots and the consultants


@one_and_many(5)
def test_the_persons_data_page(client, page_queries, size):
    applicant = UserFactory()
    client.force_login(applicant)
    for _ in range(size):
        submitted_application(applicant=applicant)

    page_queries(8, url("privacy:my_data"))
