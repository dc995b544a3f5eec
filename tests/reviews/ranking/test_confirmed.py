"""The confirmed ranking after decisions: the rows both roles confirmed, with each application's status now."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.services import application_move
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason
from reviews.ranking.services import ranking_confirm
from tests.conftest import one_and_many, url
from tests.factories import PASSWORD, UserFactory
from tests.reviews.ranking.test_views import REASON, score, scored
from tests.signin import reauthenticate

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def decided(session, reviewers, officer):
    """Four applications ranked 9, 8, 7, 5 in an 8,000 envelope, confirmed by both roles; then the approver
    approves the first (and awards it), approves the waitlisted third when the second is declined."""
    call = session.call
    call.budget_envelope = Decimal("8000.00")
    call.save()
    first, second, third, fourth = (scored(session, reviewers, value) for value in ("9", "8", "7", "5"))
    ranking_confirm(call=call, actor=officer)
    ranking_confirm(call=call, actor=session.chair)
    approver = UserFactory(role=Role.APPROVER)
    for application in (first, second, third, fourth):
        application.refresh_from_db()
    grant_approve(application=first, actor=approver, rank=1)
    first.refresh_from_db()
    application_move(first, S.AWARDED, actor=approver)
    grant_decline(application=second, actor=approver, reason=DeclineReason.DOCUMENTS)
    grant_approve(application=third, actor=approver, rank=3)
    return call


def rows(response):
    return [
        (line.row.position, line.entry.reference, line.entry.score, str(outcome), line.application.status)
        for line, outcome in response.context["lines"]
    ]


CONFIRMED = [
    (1, "RK-2021-0001", Decimal("9.00"), "Recommended", S.AWARDED),
    (2, "RK-2021-0002", Decimal("8.00"), "Recommended", S.DECLINED),
    (3, "RK-2021-0003", Decimal("7.00"), "Waitlisted", S.APPROVED),
    (4, "RK-2021-0004", Decimal("5.00"), "Below threshold", S.DEFENDED),
]


@pytest.mark.parametrize("who", ["officer", "approver", "chair"])
def test_the_confirmed_ranking_stays_with_its_outcomes_after_decisions(client, decided, session, officer, who):
    viewer = {"officer": officer, "approver": UserFactory(role=Role.APPROVER), "chair": session.chair}[who]
    client.force_login(viewer)

    response = client.get(reverse("ranking:call", args=[decided.pk]))

    page = response.content.decode()
    assert rows(response) == CONFIRMED
    assert response.context["table"].committed == Decimal("8000.00")
    assert [(c.role, current) for c, current in response.context["confirmations"]] == [
        ("officer", True),
        ("chair", True),
    ]
    assert "must be redone" not in page
    assert 'data-testid="confirm-ranking"' not in page
    assert 'data-testid="confirmed-ranking"' in page
    assert [cell.split(">")[-1] for cell in page.split("</span></td>")[:-1] if "status-now" in cell] == [
        "Awarded",
        "Declined",
        "Approved",
        "Defended",
    ]


def test_a_real_change_after_confirmation_still_flags_both_confirmations(client, decided, officer):
    decided.budget_envelope = Decimal("4000.00")
    decided.save()
    client.force_login(officer)

    response = client.get(reverse("ranking:call", args=[decided.pk]))

    assert rows(response) == CONFIRMED  # what was confirmed, still shown
    assert [(c.role, current) for c, current in response.context["confirmations"]] == [
        ("officer", False),
        ("chair", False),
    ]
    assert "must be confirmed again" in response.content.decode()


def test_a_decision_voids_nothing_but_a_newly_defended_application_does(client, session, reviewers, officer):
    application = scored(session, reviewers, "8")
    ranking_confirm(call=session.call, actor=officer)
    ranking_confirm(call=session.call, actor=session.chair)
    client.force_login(officer)
    before = client.get(reverse("ranking:call", args=[session.call.pk]))

    application.refresh_from_db()
    grant_decline(application=application, actor=UserFactory(role=Role.APPROVER), reason=DeclineReason.SCORE)
    after_decision = client.get(reverse("ranking:call", args=[session.call.pk]))
    score(scored(session, reviewers[:1], "9"), reviewers[1], "9")  # a newly defended application: a change
    after_new = client.get(reverse("ranking:call", args=[session.call.pk]))

    assert [current for _c, current in before.context["confirmations"]] == [True, True]
    assert [current for _c, current in after_decision.context["confirmations"]] == [True, True]
    assert [current for _c, current in after_new.context["confirmations"]] == [False, False]
    assert [line.entry.reference for line, _o in after_new.context["lines"]] == ["RK-2021-0001"]


def test_the_exports_of_a_confirmed_ranking_give_its_rows_with_the_status_now(client, decided, officer):
    client.force_login(officer)
    reauthenticate(client, password=PASSWORD)

    exported = client.post(reverse("ranking:export_csv", args=[decided.pk]), {"reason": REASON})
    workbook = client.post(reverse("ranking:export_xlsx", args=[decided.pk]), {"reason": REASON})

    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][-3:] == ["Outcome", "Running total (USD)", "Status now"]
    assert [(row[0], row[1], row[3], row[-3], row[-2], row[-1]) for row in table[1:]] == [
        ("1", "RK-2021-0001", "9.00", "Recommended", "4,000.00", "Awarded"),
        ("2", "RK-2021-0002", "8.00", "Recommended", "8,000.00", "Declined"),
        ("3", "RK-2021-0003", "7.00", "Waitlisted", "8,000.00", "Approved"),
        ("4", "RK-2021-0004", "5.00", "Below threshold", "8,000.00", "Defended"),
    ]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [(row[1], row[-3], row[-1]) for row in list(sheet.values)[1:]] == [
        ("RK-2021-0001", "Recommended", "Awarded"),
        ("RK-2021-0002", "Recommended", "Declined"),
        ("RK-2021-0003", "Waitlisted", "Approved"),
        ("RK-2021-0004", "Below threshold", "Defended"),
    ]


@one_and_many(12)
def test_the_confirmed_ranking_page_queries_do_not_grow(
    officer_client, page_queries, session, reviewers, officer, size
):
    for _ in range(size):
        scored(session, reviewers, "8")
    ranking_confirm(call=session.call, actor=officer)
    ranking_confirm(call=session.call, actor=session.chair)

    response = page_queries(12, url("ranking:call", session.call.pk))

    assert response.content.decode().count('data-testid="ranking-row"') == size
