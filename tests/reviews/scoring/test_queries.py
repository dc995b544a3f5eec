"""The reviewer's dashboard and the chair's page run the same number of queries for 1 and 20 applications."""

from decimal import Decimal

import pytest

from reviews.models import Criterion
from reviews.rubrics.services import rubric_create_default
from reviews.scoring import services
from tests.conftest import one_and_many, url
from tests.factories import DefenseSessionFactory, DefenseSlotFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    """A session with three panel members (the first also chairs another session) and the default rubric."""
    session = DefenseSessionFactory()
    rubric_create_default(call=session.call)
    members = [PanelMemberFactory(session=session).reviewer for _ in range(3)]
    DefenseSessionFactory(call=session.call, chair=members[0])
    return session, members


def scheduled(session, members, number: int) -> None:
    """An application in the session: declared and submitted by one member, in draft by one, recused by one."""
    application = DefenseSlotFactory(session=session).application
    scores = {c.pk: (Decimal(number % 10), "") for c in Criterion.objects.filter(rubric__call=session.call)}
    first, second, third = members
    for reviewer in (first, second):
        services.conflict_declare(application=application, reviewer=reviewer, conflicted=False)
        services.score_save(application=application, reviewer=reviewer, scores=scores)
    services.score_submit(application=application, reviewer=first)
    services.conflict_declare(application=application, reviewer=third, conflicted=True, reason="Сусід")


@one_and_many(20)
def test_reviewer_dashboard(client, page_queries, session, size):
    session, members = session
    client.force_login(members[0])
    for number in range(size):
        scheduled(session, members, number + 1)

    page_queries(7, url("reviewing:home"))


@one_and_many(20)
def test_chair_page_and_its_progress_partial(client, page_queries, session, size):
    session, members = session
    client.force_login(session.chair)
    for number in range(size):
        scheduled(session, members, number + 1)

    page_queries(9, url("reviewing:chair", session.pk))
    page_queries(9, url("reviewing:chair_progress", session.pk))
