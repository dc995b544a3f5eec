import pytest

from accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROGRAMME_OFFICER, first_name="Оксана", last_name="Коваль")


@pytest.fixture
def approver():
    return UserFactory(role=Role.APPROVER, first_name="Андрій", last_name="Мельник")
