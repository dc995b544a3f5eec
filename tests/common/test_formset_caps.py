"""No request can make the server build thousands of forms: every formset caps its size."""

import importlib
import inspect
from pathlib import Path

import pytest
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from django.utils import translation

from applications.models import EquipmentItem
from tests.factories import ApplicationFactory, EquipmentItemFactory, PlanVersionFactory
from tests.plans.posting import plan_post_data

ROOT = Path(__file__).resolve().parents[2]
HUGE = "100000"


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def formset_classes():
    for path in sorted(ROOT.glob("*/**/*forms*.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseFormSet) and hasattr(value, "form"):
                yield f"{module.__name__}.{name}", value


def test_every_formset_builds_no_more_forms_than_it_accepts():
    caps = {name: (formset.max_num, formset.absolute_max) for name, formset in formset_classes()}

    assert caps == {
        "applications.forms.EquipmentFormSet": (30, 30),
        "plans.forms.ContributionLineFormSet": (20, 20),
        "plans.forms.EquipmentLineFormSet": (40, 40),
    }


@pytest.mark.django_db
def test_a_money_step_claiming_100000_equipment_rows_is_refused_with_a_message_and_keeps_the_list(client):
    application = ApplicationFactory()
    EquipmentItemFactory(application=application, name="Сироварня")
    client.force_login(application.applicant)

    response = client.post(
        url("applications:application_step", application.pk, "money"),
        {
            "own_contribution_amount": "3000",
            "own_contribution_currency": "USD",
            "equipment-TOTAL_FORMS": HUGE,
            "equipment-INITIAL_FORMS": "0",
            "equipment-0-name": "Піч",
            "equipment-0-quantity": "1",
            "equipment-0-estimated_unit_price": "100",
            "equipment-0-currency": "USD",
            "action": "next",
        },
    )

    formset = response.context["formset"]
    assert (response.status_code, len(formset.forms)) == (200, 30)
    assert formset.non_form_errors() == ["Please submit at most 30 forms."]
    assert list(EquipmentItem.objects.filter(application=application).values_list("name", flat=True)) == ["Сироварня"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["equipment", "contribution"])
def test_a_plan_claiming_100000_lines_is_refused_with_a_message_and_changes_no_line(client, prefix):
    version = PlanVersionFactory(complete=True)
    client.force_login(version.plan.application.applicant)
    lines_before = (list(version.equipment_lines.values()), list(version.contribution_lines.values()))

    response = client.post(
        url("plans:plan_edit", version.plan.application.pk),
        plan_post_data(version, **{f"{prefix}-TOTAL_FORMS": HUGE, f"{prefix}-INITIAL_FORMS": HUGE}),
    )
    preview = client.post(
        url("plans:plan_preview", version.plan.application.pk),
        plan_post_data(version, **{f"{prefix}-TOTAL_FORMS": HUGE}),
    )

    cap = {"equipment": 40, "contribution": 20}[prefix]
    formset = response.context[{"equipment": "equipment", "contribution": "contributions"}[prefix]]
    assert (response.status_code, preview.status_code) == (200, 200)
    assert formset.non_form_errors() == [f"Please submit at most {cap} forms."]
    assert (list(version.equipment_lines.values()), list(version.contribution_lines.values())) == lines_before
