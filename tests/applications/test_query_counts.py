"""Every list page runs the same number of queries for one item as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.models import PriorityGroup
from tests.factories import CallFactory, MessageFactory, UserFactory, declare_priority_groups, submitted_application

pytestmark = pytest.mark.django_db


def queries_for(client, name, *args) -> int:
    with translation.override("en"):
        path = reverse(name, args=args)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def with_priority_groups(application):
    return declare_priority_groups(application, *PriorityGroup.objects.values_list("code", flat=True)[:2])


def test_public_call_list(client):
    CallFactory().priority_groups.set(PriorityGroup.objects.all())
    one = queries_for(client, "applications:call_list")
    for _ in range(9):
        CallFactory().priority_groups.set(PriorityGroup.objects.all())
    many = queries_for(client, "applications:call_list")

    assert (one, many) == (2, 2)


def test_applicant_dashboard(client):
    applicant = UserFactory()
    client.force_login(applicant)
    MessageFactory(application=submitted_application(applicant=applicant))
    one = queries_for(client, "dashboard")
    for _ in range(9):
        MessageFactory(application=submitted_application(applicant=applicant))
    many = queries_for(client, "dashboard")

    assert (one, many) == (6, 6)


def test_staff_dashboard(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    submitted_application(call=CallFactory())
    one = queries_for(client, "staff:dashboard")
    for _ in range(9):
        submitted_application(call=CallFactory())
    many = queries_for(client, "staff:dashboard")

    assert (one, many) == (4, 4)


def test_screening_queue(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    call = CallFactory()
    with_priority_groups(submitted_application(call=call))
    one = queries_for(client, "staff:queue", call.pk)
    for _ in range(24):
        with_priority_groups(submitted_application(call=call))
    many = queries_for(client, "staff:queue", call.pk)

    assert (one, many) == (8, 8)


def test_erasure_queue(client):
    from applications.models import ErasureRequest

    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    ErasureRequest.objects.create(user=UserFactory())
    one = queries_for(client, "privacy:erasure_queue")
    for _ in range(9):
        ErasureRequest.objects.create(user=UserFactory())
    many = queries_for(client, "privacy:erasure_queue")

    assert (one, many) == (4, 4)


def test_the_persons_data_page(client):
    applicant = UserFactory()
    client.force_login(applicant)
    submitted_application(applicant=applicant)
    one = queries_for(client, "privacy:my_data")
    for _ in range(4):
        submitted_application(applicant=applicant)
    many = queries_for(client, "privacy:my_data")

    assert (one, many) == (8, 8)
