from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from reviews.enums import SheetAction, SheetStatus
from reviews.exceptions import ReviewError
from reviews.models import ConflictDeclaration, Criterion, ScoreSheetEvent
from reviews.rubrics.services import criterion_save, rubric_create_default
from reviews.scoring import services
from reviews.scoring.selectors import current_declaration, peer_sheets_visible_to, reviewer_may_see_plan
from tests.factories import DefenseSlotFactory, PanelMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel():
    """An application defended before a panel of three, with the default rubric."""
    slot = DefenseSlotFactory()
    rubric_create_default(call=slot.session.call)
    reviewers = [PanelMemberFactory(session=slot.session).reviewer for _ in range(3)]
    return slot.application, reviewers, slot.session


def full_scores(application, value=Decimal("8")):
    return {c.pk: (value, "") for c in Criterion.objects.filter(rubric__call=application.call)}


def declared(application, reviewer, conflicted=False, reason=""):
    services.conflict_declare(application=application, reviewer=reviewer, conflicted=conflicted, reason=reason)


def test_default_rubric_has_eight_weighted_criteria_on_a_0_to_10_scale(panel):
    application, _, _ = panel

    criteria = list(Criterion.objects.filter(rubric__call=application.call))

    assert [c.key for c in criteria] == [
        "viability",
        "market",
        "financial_realism",
        "own_contribution",
        "jobs",
        "experience_abroad",
        "social_impact",
        "sustainability",
    ]
    assert (sum(c.weight for c in criteria), {(c.scale_min, c.scale_max) for c in criteria}) == (
        Decimal("100"),
        {(0, 10)},
    )


def test_a_reviewer_must_declare_before_seeing_or_scoring(panel):
    application, (reviewer, *_), _ = panel

    assert reviewer_may_see_plan(reviewer, application) is False
    with pytest.raises(ReviewError, match="Declare"):
        services.score_save(application=application, reviewer=reviewer, scores={})


def test_a_conflicted_reviewer_cannot_see_or_score(panel):
    application, (reviewer, *_), _ = panel
    declared(application, reviewer, conflicted=True, reason="Кум заявника")

    assert reviewer_may_see_plan(reviewer, application) is False
    with pytest.raises(PermissionDenied):
        services.score_save(application=application, reviewer=reviewer, scores=full_scores(application))


def test_a_conflict_needs_a_reason(panel):
    application, (reviewer, *_), _ = panel

    with pytest.raises(ReviewError, match="why"):
        declared(application, reviewer, conflicted=True, reason=" ")


def test_someone_not_on_the_panel_cannot_declare_or_score(panel):
    application, _, _ = panel
    outsider = UserFactory(role=Role.REVIEWER)

    with pytest.raises(PermissionDenied):
        declared(application, outsider)
    assert reviewer_may_see_plan(outsider, application) is False


def test_a_changed_declaration_is_a_new_row_and_the_newest_counts(panel):
    application, (reviewer, *_), _ = panel
    declared(application, reviewer)
    declared(application, reviewer, conflicted=True, reason="Дізнався, що це сусід")

    rows = list(ConflictDeclaration.objects.filter(reviewer=reviewer).values_list("conflicted", flat=True))

    assert rows == [False, True]
    assert current_declaration(application, reviewer).conflicted is True


def test_submit_stores_the_weighted_mean_leaving_not_applicable_out(panel):
    application, (reviewer, *_), _ = panel
    declared(application, reviewer)
    scores = full_scores(application, Decimal("6"))
    social = Criterion.objects.get(rubric__call=application.call, key="social_impact")
    viability = Criterion.objects.get(rubric__call=application.call, key="viability")
    scores[social.pk] = (None, "Не стосується")
    scores[viability.pk] = (Decimal("10"), "")

    services.score_save(application=application, reviewer=reviewer, scores=scores)
    sheet = services.score_submit(application=application, reviewer=reviewer)

    # (20 x 10 + 70 x 6) / 90, social impact (weight 10) left out
    assert (sheet.status, sheet.weighted_mean) == (SheetStatus.SUBMITTED, Decimal("6.89"))


def test_not_applicable_is_refused_where_the_criterion_does_not_allow_it(panel):
    application, (reviewer, *_), _ = panel
    declared(application, reviewer)
    market = Criterion.objects.get(rubric__call=application.call, key="market")

    with pytest.raises(ReviewError, match="cannot be marked not applicable"):
        services.score_save(application=application, reviewer=reviewer, scores={market.pk: (None, "")})


def test_a_score_outside_the_scale_is_refused(panel):
    application, (reviewer, *_), _ = panel
    declared(application, reviewer)
    market = Criterion.objects.get(rubric__call=application.call, key="market")

    with pytest.raises(ReviewError, match="from 0 to 10"):
        services.score_save(application=application, reviewer=reviewer, scores={market.pk: (Decimal("11"), "")})


def test_submit_names_the_criteria_still_unscored(panel):
    application, (reviewer, *_), _ = panel
    declared(application, reviewer)
    market = Criterion.objects.get(rubric__call=application.call, key="market")
    services.score_save(application=application, reviewer=reviewer, scores={market.pk: (Decimal("7"), "")})

    with pytest.raises(ReviewError) as error:
        services.score_submit(application=application, reviewer=reviewer)

    assert error.value.message.startswith("Score every criterion first: Business viability, Financial realism")


def test_a_submitted_sheet_is_locked_until_the_chair_reopens_it_with_a_reason(panel):
    application, (reviewer, *_), session = panel
    declared(application, reviewer)
    services.score_save(application=application, reviewer=reviewer, scores=full_scores(application))
    sheet = services.score_submit(application=application, reviewer=reviewer)

    with pytest.raises(ReviewError, match="submitted"):
        services.score_save(application=application, reviewer=reviewer, scores=full_scores(application))
    with pytest.raises(PermissionDenied):
        services.score_reopen(sheet=sheet, chair=reviewer, reason="Помилка")
    services.score_reopen(sheet=sheet, chair=session.chair, reason="Переплутав критерії")

    sheet.refresh_from_db()
    assert (sheet.status, sheet.weighted_mean) == (SheetStatus.DRAFT, None)
    assert list(ScoreSheetEvent.objects.values_list("action", "actor", "reason")) == [
        (SheetAction.SUBMITTED, reviewer.pk, ""),
        (SheetAction.REOPENED, session.chair.pk, "Переплутав критерії"),
    ]


def test_peers_scores_are_hidden_until_the_reviewer_submits(panel):
    application, (first, second, _third), _ = panel
    for reviewer in (first, second):
        declared(application, reviewer)
        services.score_save(application=application, reviewer=reviewer, scores=full_scores(application))
    services.score_submit(application=application, reviewer=second)

    before = list(peer_sheets_visible_to(first, application))
    services.score_submit(application=application, reviewer=first)
    after = [sheet.reviewer for sheet in peer_sheets_visible_to(first, application)]

    assert (before, after) == ([], [second])


def test_the_rubric_cannot_change_once_scoring_started(panel):
    application, (reviewer, *_), _ = panel
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    criterion = Criterion.objects.filter(rubric__call=application.call).first()
    criterion.weight = Decimal("25")
    criterion_save(criterion=criterion, actor=officer)
    declared(application, reviewer)
    services.score_save(application=application, reviewer=reviewer, scores={criterion.pk: (Decimal("5"), "")})

    criterion.weight = Decimal("30")
    with pytest.raises(ReviewError, match="can no longer change"):
        criterion_save(criterion=criterion, actor=officer)

    criterion.refresh_from_db()
    assert criterion.weight == Decimal("25")
