"""Conflicts of interest hold: final for the reviewer, cleared only by an officer with an audited reason; a
conflicted chair sees no colleague's score and reopens nothing; chairs see only their panels' ranking rows;
a cancelled session gives no access; draft plan versions stay with their author and consultant."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.exceptions import ActorNotAllowed
from reviews.enums import SheetAction, SheetStatus
from reviews.models import ConflictDeclaration, ScoreSheetEvent
from reviews.ranking import selectors as ranking_selectors
from reviews.scoring import services
from tests.conftest import messages_of, shown_by, url
from tests.factories import (
    ConsultantAssignmentFactory,
    DefenseSessionFactory,
    EquipmentLineFactory,
    PanelMemberFactory,
    PlanVersionFactory,
    UserFactory,
)
from tests.reviews.ranking.test_views import scored
from tests.reviews.scoring.test_views import declared, panel_of, submitted_by

pytestmark = pytest.mark.django_db

REASON = "Сусід заявниці"


@pytest.fixture
def panel():
    return panel_of()


def conflicted_rows(application, reviewer):
    return list(
        ConflictDeclaration.objects.filter(application=application, reviewer=reviewer).values_list(
            "conflicted", "reason", "cleared_by"
        )
    )


# --- A declared conflict is final for the reviewer --------------------------------------------------------


def test_a_reviewer_cannot_withdraw_a_declared_conflict(panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer, conflicted=True, reason=REASON)

    with pytest.raises(ActorNotAllowed):
        services.conflict_declare(application=panel.application, reviewer=reviewer, conflicted=False)

    assert conflicted_rows(panel.application, reviewer) == [(True, REASON, None)]


def test_posting_no_conflict_after_a_conflict_changes_nothing_and_the_plan_stays_closed(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer, conflicted=True, reason=REASON)
    client.force_login(reviewer)

    response = client.post(url("reviewing:declare", panel.application.pk), {"conflict": "no", "reason": ""})

    assert response.status_code == 403
    assert conflicted_rows(panel.application, reviewer) == [(True, REASON, None)]
    assert client.get(url("reviewing:application", panel.application.pk)).status_code == 404


def test_an_officer_clears_a_conflict_with_a_reason_in_a_row_naming_them(client, panel, officer):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer, conflicted=True, reason=REASON)
    declaration = ConflictDeclaration.objects.get()
    client.force_login(officer)

    page = client.get(url("defense:session", panel.session.pk))
    response = client.post(url("defense:conflict_clear", declaration.pk), {"reason": "Переїхала три роки тому"})

    assert len(shown_by(page, "conflict")) == 1
    assert REASON in shown_by(page, "conflict")[0]
    assert (response.status_code, response.url) == (302, url("defense:session", panel.session.pk))
    assert conflicted_rows(panel.application, reviewer) == [
        (True, REASON, None),
        (False, "Переїхала три роки тому", officer.pk),
    ]
    client.force_login(reviewer)
    assert client.get(url("reviewing:application", panel.application.pk)).status_code == 200


@pytest.mark.parametrize("reason", ["", "   "])
def test_clearing_without_a_reason_changes_nothing(client, panel, officer, reason):
    declared(panel.application, panel.reviewers[0], conflicted=True, reason=REASON)
    declaration = ConflictDeclaration.objects.get()
    client.force_login(officer)

    response = client.post(url("defense:conflict_clear", declaration.pk), {"reason": reason}, follow=True)

    assert ConflictDeclaration.objects.count() == 1
    assert messages_of(response)


@pytest.mark.parametrize("who", ["reviewer", "chair", "approver", "applicant"])
def test_only_an_officer_clears_a_conflict(client, panel, who):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer, conflicted=True, reason=REASON)
    declaration = ConflictDeclaration.objects.get()
    user = {
        "reviewer": reviewer,
        "chair": panel.session.chair,
        "approver": UserFactory(role=Role.APPROVER),
        "applicant": panel.application.applicant,
    }[who]
    client.force_login(user)

    response = client.post(url("defense:conflict_clear", declaration.pk), {"reason": "Бо так"})

    assert response.status_code == 403
    assert ConflictDeclaration.objects.count() == 1
    with pytest.raises(ActorNotAllowed):
        services.conflict_clear(declaration=declaration, officer=user, reason="Бо так")


def test_a_cleared_declaration_cannot_be_cleared_twice(panel, officer):
    declared(panel.application, panel.reviewers[0], conflicted=True, reason=REASON)
    declaration = ConflictDeclaration.objects.get()
    services.conflict_clear(declaration=declaration, officer=officer, reason="Перевірено")

    with pytest.raises(services.ReviewError):
        services.conflict_clear(declaration=declaration, officer=officer, reason="Ще раз")

    assert ConflictDeclaration.objects.count() == 2


# --- A conflicted chair -----------------------------------------------------------------------------------


@pytest.fixture
def conflicted_chair(panel):
    """The chair sits on the panel and declared a conflict; two colleagues submitted their sheets."""
    chair = panel.session.chair
    PanelMemberFactory(session=panel.session, reviewer=chair)
    declared(panel.application, chair, conflicted=True, reason=REASON)
    sheets = [submitted_by(panel.application, panel.reviewers[0], Decimal("9"))]
    sheets.append(submitted_by(panel.application, panel.reviewers[1], Decimal("3")))
    return chair, sheets


def test_a_conflicted_chair_sees_no_colleague_score_or_mean(client, panel, conflicted_chair):
    chair, _ = conflicted_chair
    client.force_login(chair)

    page = client.get(url("reviewing:chair", panel.session.pk))
    partial = client.get(url("reviewing:chair_progress", panel.session.pk))

    for response in (page, partial):
        body = response.content.decode()
        assert response.status_code == 200
        assert shown_by(response, "mean") == ["—"]
        assert shown_by(response, "disagreement") == ["—"]
        assert "9.00" not in body and "3.00" not in body and "6.00" not in body
        assert shown_by(response, "recused")
    assert shown_by(page, "reopen-form") == []
    assert all(member.sheet is None for item in page.context["progress"] for member in item.members)


def test_a_conflicted_chair_cannot_reopen_a_colleagues_sheet(client, panel, conflicted_chair):
    chair, sheets = conflicted_chair
    client.force_login(chair)

    client.post(url("reviewing:reopen", panel.session.pk, sheets[0].pk), {"reason": "Перевірити"})

    sheets[0].refresh_from_db()
    assert sheets[0].status == SheetStatus.SUBMITTED
    assert not ScoreSheetEvent.objects.filter(action=SheetAction.REOPENED).exists()
    with pytest.raises(ActorNotAllowed):
        services.score_reopen(sheet=sheets[0], chair=chair, reason="Перевірити")


def test_an_unconflicted_chair_still_sees_the_scores_and_reopens(client, panel):
    submitted_by(panel.application, panel.reviewers[0], Decimal("9"))
    client.force_login(panel.session.chair)

    page = client.get(url("reviewing:chair", panel.session.pk))

    assert shown_by(page, "mean") == ["9.00"]
    assert len(shown_by(page, "reopen-form")) == 1


# --- Ranking rows for chairs ------------------------------------------------------------------------------


def test_a_chair_sees_only_the_ranking_rows_of_their_own_panels(client, officer):
    from reviews.rubrics.services import rubric_create_default
    from tests.factories import CallFactory

    call = CallFactory(reference_prefix="RC", budget_envelope=Decimal("10000.00"))
    rubric_create_default(call=call)
    mine, theirs = DefenseSessionFactory(call=call), DefenseSessionFactory(call=call)
    own_reviewers = [PanelMemberFactory(session=mine).reviewer for _ in range(3)]
    other_reviewers = [PanelMemberFactory(session=theirs).reviewer for _ in range(3)]
    own = scored(mine, own_reviewers, "8", "Бондар")
    other = scored(theirs, other_reviewers, "7", "Шевчук")

    client.force_login(mine.chair)
    chair_page = client.get(url("ranking:call", call.pk))
    client.force_login(officer)
    officer_page = client.get(url("ranking:call", call.pk))

    def references(response):
        return [line.application.reference for line, _ in response.context["lines"]]

    assert references(chair_page) == [own.reference]
    assert other.reference not in chair_page.content.decode()
    assert sorted(references(officer_page)) == sorted([own.reference, other.reference])


def test_a_chair_with_a_conflict_does_not_see_that_row(panel):
    chair = panel.session.chair
    PanelMemberFactory(session=panel.session, reviewer=chair)
    declared(panel.application, chair, conflicted=True, reason=REASON)
    table = ranking_selectors.call_ranking_table(panel.application.call)

    assert ranking_selectors.lines_visible_to(table, chair) == []


# --- Cancelled sessions -----------------------------------------------------------------------------------


def test_a_cancelled_session_gives_its_panel_and_chair_no_access(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    panel.session.cancelled_at = timezone.now()
    panel.session.save(update_fields=["cancelled_at"])

    client.force_login(reviewer)
    plan = client.get(url("reviewing:application", panel.application.pk))
    declare = client.get(url("reviewing:declare", panel.application.pk))
    client.force_login(panel.session.chair)
    chair = client.get(url("reviewing:chair", panel.session.pk))

    assert (plan.status_code, declare.status_code, chair.status_code) == (404, 404, 404)
    assert not reviewer.has_perm("plans.view_plan", panel.application)


# --- Draft plan versions ------------------------------------------------------------------------------------


@pytest.fixture
def draft_with_quote():
    version = PlanVersionFactory(complete=True, submitted=False)
    line = EquipmentLineFactory(version=version)
    consultant = ConsultantAssignmentFactory(application=version.plan.application).consultant
    return version, line, consultant


def test_a_draft_version_and_its_files_are_for_the_author_and_the_consultant_only(client, draft_with_quote, officer):
    version, line, consultant = draft_with_quote
    application = version.plan.application
    outcomes = {}
    for who, user in [("author", application.applicant), ("consultant", consultant), ("officer", officer)]:
        client.force_login(user)
        page = client.get(url("plans:plan_version", application.pk, version.number))
        download = client.get(url("plans:quote_download", line.pk))
        if download.streaming:
            b"".join(download.streaming_content)  # the test client closes the file once it is read
        outcomes[who] = (page.status_code, download.status_code)

    assert outcomes == {"author": (200, 200), "consultant": (200, 200), "officer": (404, 404)}
