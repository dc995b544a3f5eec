"""A call with the default rubric, a defense session of it and a panel of three reviewers."""

from decimal import Decimal

import pytest

from reviews.rubrics.services import rubric_create_default
from tests.factories import CallFactory, DefenseSessionFactory, PanelMemberFactory


@pytest.fixture
def call():
    return CallFactory(reference_prefix="RK", budget_envelope=Decimal("10000.00"))


@pytest.fixture
def session(call):
    rubric_create_default(call=call)
    return DefenseSessionFactory(call=call)


@pytest.fixture
def reviewers(session):
    return [PanelMemberFactory(session=session).reviewer for _ in range(3)]
