import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import AccessLogEntry, Application, ApplicationStatusChange
from plans.enums import VersionStatus
from reviews.enums import SlotStatus
from reviews.exceptions import ReviewError
from reviews.models import Criterion, RankingConfirmation, Rubric
from reviews.ranking.rank import Outcome
from reviews.ranking.selectors import call_ranking, call_ranking_table
from reviews.ranking.services import ranking_confirm
from reviews.scoring import services
from tests.conftest import one_and_many, url
from tests.factories import (
    PASSWORD,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PlanVersionFactory,
    UserFactory,
    declare_priority_groups,
    submitted_application,
)
from tests.signin import reauthenticate

pytestmark = pytest.mark.django_db
S = ApplicationStatus
T0 = datetime(2021, 5, 3, 9, 0, tzinfo=UTC)
CRITERIA = [
    "Business viability",
    "Market",
    "Financial realism",
    "Credibility of own contribution",
    "Jobs created",
    "Use of experience from abroad",
    "Social impact and priority groups",
    "Sustainability",
]

REASON = "Budget check with the donor's auditor"


def defended(
    session, last_name="Коваль", *, grant="4000.00", own=None, submitted_at=T0, priority=False, returned=False
):
    """A defended application of the session's call whose latest submitted plan asks for `grant`
    (`returned=True`: that plan was returned for revision since)."""
    application = submitted_application(call=session.call, status=S.DEFENDED, last_name=last_name, first_name="Олена")
    DefenseSlotFactory(session=session, application=application, status=SlotStatus.DEFENDED)
    grant, own = Decimal(grant), Decimal(own or grant)
    PlanVersionFactory(
        plan__application=application,
        submitted=not returned,
        returned=returned,
        submitted_at=submitted_at,
        equipment_usd=grant,
        own_counted_usd=own,
        grant_usd=grant,
        match_ratio=Decimal("1.00"),
        cap_usd=session.call.cap,
    )
    if priority:
        declare_priority_groups(application, "idp")
    return application


def score(application, reviewer, value, **by_key):
    """The reviewer declares no conflict and submits `value` for every criterion but those named."""
    services.conflict_declare(application=application, reviewer=reviewer, conflicted=False)
    scores = {
        criterion.pk: (Decimal(by_key.get(criterion.key, value)), "")
        for criterion in Criterion.objects.filter(rubric__call=application.call)
    }
    services.score_save(application=application, reviewer=reviewer, scores=scores)
    services.score_submit(application=application, reviewer=reviewer)


def scored(session, reviewers, value, last_name="Коваль", **kwargs):
    application = defended(session, last_name, **kwargs)
    for reviewer in reviewers:
        score(application, reviewer, value)
    return application


def summary(call):
    return [
        (row.position, row.entry.reference, row.entry.score, row.outcome, row.running_total)
        for row in call_ranking(call)
    ]


def statuses(call):
    return list(Application.objects.filter(call=call).order_by("reference").values_list("reference", "status"))


# --- The ranking -----------------------------------------------------------------------------------------


def test_ranking_counts_only_submitted_sheets_of_reviewers_without_a_conflict(session, reviewers):
    application = defended(session)
    first, second, third = reviewers
    score(application, first, "8", viability="10")  # (20 x 10 + 80 x 8) / 100 = 8.40
    score(application, second, "6")
    score(application, third, "2")
    services.conflict_declare(application=application, reviewer=third, conflicted=True, reason="Сусід заявниці")

    table = call_ranking_table(session.call)

    (line,) = table.lines
    assert (line.entry.score, line.reviewer_means, line.disagreement, line.independent_scores) == (
        Decimal("7.20"),
        (Decimal("8.40"), Decimal("6.00")),
        True,
        2,
    )
    assert [line.criterion_means[c.pk] for c in table.criteria] == [Decimal("8.00")] + [Decimal("7.00")] * 7
    assert summary(session.call) == [(1, "RK-2021-0001", Decimal("7.20"), Outcome.RECOMMENDED, Decimal("4000.00"))]


def test_ranking_uses_the_latest_submitted_plan_version_and_leaves_other_statuses_out(session, reviewers):
    application = scored(session, reviewers[:1], "8", grant="3000.00", returned=True)
    plan = application.business_plan
    version = {"equipment_usd": Decimal("4000"), "match_ratio": Decimal("1"), "cap_usd": Decimal("4000")}
    PlanVersionFactory(
        plan=plan,
        number=2,
        status=VersionStatus.SUBMITTED,
        grant_usd=Decimal("2500.00"),
        own_counted_usd=Decimal("3000.00"),
        submitted_at=T0 + timedelta(days=1),
        **version,
    )
    PlanVersionFactory(
        plan=plan,
        number=3,
        status=VersionStatus.DRAFT,
        grant_usd=Decimal("500.00"),
        own_counted_usd=Decimal("500.00"),
        **version,
    )
    submitted_application(call=session.call, status=S.INVITED_TO_DEFENSE)

    (line,) = call_ranking_table(session.call).lines

    assert (line.entry.reference, line.entry.grant, line.entry.own_contribution_ratio, line.plan_submitted_at) == (
        "RK-2021-0001",
        Decimal("2500.00"),
        Decimal("1.2000"),
        T0 + timedelta(days=1),
    )


def test_calibrated_scores_reorder_what_the_plain_means_rank(session, reviewers):
    lenient, generous = reviewers[:2]
    x, y, z = (defended(session, name) for name in ("Бойко", "Гнатюк", "Дмитренко"))
    for application, (a, b) in zip((x, y, z), (("4", "4"), ("4", "10"), ("6", "6")), strict=True):
        score(application, lenient, a)
        score(application, generous, b)

    plain = summary(session.call)
    Rubric.objects.filter(call=session.call).update(calibrated=True)
    calibrated = summary(session.call)

    assert plain == [
        (1, "RK-2021-0002", Decimal("7.00"), Outcome.RECOMMENDED, Decimal("4000.00")),
        (2, "RK-2021-0003", Decimal("6.00"), Outcome.RECOMMENDED, Decimal("8000.00")),
        (3, "RK-2021-0001", Decimal("4.00"), Outcome.BELOW_THRESHOLD, Decimal("8000.00")),
    ]
    assert calibrated == [
        (1, "RK-2021-0003", Decimal("6.89"), Outcome.RECOMMENDED, Decimal("4000.00")),
        (2, "RK-2021-0002", Decimal("6.34"), Outcome.RECOMMENDED, Decimal("8000.00")),
        (3, "RK-2021-0001", Decimal("3.77"), Outcome.BELOW_THRESHOLD, Decimal("8000.00")),
    ]


def test_ties_go_to_priority_then_higher_own_contribution_ratio_then_earlier_plan(client, session, reviewers, officer):
    hour = timedelta(hours=1)
    scored(session, reviewers[:1], "8", "Андрієнко", own="6000.00", submitted_at=T0 + hour)
    scored(session, reviewers[:1], "8", "Бондар", submitted_at=T0 + 3 * hour, priority=True)
    scored(session, reviewers[:1], "8", "Вовк", own="6000.00", submitted_at=T0 + 2 * hour)
    scored(session, reviewers[:1], "8", "Гайова", submitted_at=T0)
    session.call.budget_envelope = Decimal("100000.00")
    session.call.save()
    client.force_login(officer)

    response = client.get(reverse("ranking:call", args=[session.call.pk]))

    lines = [line for line, _outcome in response.context["lines"]]
    assert [(line.entry.reference, line.entry.priority, line.entry.own_contribution_ratio) for line in lines] == [
        ("RK-2021-0002", True, Decimal("1.0000")),
        ("RK-2021-0001", False, Decimal("1.5000")),
        ("RK-2021-0003", False, Decimal("1.5000")),
        ("RK-2021-0004", False, Decimal("1.0000")),
    ]
    assert response.content.decode().count('data-testid="ranking-row"') == 4


def test_budget_is_applied_in_rank_order_with_exact_running_totals(client, session, reviewers, officer):
    for value, grant in (("9", "4000.00"), ("8", "4000.00"), ("7", "3000.00"), ("6", "2000.00"), ("5", "1000.00")):
        scored(session, reviewers[:1], value, grant=grant)
    client.force_login(officer)

    response = client.get(reverse("ranking:call", args=[session.call.pk]))

    table = response.context["table"]
    assert summary(session.call) == [
        (1, "RK-2021-0001", Decimal("9.00"), Outcome.RECOMMENDED, Decimal("4000.00")),
        (2, "RK-2021-0002", Decimal("8.00"), Outcome.RECOMMENDED, Decimal("8000.00")),
        (3, "RK-2021-0003", Decimal("7.00"), Outcome.WAITLISTED, Decimal("8000.00")),
        (4, "RK-2021-0004", Decimal("6.00"), Outcome.RECOMMENDED, Decimal("10000.00")),
        (5, "RK-2021-0005", Decimal("5.00"), Outcome.BELOW_THRESHOLD, Decimal("10000.00")),
    ]
    assert (table.budget, table.committed, table.remaining) == (
        Decimal("10000.00"),
        Decimal("10000.00"),
        Decimal("0.00"),
    )
    assert '<dd class="col-sm-9" data-testid="budget-remaining">0.00</dd>' in response.content.decode()


# --- Confirmation ----------------------------------------------------------------------------------------


@pytest.fixture
def panel_done(session, reviewers):
    """Four defended applications, each scored by all three reviewers; the budget holds two grants."""
    session.call.budget_envelope = Decimal("8000.00")
    session.call.save()
    for value in ("9", "8", "7", "5"):
        scored(session, reviewers, value)
    return session


def test_officer_then_chair_confirmation_moves_the_applications(panel_done, officer):
    call, chair = panel_done.call, panel_done.chair

    first = ranking_confirm(call=call, actor=officer)
    unchanged = statuses(call)
    second = ranking_confirm(call=call, actor=chair)

    assert (first.role, first.applied_at is None, second.role, second.applied_at is None) == (
        "officer",
        True,
        "chair",
        False,
    )
    assert unchanged == [(f"RK-2021-000{n}", S.DEFENDED) for n in range(1, 5)]
    assert statuses(call) == [
        ("RK-2021-0001", S.RECOMMENDED),
        ("RK-2021-0002", S.RECOMMENDED),
        ("RK-2021-0003", S.WAITLISTED),
        ("RK-2021-0004", S.DEFENDED),
    ]
    changes = ApplicationStatusChange.objects.filter(application__call=call, from_status=S.DEFENDED)
    assert [(c.application.reference, c.to_status, c.actor, c.note_text) for c in changes.order_by("pk")] == [
        (
            "RK-2021-0001",
            S.RECOMMENDED,
            officer,
            "Ranking confirmed by the chair and the programme officer: position 1.",
        ),
        (
            "RK-2021-0002",
            S.RECOMMENDED,
            officer,
            "Ranking confirmed by the chair and the programme officer: position 2.",
        ),
        (
            "RK-2021-0003",
            S.WAITLISTED,
            officer,
            "Ranking confirmed by the chair and the programme officer: position 3.",
        ),
    ]
    assert second.snapshot == [
        {"reference": "RK-2021-0001", "score": "9.00", "outcome": "recommended", "running_total": "4000.00"},
        {"reference": "RK-2021-0002", "score": "8.00", "outcome": "recommended", "running_total": "8000.00"},
        {"reference": "RK-2021-0003", "score": "7.00", "outcome": "waitlisted", "running_total": "8000.00"},
        {"reference": "RK-2021-0004", "score": "5.00", "outcome": "below_threshold", "running_total": "8000.00"},
    ]
    assert summary(call)[:3] == [
        (1, "RK-2021-0001", Decimal("9.00"), Outcome.RECOMMENDED, Decimal("4000.00")),
        (2, "RK-2021-0002", Decimal("8.00"), Outcome.RECOMMENDED, Decimal("8000.00")),
        (3, "RK-2021-0003", Decimal("7.00"), Outcome.WAITLISTED, Decimal("8000.00")),
    ]


def test_a_changed_ranking_voids_the_first_confirmation(client, panel_done, officer):
    call, chair = panel_done.call, panel_done.chair
    ranking_confirm(call=call, actor=officer)
    call.budget_envelope = Decimal("4000.00")
    call.save()

    chair_confirmation = ranking_confirm(call=call, actor=chair)
    before_redo = statuses(call)
    client.force_login(chair)
    page = client.get(reverse("ranking:call", args=[call.pk]))
    redone = ranking_confirm(call=call, actor=officer)

    assert (chair_confirmation.applied_at, before_redo) == (
        None,
        [(f"RK-2021-000{n}", S.DEFENDED) for n in range(1, 5)],
    )
    assert [(c.role, current) for c, current in page.context["confirmations"]] == [("officer", False), ("chair", True)]
    assert redone.applied_at is not None
    assert statuses(call) == [
        ("RK-2021-0001", S.RECOMMENDED),
        ("RK-2021-0002", S.WAITLISTED),
        ("RK-2021-0003", S.WAITLISTED),
        ("RK-2021-0004", S.DEFENDED),
    ]


def test_only_an_officer_or_a_chair_of_the_call_may_confirm(panel_done, reviewers):
    other_chair = DefenseSessionFactory().chair

    for user in (reviewers[0], UserFactory(role=Role.APPROVER), other_chair):
        with pytest.raises(PermissionDenied):
            ranking_confirm(call=panel_done.call, actor=user)
    assert RankingConfirmation.objects.count() == 0


def test_confirming_is_refused_while_a_panel_falls_short(session, reviewers, officer):
    scored(session, reviewers, "8")
    short = scored(session, reviewers[:2], "7")
    scored(session, reviewers[:1], "9")
    score(short, reviewers[2], "6")
    services.conflict_declare(application=short, reviewer=reviewers[2], conflicted=True, reason="Колишній колега")

    with pytest.raises(ReviewError) as error:
        ranking_confirm(call=session.call, actor=officer)

    assert error.value.message == "These applications have fewer than 3 independent scores: RK-2021-0003, RK-2021-0002."
    assert RankingConfirmation.objects.count() == 0


def test_confirm_page_records_and_reports_the_pair(client, panel_done, officer):
    url = reverse("ranking:confirm", args=[panel_done.call.pk])
    client.force_login(officer)
    first = client.post(url, follow=True)
    client.force_login(panel_done.chair)

    response = client.post(url, follow=True)

    assert [str(m) for m in first.context["messages"]] == [
        "Your confirmation is recorded; the ranking also needs the other role's."
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "The ranking is confirmed; the applications are recommended or waitlisted.",
        "Below the threshold, left as defended: RK-2021-0004.",
    ]


# --- Exports ---------------------------------------------------------------------------------------------


@pytest.fixture
def exported(session, reviewers):
    first = defended(session, "Коваль")
    score(first, reviewers[0], "8", viability="10")
    score(first, reviewers[1], "6")
    second = defended(session, "Шевчук", grant="3500.00")
    score(second, reviewers[0], "9")
    score(second, reviewers[1], "9", market="7")
    return session.call


def test_csv_export_has_the_per_criterion_means_and_only_reference_and_name(client, exported, officer):
    client.force_login(officer)
    reauthenticate(client, password=PASSWORD)

    response = client.post(reverse("ranking:export_csv", args=[exported.pk]), {"reason": REASON})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ranking-RK-2021.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [
        [
            "Position",
            "Reference",
            "Name",
            "Score",
            *CRITERIA,
            "Disagreement",
            "Grant (USD)",
            "Outcome",
            "Running total (USD)",
        ],
        [
            "1",
            "RK-2021-0002",
            "Шевчук Олена",
            "8.85",
            "9.00",
            "8.00",
            *["9.00"] * 6,
            "no",
            "3,500.00",  # common.money, in the reader's language
            "Recommended",
            "3,500.00",
        ],
        [
            "2",
            "RK-2021-0001",
            "Коваль Олена",
            "7.20",
            "8.00",
            *["7.00"] * 7,
            "yes",
            "4,000.00",
            "Recommended",
            "7,500.00",
        ],
    ]
    assert sorted(AccessLogEntry.objects.values_list("reference", "action", "reason", "user")) == [
        ("RK-2021-0001", "export_ranking_csv", REASON, officer.pk),
        ("RK-2021-0002", "export_ranking_csv", REASON, officer.pk),
    ]


def test_an_export_asks_for_a_reason_first_and_writes_nothing_until_given(client, exported, officer):
    client.force_login(officer)
    reauthenticate(client, password=PASSWORD)
    export_url = reverse("ranking:export_csv", args=[exported.pk])

    asked = client.get(export_url)
    too_short = client.post(export_url, {"reason": "why"})

    assert (asked.status_code, asked.templates[0].name) == (200, "audit/export_reason.html")
    assert too_short.templates[0].name == "audit/export_reason.html"
    assert too_short.context["form"].errors == {"reason": ["Ensure this value has at least 10 characters (it has 3)."]}
    assert AccessLogEntry.objects.count() == 0


def test_xlsx_export_reads_back_with_the_same_rows(client, exported, officer):
    client.force_login(officer)
    reauthenticate(client, password=PASSWORD)

    response = client.post(reverse("ranking:export_xlsx", args=[exported.pk]), {"reason": REASON})
    sheet = load_workbook(io.BytesIO(response.content)).active

    assert (sheet.title, response["Content-Disposition"]) == ("Ranking", 'attachment; filename="ranking-RK-2021.xlsx"')
    assert list(sheet.values) == [
        (
            "Position",
            "Reference",
            "Name",
            "Score",
            *CRITERIA,
            "Disagreement",
            "Grant (USD)",
            "Outcome",
            "Running total (USD)",
        ),
        (1, "RK-2021-0002", "Шевчук Олена", 8.85, 9, 8, *[9] * 6, "no", 3500, "Recommended", 3500),
        (2, "RK-2021-0001", "Коваль Олена", 7.2, 8, *[7] * 7, "yes", 4000, "Recommended", 7500),
    ]


# --- Permissions and queries -----------------------------------------------------------------------------


def test_who_may_see_export_and_confirm(client, panel_done, reviewers, officer):
    call = panel_done.call
    page, csv_url = reverse("ranking:call", args=[call.pk]), reverse("ranking:export_csv", args=[call.pk])
    users = {
        "officer": officer,
        "approver": UserFactory(role=Role.APPROVER),
        "chair": panel_done.chair,
        "reviewer": reviewers[0],
        "other chair": DefenseSessionFactory().chair,
        "applicant": UserFactory(),
    }
    seen = {}
    for name, user in users.items():
        client.force_login(user)
        reauthenticate(client, password=PASSWORD)
        response = client.get(page)
        button = response.status_code == 200 and 'data-testid="confirm-ranking"' in response.content.decode()
        seen[name] = (response.status_code, client.get(csv_url).status_code, button)
    client.logout()

    assert seen == {
        "officer": (200, 200, True),
        "approver": (200, 200, False),
        "chair": (200, 403, True),
        "reviewer": (403, 403, False),
        "other chair": (403, 403, False),
        "applicant": (403, 403, False),
    }
    assert client.get(page).status_code == 302
    client.force_login(users["approver"])
    assert client.post(reverse("ranking:confirm", args=[call.pk])).status_code == 403


@one_and_many(20)
def test_ranking_page_queries_do_not_grow_with_the_applications(
    officer_client, page_queries, session, reviewers, officer, size
):
    for _ in range(size):
        scored(session, reviewers, "8")
    ranking_confirm(call=session.call, actor=officer)

    # The page first looks for a confirmed pair (reviews.ranking.confirmed), then computes the ranking as it
    # stands (no fresh stored ranking).
    response = page_queries(14, url("ranking:call", session.call.pk))

    assert response.content.decode().count('data-testid="ranking-row"') == size


def test_the_confirm_button_is_gone_once_both_have_confirmed_and_the_chair_reaches_the_ranking(
    client, panel_done, officer
):
    call, chair = panel_done.call, panel_done.chair
    client.force_login(officer)
    ranking_confirm(call=call, actor=officer)
    assert 'data-testid="confirm-ranking"' in client.get(reverse("ranking:call", args=[call.pk])).text

    ranking_confirm(call=call, actor=chair)

    assert 'data-testid="confirm-ranking"' not in client.get(reverse("ranking:call", args=[call.pk])).text
    client.force_login(chair)
    chair_page = client.get(reverse("reviewing:chair", args=[panel_done.pk])).text
    assert reverse("ranking:call", args=[call.pk]) in chair_page
