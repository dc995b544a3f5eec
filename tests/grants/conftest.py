"""The staff every grants test needs: an approver (who signs letters) and a programme officer."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def approver():
    return UserFactory(role=Role.APPROVER, first_name="Марта", last_name="Коваль")


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROGRAMME_OFFICER)
