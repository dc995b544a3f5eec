"""The consultation pages run the same number of queries for one applicant as for many."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from plans.consultations import selectors
from plans.models import PlanComment
from tests.conftest import one_and_many, url
from tests.factories import (
    CallFactory,
    ConsultantAssignmentFactory,
    ConsultationSessionFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
)

pytestmark = pytest.mark.django_db


def consulted(consultant, **kwargs):
    """A shortlisted application of this consultant with a plan version, a session and a comment."""
    application = shortlisted_application(**kwargs)
    ConsultantAssignmentFactory(application=application, consultant=consultant)
    version = PlanVersionFactory(plan__application=application)
    ConsultationSessionFactory(application=application, consultant=consultant)
    PlanComment.objects.create(version=version, author=consultant, body="Уточніть ціни.")
    return application


@one_and_many(20)
def test_consultant_home(client, page_queries, size):
    consultant = UserFactory(role=Role.CONSULTANT)
    client.force_login(consultant)
    for _ in range(size):
        consulted(consultant)

    page_queries(4, url("consultations:home"))


@one_and_many(20)
def test_officer_assignment_page(officer_client, page_queries, size):
    call = CallFactory()
    consultants = UserFactory.create_batch(3, role=Role.CONSULTANT)
    consulted(consultants[0], call=call)
    for number in range(size - 1):
        if number % 2:
            consulted(consultants[number % 3], call=call)
        else:
            shortlisted_application(call=call)

    page_queries(6, url("consultations:assign", call.pk))


@one_and_many(20)
def test_consultant_application_page(client, page_queries, size):
    """One version with one session and one comment; many: two returned versions of ten comments more, and
    twenty sessions."""
    consultant = UserFactory(role=Role.CONSULTANT)
    client.force_login(consultant)
    application = consulted(consultant)
    if size > 1:
        for number in (2, 3):
            version = PlanVersionFactory(plan=application.business_plan, number=number, returned=True)
            PlanComment.objects.bulk_create(
                PlanComment(version=version, author=consultant, body=f"Коментар {n}") for n in range(10)
            )
        ConsultationSessionFactory.create_batch(size - 1, application=application, consultant=consultant)

    page_queries(11, url("consultations:application", application.pk))


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
