"""The reviewer's pages: declaring, reading and scoring a plan, peers' scores, and the chair's view."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from applications.models import Application
from plans.models import PlanVersion
from reviews.enums import SheetAction, SheetStatus
from reviews.models import ConflictDeclaration, Criterion, DefenseSession, ScoreSheet, ScoreSheetEvent
from reviews.rubrics.services import rubric_create_default
from reviews.scoring import services
from tests.conftest import shown_by, url
from tests.factories import MINIMAL_PDF, DefenseSlotFactory, PanelMemberFactory, PlanVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Panel:
    application: Application
    reviewers: list[User]
    session: DefenseSession
    version: PlanVersion


def panel_of(*, plan_submitted: bool = True) -> Panel:
    """An application with a plan (submitted, or still a draft), defended before a panel of three, with the
    default rubric."""
    slot = DefenseSlotFactory()
    rubric_create_default(call=slot.session.call)
    version = PlanVersionFactory(plan__application=slot.application, complete=True, submitted=plan_submitted)
    reviewers = [PanelMemberFactory(session=slot.session).reviewer for _ in range(3)]
    return Panel(slot.application, reviewers, slot.session, version)


@pytest.fixture
def panel() -> Panel:
    return panel_of()


def criteria(application) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric__call=application.call).order_by("position", "pk"))


def declared(application, reviewer, conflicted=False, reason=""):
    services.conflict_declare(application=application, reviewer=reviewer, conflicted=conflicted, reason=reason)


def score_data(application, value="8", action="save", **overrides) -> dict:
    data = {"action": action, "comment": "Реалістичний план."}
    for criterion in criteria(application):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = f"Коментар {criterion.key}"
    data.update(overrides)
    return data


def submitted_by(application, reviewer, value=Decimal("8")) -> ScoreSheet:
    declared(application, reviewer)
    services.score_save(
        application=application, reviewer=reviewer, scores={c.pk: (value, "") for c in criteria(application)}
    )
    return services.score_submit(application=application, reviewer=reviewer)


# Permissions -------------------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(client, panel):
    responses = [
        client.get(url("reviewing:home")),
        client.get(url("reviewing:application", panel.application.pk)),
        client.get(url("reviewing:declare", panel.application.pk)),
        client.post(url("reviewing:score", panel.application.pk), score_data(panel.application)),
        client.get(url("reviewing:chair", panel.session.pk)),
    ]

    assert [(r.status_code, r.url.split("?")[0]) for r in responses] == [(302, "/en/accounts/login/")] * 5


def test_the_dashboard_is_for_reviewers(client):
    client.force_login(UserFactory(role=Role.APPLICANT))

    assert client.get(url("reviewing:home")).status_code == 403


@pytest.mark.parametrize("who", ["applicant", "unassigned", "conflicted"])
def test_outsiders_and_conflicted_reviewers_get_404_on_the_plan_the_scores_and_the_pdf(client, panel, who):
    panel.version.pdf.save("plan.pdf", ContentFile(MINIMAL_PDF))
    if who == "applicant":
        user = panel.application.applicant
    elif who == "unassigned":
        user = UserFactory(role=Role.REVIEWER)
    else:
        user = panel.reviewers[0]
        declared(panel.application, user, conflicted=True, reason="Мій двоюрідний брат")
    client.force_login(user)

    statuses = [
        client.get(url("reviewing:application", panel.application.pk)).status_code,
        client.post(url("reviewing:score", panel.application.pk), score_data(panel.application)).status_code,
        client.post(
            url("reviewing:score", panel.application.pk), score_data(panel.application, action="submit")
        ).status_code,
    ]
    pdf_response = client.get(reverse("plan_pdf:download", args=[panel.version.pk]))
    if pdf_response.streaming:
        b"".join(pdf_response.streaming_content)  # reading to the end closes the file
    pdf = pdf_response.status_code

    assert statuses == [404, 404, 404]
    assert pdf == (200 if who == "applicant" else 404)
    assert ScoreSheet.objects.count() == 0


@pytest.mark.parametrize("who", ["applicant", "unassigned"])
def test_only_panel_members_may_declare(client, panel, who):
    client.force_login(panel.application.applicant if who == "applicant" else UserFactory(role=Role.REVIEWER))

    statuses = [
        client.get(url("reviewing:declare", panel.application.pk)).status_code,
        client.post(url("reviewing:declare", panel.application.pk), {"conflict": "no"}).status_code,
    ]

    assert (statuses, ConflictDeclaration.objects.count()) == ([404, 404], 0)


def test_a_conflicted_reviewer_does_not_see_the_scores_even_after_submitting_earlier(client, panel):
    reviewer, peer, _ = panel.reviewers
    submitted_by(panel.application, peer)
    submitted_by(panel.application, reviewer)
    declared(panel.application, reviewer, conflicted=True, reason="Дізнався, що це сусід")
    client.force_login(reviewer)

    assert client.get(url("reviewing:application", panel.application.pk)).status_code == 404


def test_a_reviewer_who_has_not_declared_is_sent_to_declare(client, panel):
    client.force_login(panel.reviewers[0])

    response = client.get(url("reviewing:application", panel.application.pk))

    assert (response.status_code, response.url) == (302, url("reviewing:declare", panel.application.pk))


def test_a_cleared_panel_member_can_read_the_plan_pdf(client, panel):
    panel.version.pdf.save("plan.pdf", ContentFile(MINIMAL_PDF))
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)

    response = client.get(reverse("plan_pdf:download", args=[panel.version.pk]))

    assert (response.status_code, b"".join(response.streaming_content)) == (200, MINIMAL_PDF)
    assert reviewer.has_perm("plans.view_plan", panel.application) is True
    assert panel.reviewers[1].has_perm("plans.view_plan", panel.application) is False


def test_the_chair_page_is_only_for_the_sessions_chair(client, panel):
    client.force_login(panel.reviewers[0])

    statuses = [
        client.get(url("reviewing:chair", panel.session.pk)).status_code,
        client.get(url("reviewing:chair_progress", panel.session.pk)).status_code,
    ]

    assert statuses == [404, 404]


def test_only_the_chair_can_reopen(client, panel):
    sheet = submitted_by(panel.application, panel.reviewers[0])
    client.force_login(panel.reviewers[1])

    response = client.post(url("reviewing:reopen", panel.session.pk, sheet.pk), {"reason": "Помилка"})

    sheet.refresh_from_db()
    assert (response.status_code, sheet.status) == (404, SheetStatus.SUBMITTED)


# Declaring -----------------------------------------------------------------------------------------------


def test_declaring_no_conflict_opens_the_plan(client, panel):
    reviewer = panel.reviewers[0]
    client.force_login(reviewer)

    response = client.post(url("reviewing:declare", panel.application.pk), {"conflict": "no", "reason": ""})

    assert (response.status_code, response.url) == (302, url("reviewing:application", panel.application.pk))
    assert list(ConflictDeclaration.objects.values_list("reviewer", "conflicted", "reason")) == [
        (reviewer.pk, False, "")
    ]
    page = client.get(url("reviewing:application", panel.application.pk))
    assert page.status_code == 200
    assert shown_by(page, "version")[0].startswith("Version 1: Submitted")


def test_a_conflict_without_a_reason_reshows_the_form_with_the_text_kept(client, panel):
    client.force_login(panel.reviewers[0])

    response = client.post(url("reviewing:declare", panel.application.pk), {"conflict": "yes", "reason": "   "})

    assert response.status_code == 200
    assert "Say briefly why you have a conflict of interest." in response.content.decode()
    assert response.context["form"]["conflict"].value() == "yes"
    assert ConflictDeclaration.objects.count() == 0


def test_declaring_a_conflict_records_the_reason_and_goes_back_to_the_dashboard(client, panel):
    reviewer = panel.reviewers[0]
    client.force_login(reviewer)

    response = client.post(
        url("reviewing:declare", panel.application.pk), {"conflict": "yes", "reason": "Кума заявниці"}
    )

    assert (response.status_code, response.url) == (302, url("reviewing:home"))
    assert list(ConflictDeclaration.objects.values_list("conflicted", "reason")) == [(True, "Кума заявниці")]


def test_a_changed_declaration_is_added_to_the_reviewers_history(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    declared(panel.application, panel.reviewers[1], conflicted=True, reason="Чужа декларація")
    client.force_login(reviewer)

    client.post(url("reviewing:declare", panel.application.pk), {"conflict": "yes", "reason": "Виявився сусідом"})
    page = client.get(url("reviewing:declare", panel.application.pk))

    history = [text.split(" · ", 1)[1] for text in shown_by(page, "declaration")]
    assert history == ["no conflict of interest", "conflict of interest: Виявився сусідом in force"]


def test_a_conflicted_reviewer_is_told_their_conflict_is_final_and_nothing_changes(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer, conflicted=True, reason="Кума заявниці")
    client.force_login(reviewer)

    page = client.get(url("reviewing:declare", panel.application.pk))
    refused = client.post(url("reviewing:declare", panel.application.pk), {"conflict": "no"})

    assert shown_by(page, "conflict-in-force") and not shown_by(page, "declaration-form")
    assert refused.status_code == 403
    assert "only a programme officer can clear it" in refused.content.decode()
    assert list(ConflictDeclaration.objects.values_list("conflicted", flat=True)) == [True]


# Scoring -------------------------------------------------------------------------------------------------


def test_the_score_form_has_a_row_per_criterion_with_not_applicable_only_where_allowed(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)

    form = client.get(url("reviewing:application", panel.application.pk)).context["form"]

    rows = [(c.key, [v for v, _ in field.field.choices][-2:]) for c, field, _, _ in form.rows()]
    assert rows == [
        ("viability", ["9", "10"]),
        ("market", ["9", "10"]),
        ("financial_realism", ["9", "10"]),
        ("own_contribution", ["9", "10"]),
        ("jobs", ["9", "10"]),
        ("experience_abroad", ["9", "10"]),
        ("social_impact", ["10", "na"]),
        ("sustainability", ["9", "10"]),
    ]
    assert [v for v, _ in form.rows()[0][1].field.choices][:2] == ["", "0"]


def test_saving_a_draft_keeps_the_scores_and_comments(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)
    social = Criterion.objects.get(rubric__call=panel.application.call, key="social_impact")

    response = client.post(
        url("reviewing:score", panel.application.pk), score_data(panel.application, "7", **{f"score_{social.pk}": "na"})
    )

    sheet = ScoreSheet.objects.get()
    assert (response.status_code, sheet.status, sheet.comment) == (302, SheetStatus.DRAFT, "Реалістичний план.")
    assert sorted((row.criterion.key, row.score, row.comment) for row in sheet.scores.all())[:2] == [
        ("experience_abroad", Decimal("7.00"), "Коментар experience_abroad"),
        ("financial_realism", Decimal("7.00"), "Коментар financial_realism"),
    ]
    assert sheet.scores.get(criterion=social).score is None
    form = client.get(url("reviewing:application", panel.application.pk)).context["form"]
    assert (form.initial[f"score_{social.pk}"], form.initial["comment"]) == ("na", "Реалістичний план.")


def test_submitting_locks_the_sheet_and_shows_it_read_only(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)

    client.post(url("reviewing:score", panel.application.pk), score_data(panel.application, "8", action="submit"))
    page = client.get(url("reviewing:application", panel.application.pk))
    again = client.post(url("reviewing:score", panel.application.pk), score_data(panel.application, "2"))

    sheet = ScoreSheet.objects.get()
    assert (sheet.status, sheet.weighted_mean) == (SheetStatus.SUBMITTED, Decimal("8.00"))
    assert (page.context["form"], page.context["submitted"]) == (None, True)
    assert shown_by(page, "score-form") == []
    assert again.status_code == 302
    assert [str(m) for m in again.wsgi_request._messages] == [
        "You have submitted this score sheet; the chair can reopen it."
    ]
    assert set(sheet.scores.values_list("score", flat=True)) == {Decimal("8.00")}


def test_submitting_an_incomplete_sheet_saves_the_draft_and_names_what_is_missing(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)
    market = Criterion.objects.get(rubric__call=panel.application.call, key="market")

    response = client.post(
        url("reviewing:score", panel.application.pk),
        score_data(panel.application, "", action="submit", **{f"score_{market.pk}": "6"}),
    )

    sheet = ScoreSheet.objects.get()
    assert (sheet.status, list(sheet.scores.values_list("score", flat=True))) == (SheetStatus.DRAFT, [Decimal("6.00")])
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Score every criterion first: Business viability, Financial realism, Credibility of own contribution, "
        "Jobs created, Use of experience from abroad, Social impact and priority groups, Sustainability."
    ]


def test_a_score_outside_the_choices_is_refused_and_nothing_saved(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)
    market = Criterion.objects.get(rubric__call=panel.application.call, key="market")

    response = client.post(
        url("reviewing:score", panel.application.pk), score_data(panel.application, "5", **{f"score_{market.pk}": "na"})
    )

    assert (response.status_code, ScoreSheet.objects.count()) == (400, 0)


def test_an_application_without_a_submitted_plan_shows_no_plan_yet(client):
    panel = panel_of(plan_submitted=False)
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)
    client.force_login(reviewer)

    page = client.get(url("reviewing:application", panel.application.pk))

    assert shown_by(page, "no-plan") == ["No plan yet: the applicant has not submitted a business plan."]
    assert shown_by(page, "plan-pdf") == []


def test_peers_scores_appear_only_after_the_reviewers_own_submission(client, panel):
    reviewer, peer, drafting = panel.reviewers
    submitted_by(panel.application, peer, Decimal("6"))
    declared(panel.application, drafting)
    services.score_save(application=panel.application, reviewer=drafting, scores={}, comment="Чернетка")
    declared(panel.application, reviewer)
    client.force_login(reviewer)

    before = client.get(url("reviewing:application", panel.application.pk))
    client.post(url("reviewing:score", panel.application.pk), score_data(panel.application, "9", action="submit"))
    after = client.get(url("reviewing:application", panel.application.pk))

    assert (shown_by(before, "peers"), shown_by(before, "peer-mean")) == ([], [])
    assert [peer_sheet.reviewer for peer_sheet, _ in after.context["peers"]] == [peer]
    assert shown_by(after, "peer-mean") == ["6.00"]


# The chair -------------------------------------------------------------------------------------------------


def test_the_chair_sees_each_members_state_with_a_recusal_reason(client, panel):
    first, second, third = panel.reviewers
    submitted_by(panel.application, first, Decimal("9"))
    submitted_by(panel.application, second, Decimal("5"))
    declared(panel.application, third, conflicted=True, reason="Колишній роботодавець заявника")
    client.force_login(panel.session.chair)

    page = client.get(url("reviewing:chair", panel.session.pk))
    partial = client.get(url("reviewing:chair_progress", panel.session.pk))

    states = [m for item in page.context["progress"] for m in item.members]
    assert [(m.reviewer, m.state) for m in states] == [(first, "submitted"), (second, "submitted"), (third, "conflict")]
    assert shown_by(page, "count") == ["2 / 3"]
    assert shown_by(page, "mean") == ["7.00"]
    assert shown_by(page, "disagreement") == ["to discuss"]
    assert "recused (Колишній роботодавець заявника)" in shown_by(page, "member-state")[2]
    assert (partial.status_code, shown_by(partial, "count")) == (200, ["2 / 3"])
    assert 'hx-trigger="every 5s"' in page.content.decode()
    assert len(shown_by(page, "reopen-form")) == 2


def test_the_chair_reopens_a_sheet_with_a_reason(client, panel):
    sheet = submitted_by(panel.application, panel.reviewers[0])
    client.force_login(panel.session.chair)

    response = client.post(url("reviewing:reopen", panel.session.pk, sheet.pk), {"reason": "Переплутав критерії"})

    sheet.refresh_from_db()
    assert (response.status_code, response.url, sheet.status) == (
        302,
        url("reviewing:chair", panel.session.pk),
        "draft",
    )
    assert list(ScoreSheetEvent.objects.values_list("action", "actor", "reason")) == [
        (SheetAction.SUBMITTED, panel.reviewers[0].pk, ""),
        (SheetAction.REOPENED, panel.session.chair.pk, "Переплутав критерії"),
    ]


def test_reopening_without_a_reason_is_refused(client, panel):
    sheet = submitted_by(panel.application, panel.reviewers[0])
    client.force_login(panel.session.chair)

    response = client.post(url("reviewing:reopen", panel.session.pk, sheet.pk), {"reason": "  "})

    sheet.refresh_from_db()
    assert (sheet.status, ScoreSheetEvent.objects.filter(action=SheetAction.REOPENED).count()) == ("submitted", 0)
    assert [str(m) for m in response.wsgi_request._messages] == ["Give the reason for reopening the score sheet."]


# The dashboard ---------------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_reviewers_state_per_application(client, panel):
    reviewer = panel.reviewers[0]
    other = DefenseSlotFactory(session=panel.session)
    conflicted = DefenseSlotFactory(session=panel.session)
    submitted = DefenseSlotFactory(session=panel.session)
    declared(other.application, reviewer)
    declared(conflicted.application, reviewer, conflicted=True, reason="Сусід")
    submitted_by(submitted.application, reviewer)
    client.force_login(reviewer)

    page = client.get(url("reviewing:home"))

    assert shown_by(page, "state") == ["Declare", "Scoring (draft)", "Conflict declared · change", "Submitted"]
    assert shown_by(page, "chair-link") == []


def test_the_reviewer_and_the_applicant_see_the_projection_on_screen(client, panel):
    reviewer = panel.reviewers[0]
    declared(panel.application, reviewer)

    pages = []
    for user, name in ((reviewer, "reviewing:application"), (panel.application.applicant, "plans:plan_detail")):
        client.force_login(user)
        pages.append(client.get(url(name, panel.application.pk, lang="uk")).text)

    for page in pages:
        assert 'data-testid="projection"' in page
        # twelve months of 40 000 revenue and 30 000 costs, in the shape of common.money
        assert "480\u202f000,00" in page and "360\u202f000,00" in page and "120\u202f000,00" in page
