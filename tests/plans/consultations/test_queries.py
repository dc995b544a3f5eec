"""The consultation pages run the same number of queries for one applicant as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from plans.consultations import selectors
from plans.enums import VersionStatus
from plans.models import PlanComment
from tests.factories import (
    CallFactory,
    ConsultantAssignmentFactory,
    ConsultationSessionFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
)

pytestmark = pytest.mark.django_db


def queries_for(client, name, *args) -> int:
    with translation.override("en"):
        path = reverse(name, args=args)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def consulted(consultant, **kwargs):
    """A shortlisted application of this consultant with a plan version, a session and a comment."""
    application = shortlisted_application(**kwargs)
    ConsultantAssignmentFactory(application=application, consultant=consultant)
    version = PlanVersionFactory(plan__application=application)
    ConsultationSessionFactory(application=application, consultant=consultant)
    PlanComment.objects.create(version=version, author=consultant, body="Уточніть ціни.")
    return application


def test_consultant_home(client):
    consultant = UserFactory(role=Role.CONSULTANT)
    client.force_login(consultant)
    consulted(consultant)
    one = queries_for(client, "consultations:home")
    for _ in range(19):
        consulted(consultant)
    many = queries_for(client, "consultations:home")

    assert (one, many) == (4, 4)


def test_officer_assignment_page(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    call = CallFactory()
    consultants = UserFactory.create_batch(3, role=Role.CONSULTANT)
    consulted(consultants[0], call=call)
    one = queries_for(client, "consultations:assign", call.pk)
    for number in range(19):
        if number % 2:
            consulted(consultants[number % 3], call=call)
        else:
            shortlisted_application(call=call)
    many = queries_for(client, "consultations:assign", call.pk)

    assert (one, many) == (6, 6)


def test_consultant_application_page(client):
    consultant = UserFactory(role=Role.CONSULTANT)
    client.force_login(consultant)
    application = consulted(consultant)
    one = queries_for(client, "consultations:application", application.pk)
    versions = [
        PlanVersionFactory(plan=application.business_plan, number=number, status=VersionStatus.RETURNED)
        for number in (2, 3)
    ]
    for version in versions:
        PlanComment.objects.bulk_create(
            PlanComment(version=version, author=consultant, body=f"Коментар {n}") for n in range(10)
        )
    ConsultationSessionFactory.create_batch(19, application=application, consultant=consultant)
    many = queries_for(client, "consultations:application", application.pk)

    assert (one, many) == (11, 11)


def test_applicant_consultations_run_three_queries_whatever_their_number(django_assert_num_queries):
    consultant = UserFactory(role=Role.CONSULTANT)
    small = consulted(consultant)
    large = consulted(consultant)
    version = large.business_plan.versions.get()
    ConsultationSessionFactory.create_batch(19, application=large, consultant=consultant)
    PlanComment.objects.bulk_create(
        PlanComment(version=version, author=consultant, body=f"Коментар {n}", created_at=timezone.now())
        for n in range(19)
    )

    with django_assert_num_queries(3):
        few = selectors.consultations_for_applicant(small)
    with django_assert_num_queries(3):
        many = selectors.consultations_for_applicant(large)

    assert (len(few.sessions), len(few.comments), len(many.sessions), len(many.comments)) == (1, 1, 20, 20)
