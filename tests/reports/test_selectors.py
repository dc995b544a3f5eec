"""The dashboard's aggregates equal the figures computed by hand in tests/reports/programme.py."""

from decimal import Decimal

import pytest

from applications.enums import Gender, Region, Sector
from monitoring.enums import AgeBand as JobAgeBand
from reports import selectors
from reports.enums import AgeBand, Dimension
from tests.reports.programme import build

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme():
    return build()


def test_the_funnel_counts_every_stage_reached(programme):
    counts = selectors.funnel_counts(selectors.calls_in_scope(programme.call_a))

    assert list(counts.values()) == [7, 5, 5, 5, 4, 4, 2, 1]


def test_the_funnel_across_calls_adds_the_other_call(programme):
    counts = selectors.funnel_counts(selectors.calls_in_scope(None))

    assert list(counts.values()) == [8, 5, 5, 5, 4, 4, 2, 1]


def test_applications_and_grants_by_oblast(programme):
    by_region = selectors.breakdowns(selectors.calls_in_scope(programme.call_a))[Dimension.REGION]

    assert {k: v for k, v in by_region.applications.items() if v} == {Region.LVIV: 5, Region.ODESA: 2}
    assert {k: v for k, v in by_region.grants.items() if v} == {Region.LVIV: 3, Region.ODESA: 1}
    assert by_region.grant_usd[Region.LVIV] == D("9500.00")
    assert by_region.own_usd[Region.LVIV] == D("11000.00")


def test_applications_by_gender_sector_and_age_band(programme):
    found = selectors.breakdowns(selectors.calls_in_scope(programme.call_a))

    assert found[Dimension.GENDER].applications == {Gender.FEMALE: 4, Gender.MALE: 2, Gender.UNDISCLOSED: 1}
    assert found[Dimension.GENDER].grant_usd[Gender.MALE] == D("5500.00")
    assert found[Dimension.SECTOR].applications == {
        Sector.AGRICULTURE: 3,
        Sector.SERVICES: 2,
        Sector.INDUSTRY: 1,
        Sector.CONSTRUCTION: 1,
    }
    assert found[Dimension.AGE_BAND].applications == {
        AgeBand.UNDER_25: 1,
        AgeBand.FROM_25: 2,
        AgeBand.FROM_35: 1,
        AgeBand.FROM_45: 2,
        AgeBand.FROM_55: 1,
    }
    assert found[Dimension.PRIORITY_GROUP].applications == {"idp": 1, "returned_migrant": 2, "veteran": 1}
    assert found[Dimension.PRIORITY_GROUP].grants == {"idp": 1, "returned_migrant": 2, "veteran": 1}


def test_budget_delivery_and_own_contribution_per_call(programme):
    money = {row.call.pk: row for row in selectors.money_by_call(selectors.calls_in_scope(None))}
    a, b = money[programme.call_a.pk], money[programme.call_b.pk]

    assert (a.envelope, a.n_grants, a.committed) == (D("100000.00"), 4, D("11000.00"))
    assert (a.n_delivered, a.delivered) == (2, D("5450.00"))
    assert (a.own_declared, a.n_verified, a.own_verified, a.grant_verified) == (
        D("12500.00"),
        2,
        D("6000.00"),
        D("5450.00"),
    )
    assert (b.n_grants, b.committed, b.delivered, b.own_declared) == (0, D("0.00"), D("0.00"), D("0.00"))


def test_jobs_planned_and_created(programme):
    jobs = selectors.jobs(selectors.calls_in_scope(programme.call_a))

    assert (jobs.planned_total, jobs.planned_women, jobs.planned_youth, jobs.n_grants) == (10, 5, 2, 4)
    assert jobs.n_reporting == 2
    assert jobs.created == {
        (Gender.FEMALE, JobAgeBand.UNDER_35): 2,
        (Gender.FEMALE, JobAgeBand.FROM_55): 1,
        (Gender.MALE, JobAgeBand.FROM_35_TO_54): 1,
        (Gender.MALE, JobAgeBand.UNDER_35): 2,
    }
