"""A score sheet's status changes only through `score_sheet_move`, whose history is `ScoreSheetEvent`;
`available_moves` says what the reviewer and the chair may do with it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from common.exceptions import InvalidMove
from reviews.enums import SHEET_MOVES, SheetAction, SheetStatus
from reviews.models import Criterion, ScoreSheet, ScoreSheetEvent
from reviews.rubrics.services import rubric_create_default
from reviews.scoring import services
from tests.factories import DefenseSlotFactory, PanelMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet():
    """A reviewer's draft sheet, every criterion scored, for an application defended before a panel."""
    slot = DefenseSlotFactory()
    rubric_create_default(call=slot.session.call)
    reviewer = PanelMemberFactory(session=slot.session).reviewer
    application = slot.application
    services.conflict_declare(application=application, reviewer=reviewer, conflicted=False)
    scores = {c.pk: (Decimal("7"), "") for c in Criterion.objects.filter(rubric__call=application.call)}
    return services.score_save(application=application, reviewer=reviewer, scores=scores)


def events(sheet: ScoreSheet) -> list[tuple]:
    return list(
        ScoreSheetEvent.objects.filter(sheet=sheet).values_list("action", "from_status", "to_status", "actor", "reason")
    )


def chair_of(sheet: ScoreSheet):
    return sheet.application.defense_slots.get().session.chair


def test_the_table_names_both_statuses():
    assert set(SHEET_MOVES.moves) == set(SheetStatus.values) == set(SHEET_MOVES.actors)


def test_submitting_and_reopening_write_who_from_to_and_why(sheet):
    reviewer, chair = sheet.reviewer, chair_of(sheet)

    services.score_submit(application=sheet.application, reviewer=reviewer)
    services.score_reopen(sheet=sheet, chair=chair, reason="Переплутав критерії")

    assert events(sheet) == [
        (SheetAction.SUBMITTED, SheetStatus.DRAFT, SheetStatus.SUBMITTED, reviewer.pk, ""),
        (SheetAction.REOPENED, SheetStatus.SUBMITTED, SheetStatus.DRAFT, chair.pk, "Переплутав критерії"),
    ]


def test_reopening_a_draft_is_refused_and_writes_nothing(sheet):
    with pytest.raises(InvalidMove, match="^Only a submitted score sheet can be reopened.$"):
        services.score_reopen(sheet=sheet, chair=chair_of(sheet), reason="Помилка")

    sheet.refresh_from_db()
    assert (sheet.status, events(sheet)) == (SheetStatus.DRAFT, [])


def test_someone_else_cannot_submit_a_reviewers_sheet(sheet):
    with pytest.raises(PermissionDenied):
        services.score_sheet_move(sheet, SheetStatus.SUBMITTED, actor=chair_of(sheet))

    sheet.refresh_from_db()
    assert (sheet.status, events(sheet)) == (SheetStatus.DRAFT, [])


@pytest.mark.parametrize(
    ("status", "who", "moves"),
    [
        (SheetStatus.DRAFT, "reviewer", [SheetStatus.SUBMITTED]),
        (SheetStatus.DRAFT, "chair", []),
        (SheetStatus.DRAFT, "officer", []),
        (SheetStatus.SUBMITTED, "reviewer", []),
        (SheetStatus.SUBMITTED, "chair", [SheetStatus.DRAFT]),
        (SheetStatus.SUBMITTED, "other_panel_reviewer", []),
        (SheetStatus.SUBMITTED, "officer", []),
    ],
)
def test_available_moves_of_a_sheet_by_role(sheet, status, who, moves):
    if status == SheetStatus.SUBMITTED:
        sheet = services.score_submit(application=sheet.application, reviewer=sheet.reviewer)
    session = sheet.application.defense_slots.get().session
    actors = {
        "reviewer": sheet.reviewer,
        "chair": session.chair,
        "other_panel_reviewer": PanelMemberFactory(session=session).reviewer,
        "officer": UserFactory(role=Role.PROGRAMME_OFFICER),
    }

    assert sheet.available_moves(actors[who]) == moves


def test_a_caller_that_knows_the_chair_saves_the_query(sheet, django_assert_num_queries):
    sheet = services.score_submit(application=sheet.application, reviewer=sheet.reviewer)
    chair = chair_of(sheet)
    assert sheet.available_moves(chair) == [SheetStatus.DRAFT]  # reads the roles once, and the chair

    with django_assert_num_queries(0):
        assert sheet.available_moves(chair, chairs=True) == [SheetStatus.DRAFT]
