"""A call gets its default rubric when it is saved; calls from before get theirs from a data migration."""

import importlib

import pytest
from django.apps import apps

from accounts.roles import Role
from applications.services import call_save
from reviews.models import Criterion, Rubric
from reviews.rubrics.services import criterion_remove
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db
DEFAULT_KEYS = [
    "viability",
    "market",
    "financial_realism",
    "own_contribution",
    "jobs",
    "experience_abroad",
    "social_impact",
    "sustainability",
]


def keys(call) -> list[str]:
    return list(Criterion.objects.filter(rubric__call=call).order_by("position").values_list("key", flat=True))


def test_a_new_call_has_the_default_rubric():
    call = CallFactory.build(programme=CallFactory().programme)

    call_save(call=call)

    assert keys(call) == DEFAULT_KEYS


def test_saving_a_call_again_keeps_its_edited_rubric():
    call = CallFactory()
    criterion_remove(criterion=call.rubric.criteria.get(key="jobs"), actor=UserFactory(role=Role.PROGRAMME_OFFICER))

    call.title_en = "Renamed call"
    call_save(call=call)

    assert keys(call) == [key for key in DEFAULT_KEYS if key != "jobs"]
    assert Rubric.objects.filter(call=call).count() == 1


def test_the_migration_gives_earlier_calls_the_default_rubric_and_leaves_the_others():
    without, edited = CallFactory(), CallFactory()
    without.rubric.delete()
    Criterion.objects.filter(rubric__call=edited, key="market").delete()
    migration = importlib.import_module("reviews.migrations.0004_rubrics_for_existing_calls")

    migration.create_missing_rubrics(apps, None)

    assert keys(without) == DEFAULT_KEYS
    assert keys(edited) == [key for key in DEFAULT_KEYS if key != "market"]
