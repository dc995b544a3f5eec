"""The reports run the same number of queries for one programme's data as for three."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory
from tests.reports.programme import build

pytestmark = pytest.mark.django_db
SIZES = [1, 3]


@pytest.fixture
def donor(client):
    client.force_login(UserFactory(role=Role.DONOR_AUDITOR))


def programmes(size: int) -> None:
    for _ in range(size):
        build()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "query", "expected"), [("dashboard", {}, 18), ("map", {"measure": "grants"}, 18)])
def test_dashboard_and_map(client, donor, django_assert_num_queries, size, name, query, expected):
    programmes(size)

    with django_assert_num_queries(expected):
        assert client.get(reverse(f"reports:{name}"), query).status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("kind", "expected"), [("applications", 8), ("grants", 8), ("procurement", 7), ("monitoring", 8), ("dashboard", 19)]
)
def test_pseudonymised_exports(client, donor, django_assert_num_queries, size, kind, expected):
    programmes(size)

    with django_assert_num_queries(expected):
        response = client.post(reverse("reports:export_pseudonymised"), {"kind": kind, "file_format": "xlsx"})
    assert response.status_code == 200
