"""Monitoring's lists run the same number of queries for one grant as for many."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from monitoring.enums import CaseSource
from monitoring.field.services import case_open, sample_draw
from monitoring.services import report_accept, report_save, report_submit
from tests.factories import CallFactory
from tests.factories.after_award import handed_over_grant

pytestmark = pytest.mark.django_db


def handed_over(call, officer, count: int):
    """Each with its first report accepted (jobs in two cells) and a retention case open."""
    for _ in range(count):
        grant = handed_over_grant(officer=officer, call=call)
        report = grant.monitoring_reports.order_by("months_after").first()
        applicant = grant.application.applicant
        report_save(
            report=report,
            actor=applicant,
            fields={"business_operating": True, "equipment_in_use": True, "revenue_band": "under_100k"},
            jobs={("female", "under_35"): 1, ("male", "55_plus"): 2},
        )
        report_submit(report=report, actor=applicant)
        report_accept(report=report, actor=officer)
        case_open(grant=grant, actor=officer, source=CaseSource.OFFICER, reason="Перевірити")


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.parametrize("size", [1, 4])
def test_the_reports_list(client, officer, django_assert_num_queries, size):
    handed_over(CallFactory(), officer, size)
    client.force_login(officer)

    with django_assert_num_queries(6):
        assert client.get(url("monitoring:reports")).status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_the_retention_cases(client, officer, django_assert_num_queries, size):
    handed_over(CallFactory(), officer, size)
    client.force_login(officer)

    with django_assert_num_queries(5):
        assert client.get(url("monitoring:cases") + "?status=").status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_plan_versus_actual_and_the_samples(client, officer, django_assert_num_queries, size):
    call = CallFactory()
    handed_over(call, officer, size)
    sample_draw(call=call, actor=officer, confidence=Decimal("0.95"), margin=Decimal("0.05"), seed=7)
    client.force_login(officer)

    with django_assert_num_queries(7):
        assert client.get(url("monitoring:plan_vs_actual", call.pk)).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(url("monitoring:samples")).status_code == 200
