"""`seed_load` builds the benchmarks' data set in the issue's proportions, and refuses a database in use."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from applications.enums import ApplicationStatus
from applications.models import Application, Call
from grants.models import Grant, Letter
from plans.models import BusinessPlan, EquipmentLine
from reviews.enums import SheetStatus
from reviews.models import ConflictDeclaration, CriterionScore, ScoreSheet
from reviews.ranking.selectors import call_ranking_table, fresh_state
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_seed_load_builds_the_data_set_in_proportion():
    call_command("seed_load", applications=400, stdout=StringIO())

    assert Application.objects.count() == 400
    assert Call.objects.count() == 4
    assert BusinessPlan.objects.count() == 80
    assert ScoreSheet.objects.count() == 240
    assert ConflictDeclaration.objects.count() == 240
    assert Grant.objects.count() == 20
    assert Letter.objects.count() == 20
    assert EquipmentLine.objects.count() >= 80
    submitted = ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED)
    assert CriterionScore.objects.filter(sheet__in=submitted).count() == submitted.count() * 8
    decision_call = Call.objects.filter(applications__status=S.APPROVED).distinct().get()
    decidable = [
        line
        for line in call_ranking_table(decision_call).lines
        if line.application.status in (S.RECOMMENDED, S.WAITLISTED)
    ]
    assert len(decidable) == 20
    assert all(line.entry.score is not None for line in decidable)


def test_seed_load_refuses_a_database_with_applications_unless_forced():
    submitted_application()

    with pytest.raises(CommandError):
        call_command("seed_load", applications=40, stdout=StringIO())
    assert Application.objects.count() == 1

    call_command("seed_load", applications=40, force=True, stdout=StringIO())
    assert Application.objects.count() == 41


def test_seed_load_stores_every_calls_ranking():
    call_command("seed_load", applications=200, stdout=StringIO())

    assert [fresh_state(call) is not None for call in Call.objects.order_by("pk")] == [True] * 4
