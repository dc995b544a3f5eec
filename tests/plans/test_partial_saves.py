"""A refused or partial save of a business plan keeps every part stored before (rows compared)."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from plans.models import PlanVersion
from tests.factories import PlanVersionFactory
from tests.plans.posting import plan_post_data

pytestmark = pytest.mark.django_db


def url(version):
    with translation.override("en"):
        return reverse("plans:plan_edit", args=[version.plan.application.pk])


def stored(version) -> tuple:
    row = model_to_dict(PlanVersion.objects.get(pk=version.pk), exclude=["pdf"])
    return row, list(version.equipment_lines.values()), list(version.contribution_lines.values())


@pytest.mark.parametrize("action", ["save", "autosave"])
def test_a_post_with_one_bad_number_and_nothing_else_keeps_the_whole_plan(client, action):
    version = PlanVersionFactory(complete=True)
    client.force_login(version.plan.application.applicant)
    before = stored(version)

    response = client.post(url(version), {"jobs_total": "-3", "action": action})

    assert response.status_code == 200
    assert stored(version) == before


def test_a_refused_month_keeps_its_figure_and_the_valid_months_are_saved(client):
    version = PlanVersionFactory(complete=True)
    client.force_login(version.plan.application.applicant)

    client.post(url(version), plan_post_data(version, revenue_1="50000", costs_2="not a number", action="save"))

    version.refresh_from_db()
    assert version.projection[0] == {"revenue": "50000", "costs": "30000.00"}
    assert version.projection[1] == {"revenue": "40000.00", "costs": "30000.00"}


def test_a_refused_section_keeps_its_text_while_the_rest_is_saved(client):
    version = PlanVersionFactory(complete=True)
    client.force_login(version.plan.application.applicant)
    summary_before = version.summary

    client.post(url(version), {"market": "Кав'ярні Жовкви", "jobs_total": "2", "jobs_women": "5", "action": "save"})

    version.refresh_from_db()
    assert (version.market, version.summary, version.jobs_total, version.jobs_women) == (
        "Кав'ярні Жовкви",
        summary_before,
        2,
        2,
    )


def test_an_autosave_answers_with_what_is_still_needed_so_the_summary_follows():
    from django.test import Client

    client = Client()
    version = PlanVersionFactory(complete=True)
    client.force_login(version.plan.application.applicant)

    emptied = client.post(url(version), plan_post_data(version, action="autosave", risks="", jobs_total=""))
    filled = client.post(url(version), plan_post_data(version, action="autosave", risks="Сезонність", jobs_total="2"))

    assert emptied.json()["missing"] == ["Risks and how you will handle them", "the number of jobs to be created"]
    assert "missing" in filled.json() and "Risks and how you will handle them" not in filled.json()["missing"]
