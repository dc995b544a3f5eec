"""In real Chromium, three reviewers in their own browsers: declare (one conflicted), score, see peers'
scores only after submitting; the chair sees the recusal; officer and chair confirm the ranking, which
shows the expected order and the budget cut."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import application_move
from plans import services as plan_services
from reviews.models import Criterion
from reviews.rubrics.services import rubric_create_default
from reviews.sessions.services import slot_mark_defended
from tests.e2e.browser import sign_in
from tests.factories import (
    CallFactory,
    DefenseSessionFactory,
    DefenseSlotFactory,
    PanelMemberFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def defended(call, session, last_name, officer):
    """An application whose plan was submitted, invited to the session and defended (in the officer's name)."""
    application = shortlisted_application(call=call, last_name=last_name)
    version = PlanVersionFactory(plan__application=application, complete=True)  # grant USD 3,000.00
    plan_services.plan_submit(version=version, actor=application.applicant)
    slot = DefenseSlotFactory(session=session, application=application, starts_at=timezone.now() - timedelta(hours=2))
    application_move(application, ApplicationStatus.INVITED_TO_DEFENSE, actor=officer)
    slot_mark_defended(slot=slot, actor=officer)
    return application


def test_panel_scores_and_the_ranking_is_confirmed(live_server, new_page):
    call = CallFactory(budget_envelope=Decimal("5000.00"))
    chair, second, third = (UserFactory(role=Role.REVIEWER, email=f"{n}@example.org") for n in ("chair", "b", "c"))
    programme_officer = UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    session = DefenseSessionFactory(call=call, chair=chair)
    for reviewer in (chair, second, third):
        PanelMemberFactory(session=session, reviewer=reviewer)
    rubric = rubric_create_default(call=call)
    rubric.min_independent_scores, rubric.min_score = 2, Decimal("6.00")
    rubric.save()
    best, middle, weakest = (
        defended(call, session, name, programme_officer) for name in ("Бондар", "Коваль", "Шевчук")
    )
    scores = {best.pk: "9", middle.pk: "7", weakest.pk: "5"}
    criteria = list(Criterion.objects.filter(rubric=rubric))

    pages = {}
    for reviewer in (chair, second, third):
        page = new_page(width=1280, height=900)
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, live_server.url, reviewer.email)
        pages[reviewer] = page
        for application in (best, middle, weakest):
            page.goto(f"{live_server.url}/uk/reviewing/applications/{application.pk}/declare/")
            conflicted = reviewer == third and application == middle
            page.check(f"input[name=conflict][value={'yes' if conflicted else 'no'}]")
            if conflicted:
                page.fill("textarea[name=reason]", "Заявник — мій двоюрідний брат")
            page.click("[data-testid=declaration-form] button[type=submit]")
            page.wait_for_load_state()
            if conflicted:
                response = page.goto(f"{live_server.url}/uk/reviewing/applications/{application.pk}/")
                assert response.status == 404
                continue
            page.goto(f"{live_server.url}/uk/reviewing/applications/{application.pk}/")
            if reviewer == second and application == best:
                assert page.locator("[data-testid=peer]").count() == 0
            for criterion in criteria:
                page.select_option(f"select[name=score_{criterion.pk}]", scores[application.pk])
            page.click("[data-testid=score-form] button[value=submit]")
            page.wait_for_selector("[data-testid=submitted]")
            if reviewer == second and application == best:
                assert page.locator("[data-testid=peer]").all_text_contents() != []
                assert page.locator("[data-testid=peer-mean]").all_text_contents() == ["9,00"]

    chair_page = pages[chair]
    chair_page.goto(f"{live_server.url}/uk/reviewing/sessions/{session.pk}/chair/")
    assert "Заявник — мій двоюрідний брат" in chair_page.text_content("main")

    officer = new_page(width=1280, height=900)
    sign_in(officer, live_server.url, "officer@example.org")
    officer.goto(f"{live_server.url}/uk/staff/ranking/calls/{call.pk}/")
    rows = officer.locator("[data-testid=ranking-row]")
    assert rows.evaluate_all("rows => rows.map(r => [r.cells[1].textContent.trim(), r.dataset.outcome])") == [
        [best.reference, "recommended"],
        [middle.reference, "waitlisted"],
        [weakest.reference, "below_threshold"],
    ]
    assert officer.locator("[data-testid=running-total]").all_text_contents() == ["3\u202f000,00"] * 3
    officer.click("[data-testid=confirm-ranking]")
    officer.wait_for_load_state()
    chair_page.goto(f"{live_server.url}/uk/staff/ranking/calls/{call.pk}/")
    chair_page.click("[data-testid=confirm-ranking]")
    chair_page.wait_for_load_state()

    assert dict(Application.objects.filter(call=call).values_list("last_name", "status")) == {
        "Бондар": ApplicationStatus.RECOMMENDED,
        "Коваль": ApplicationStatus.WAITLISTED,
        "Шевчук": ApplicationStatus.DEFENDED,
    }
