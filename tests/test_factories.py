"""The factories make what they say, in a state the programme could have reached: the tests of every app
build on them, so a factory that drifts from its services would make those tests prove nothing."""

import hashlib
from decimal import Decimal

import pikepdf
import pytest

from applications.enums import ApplicationStatus
from grants.enums import DecisionOutcome, LetterKind, LetterStatus
from grants.models import Decision
from plans.enums import VersionStatus
from reviews.enums import SheetStatus
from reviews.rubrics.defaults import DEFAULT_CRITERIA
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    DecisionFactory,
    GrantFactory,
    LetterBatchFactory,
    LetterFactory,
    PlanVersionFactory,
    RubricFactory,
    ScoreSheetFactory,
    plan_submitted_application,
    recommended_application,
    submitted_application,
)

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def test_a_submitted_application_takes_the_next_reference_of_its_call():
    first = ApplicationFactory(submitted=True, call__reference_prefix="1P1", call__cycle_year=2021)
    second = submitted_application(call=first.call, status=S.SHORTLISTED)

    assert [(a.status, a.reference) for a in (first, second)] == [
        (S.SUBMITTED, "1P1-2021-0001"),
        (S.SHORTLISTED, "1P1-2021-0002"),
    ]
    assert (first.submitted_at is not None, first.equipment.count(), first.call.last_reference_number) == (True, 1, 2)


@pytest.mark.parametrize(
    ("traits", "status"),
    [
        ({}, VersionStatus.DRAFT),
        ({"submitted": True}, VersionStatus.SUBMITTED),
        ({"returned": True}, VersionStatus.RETURNED),
    ],
)
def test_a_plan_version_is_in_the_state_its_trait_names(traits, status):
    version = PlanVersionFactory(**traits)

    assert version.status == status
    assert (version.submitted_at is None, version.returned_at is None) == (
        status == VersionStatus.DRAFT,
        status != VersionStatus.RETURNED,
    )


def test_an_application_waiting_for_its_defense_has_a_submitted_plan():
    application = plan_submitted_application()

    assert application.status == S.PLAN_SUBMITTED
    assert list(application.business_plan.versions.values_list("status", flat=True)) == [VersionStatus.SUBMITTED]


def test_a_rubric_has_the_default_criteria_and_the_settings_given():
    rubric = RubricFactory(calibrated=True)
    bare = CriterionFactory().rubric

    assert [c.key for c in rubric.criteria.order_by("position")] == [key for key, *_ in DEFAULT_CRITERIA]
    rubric.refresh_from_db()
    assert rubric.calibrated is True
    assert bare.criteria.count() == 1


def test_a_score_sheet_scores_every_criterion_and_a_submitted_one_has_its_mean():
    draft = ScoreSheetFactory()
    submitted = ScoreSheetFactory(application=draft.application, score=Decimal("8.5"), submitted=True)

    assert (draft.status, draft.weighted_mean) == (SheetStatus.DRAFT, None)
    assert (submitted.status, submitted.weighted_mean) == (SheetStatus.SUBMITTED, Decimal("8.50"))
    assert [sheet.scores.count() for sheet in (draft, submitted)] == [len(DEFAULT_CRITERIA)] * 2
    assert set(submitted.scores.values_list("score", flat=True)) == {Decimal("8.5")}


def test_a_grant_is_approved_on_its_application_with_the_plans_figures():
    grant = GrantFactory(application=recommended_application(grant=Decimal("2500.00")))

    grant.application.refresh_from_db()
    assert (grant.application.status, grant.grant_usd) == (S.APPROVED, Decimal("2500.00"))
    assert list(Decision.objects.filter(application=grant.application).values_list("outcome", "grant")) == [
        (DecisionOutcome.APPROVED, grant.pk)
    ]


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (DecisionOutcome.APPROVED, S.APPROVED),
        (DecisionOutcome.DECLINED, S.DECLINED),
        (DecisionOutcome.KEPT_WAITLISTED, S.WAITLISTED),
        (DecisionOutcome.PROMOTED, S.RECOMMENDED),
    ],
)
def test_a_decision_moves_its_application_as_its_service_does(outcome, status):
    decision = DecisionFactory(outcome=outcome)

    decision.application.refresh_from_db()
    assert (decision.outcome, decision.application.status) == (outcome, status)


def test_a_ready_letter_has_a_real_pdf_and_its_sha256():
    letter = LetterFactory(ready=True)

    with letter.file.open("rb") as stored:
        content = stored.read()
    with pikepdf.open(letter.file.path) as pdf:
        pages = len(pdf.pages)
    letter.application.refresh_from_db()
    assert (letter.status, letter.sha256, pages) == (LetterStatus.READY, hashlib.sha256(content).hexdigest(), 1)
    assert letter.application.status == S.AWARDED


def test_a_failed_letter_was_tried_every_time_and_a_decline_letter_states_a_decline():
    failed = LetterFactory(failed=True, error="OSError: disk full")
    decline = LetterFactory(kind=LetterKind.DECLINE, batch=LetterBatchFactory(kind=LetterKind.DECLINE))

    assert (failed.status, failed.attempts, failed.error) == (LetterStatus.FAILED, 4, "OSError: disk full")
    assert (decline.status, decline.decision.outcome, decline.batch.kind) == (
        LetterStatus.PENDING,
        DecisionOutcome.DECLINED,
        LetterKind.DECLINE,
    )
