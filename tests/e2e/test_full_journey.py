"""In real Chromium, on the demo's own data (`seed_demo`), the whole journey in one sitting as a newcomer walks it,
on a phone (390 px) in Ukrainian: the demo applicant applies; the officer shortlists and assigns the consultant;
consultant and applicant work on the plan (its 12-month projection labelled and without sideways scroll);
the applicant submits; the officer schedules the defense in today's session; of the three reviewers one declares
a conflict and the chair and the other score; the chair records the defense; officer and chair confirm the
ranking; the approver approves through the confirmation page; the officer generates the award letter through
its confirmation page; the applicant downloads it, and pdftotext finds their name and the grant in it.

Every page is checked with axe as it is reached (no serious, no critical violation) and photographed:
var/test-artifacts/journey/NN-step.png.
"""

import re
import shutil
import subprocess
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_TOTP_SECRET
from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from grants.enums import LetterStatus
from grants.models import Letter
from reviews.models import Criterion, DefenseSession
from tests.conftest import ARTIFACTS
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import enter_totp_code
from tests.factories import MINIMAL_PDF
from tests.signin import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE_CHECKED_INLINE = True  # each page is checked here as it is reached
DEMO_PASSWORD = "demo-1plus1-2026"
SHOTS = ARTIFACTS / "journey"
APPLICANT = "applicant@example.org"  # the demo's applicant without an application


class Journey:
    """The people of the walk, each in their own phone-sized browser, and the numbered steps photographed."""

    def __init__(self, new_page, base: str):
        self.new_page, self.base, self.number, self.pages, self.used = new_page, base, 0, {}, {}
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def page(self, email: str):
        """`email`'s browser, signed in on the login form (staff with the demo's authenticator-app code)."""
        if email in self.pages:
            return self.pages[email]
        page = self.new_page(width=390, height=844)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{self.base}/uk/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate/" in page.url:
            used = self.used.setdefault(email, set())
            code = next(c for c in (totp_code(DEMO_TOTP_SECRET, steps_ahead=s) for s in (0, 1, -1)) if c not in used)
            used.add(code)
            enter_totp_code(page, code)
        assert "/accounts/login/" not in page.url, f"{email} could not sign in"
        self.pages[email] = page
        return page

    def go(self, email: str, path: str):
        page = self.page(email)
        response = page.goto(f"{self.base}/uk{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        return page

    def step(self, page, name: str) -> None:
        """The page as it is now: axe finds nothing serious, it does not scroll sideways, and it is photographed."""
        page.wait_for_load_state()
        self.number += 1
        page.screenshot(path=str(SHOTS / f"{self.number:02d}-{name}.png"), full_page=True)
        assert_accessible(page, f"step {self.number} ({name})")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"step {self.number} ({name}) scrolls sideways by {overflow} px"


def click(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()


def next_step(page) -> None:
    click(page, "button[name=action][value=next]")


def words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def test_the_demo_from_application_to_award_letter_in_one_sitting(live_server, new_page, celery_worker, tmp_path):
    call_command("seed_demo", stdout=StringIO())
    call = Call.objects.get(cycle_year=timezone.now().year, title_uk__startswith="Індивідуальні")
    session = DefenseSession.objects.get(call=call, venue="Львів, вул. Городоцька, 1")
    if session.date != timezone.localdate():
        pytest.skip("late in the evening the demo's session is tomorrow morning; the walk needs it today")
    walk = Journey(new_page, live_server.url)

    # The applicant applies.
    page = walk.go(APPLICANT, f"/calls/{call.pk}/")
    walk.step(page, "call")
    click(page, "form[action$='/apply/'] button[type=submit]")
    page.wait_for_url("**/edit/personal/")
    page.fill("#id_date_of_birth", "1986-05-12")
    page.check("input[name=gender][value=female]")
    page.fill("#id_phone", "+48 600 100 300")
    walk.step(page, "apply-personal")
    next_step(page)
    page.wait_for_url("**/edit/migration/")
    page.check("input[name=countries_abroad][value=PL]")
    page.fill("#id_years_abroad", "5")
    page.check("input[name=still_abroad][value=False]")
    page.fill("#id_return_date", "2025-06-01")
    page.fill("#id_migration_experience", "Пекарка у Вроцлаві: закваски, облік, робота з постачальниками.")
    walk.step(page, "apply-migration")
    next_step(page)
    page.wait_for_url("**/edit/business/")
    page.select_option("#id_region", "lviv")
    page.fill("#id_hromada", "Жовківська")
    page.select_option("#id_sector", "services")
    page.fill("#id_idea_title", "Пекарня на заквасці")
    page.fill("#id_idea_description", "Хліб на заквасці для шкіл і кав'ярень громади.")
    walk.step(page, "apply-business")
    next_step(page)
    page.wait_for_url("**/edit/money/")
    page.fill("#id_own_contribution_amount", "3000")
    page.select_option("#id_own_contribution_currency", "USD")
    page.fill("#id_equipment-0-name", "Піч хлібопекарська")
    page.fill("#id_equipment-0-estimated_unit_price", "3600")
    walk.step(page, "apply-money")
    next_step(page)
    page.wait_for_url("**/edit/declarations/")
    page.check("#id_consent_selection")
    walk.step(page, "apply-declarations")
    next_step(page)
    page.wait_for_url("**/edit/review/")
    walk.step(page, "apply-review")
    click(page, "form[action$='/submit/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    walk.step(page, "applied")
    application = Application.objects.get(call=call, applicant__email=APPLICANT)
    reference = application.reference
    assert words(page.text_content("[data-testid=reference]")) == reference

    # The officer shortlists it and assigns the demo's consultant.
    desk = walk.go("officer@example.org", f"/staff/applications/{application.pk}/")
    walk.step(desk, "officer-screening")
    click(desk, "form[action$='/shortlist/'] button[type=submit]")
    assert desk.get_attribute("[data-testid=status]", "data-status") == "shortlisted"
    walk.step(desk, "officer-shortlisted")
    desk = walk.go("officer@example.org", f"/consultations/staff-assign/{call.pk}/")
    desk.check(f"#application-{application.pk}")
    desk.select_option("#id_consultant", str(User.objects.get(email="consultant@example.org").pk))
    walk.step(desk, "officer-assign-consultant")
    click(desk, "#assign-form button[type=submit]")

    # The consultant logs a consultation; the applicant writes the plan.
    consultant = walk.go("consultant@example.org", f"/consultations/applications/{application.pk}/")
    consultant.fill("#id_held_on", timezone.localdate().isoformat())
    consultant.check("input[name=mode][value=video]")
    consultant.fill("#id_duration_minutes", "45")
    consultant.fill("#id_topics", "Ринок, постачальники, власний внесок")
    consultant.fill("#id_next_steps", "Зібрати комерційну пропозицію на піч")
    walk.step(consultant, "consultant-session")
    click(consultant, "[data-testid=session-form] button[type=submit]")
    walk.step(consultant, "consultant-logged")

    page = walk.go(APPLICANT, f"/applications/{application.pk}/")
    assert "Ринок, постачальники, власний внесок" in page.text_content("main")
    walk.step(page, "applicant-consultation")
    click(page, "[data-testid=write-plan]")
    page.wait_for_url("**/plan/edit/")
    for name, text in {
        "summary": "Пекарня на заквасці в центрі громади.",
        "market": "Школи, кав'ярні та магазини громади.",
        "experience": "П'ять років пекаркою у Вроцлаві.",
        "operations": "Оренда приміщення, борошно від місцевого млина.",
        "risks": "Зростання цін на борошно: річний контракт з млином.",
        "sustainability": "Прибуток покриває оренду з четвертого місяця.",
    }.items():
        page.fill(f"#id_{name}", text)
    page.fill("#id_jobs_total", "3")
    page.fill("#id_jobs_women", "2")
    page.fill("#id_equipment-0-item", "Піч хлібопекарська")
    page.fill("#id_equipment-0-supplier", "ТОВ «Пекмаш»")
    page.fill("#id_equipment-0-unit_price", "3600")
    page.select_option("#id_equipment-0-currency", "USD")
    page.set_input_files(
        "#id_equipment-0-quote", files=[{"name": "quote.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.fill("#id_contribution-0-description", "Заощадження з роботи в Польщі")
    page.fill("#id_contribution-0-amount", "3000")
    page.select_option("#id_contribution-0-currency", "USD")
    for month in range(1, 13):
        page.fill(f"#id_revenue_{month}", "90000")
        page.fill(f"#id_costs_{month}", "70000")
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=grant-usd]') || {}).textContent === '3\u202f000,00 USD'"
    )
    projection = page.evaluate(
        """() => Array.from(document.querySelectorAll('[id^=id_revenue_], [id^=id_costs_]'))
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.id)"""
    )
    assert projection == [], f"projection inputs without a label: {projection}"
    walk.step(page, "plan-editor")  # the projection included: no sideways scroll at 390 px
    click(page, "button[name=action][value=submit]")
    page.wait_for_url("**/plan/")
    assert words(page.text_content("[data-testid=version-grant]")) == "3 000,00 USD"
    walk.step(page, "plan-submitted")

    # The officer schedules the defense in today's session.
    desk = walk.go("officer@example.org", f"/staff/defense/sessions/{session.pk}/")
    desk.select_option("#id_application", str(application.pk))
    walk.step(desk, "officer-schedule")
    click(desk, f"form[action$='/sessions/{session.pk}/schedule/'] button[type=submit]")
    walk.step(desk, "officer-scheduled")
    page = walk.go(APPLICANT, "/dashboard/")
    walk.step(page, "applicant-defense-slot")

    # The panel: the third reviewer declares a conflict; the chair and the second score.
    criteria = list(Criterion.objects.filter(rubric__call=call))
    for email, conflicted in (
        ("reviewer3@example.org", True),
        ("reviewer@example.org", False),
        ("reviewer2@example.org", False),
    ):
        reviewer = walk.go(email, f"/reviewing/applications/{application.pk}/declare/")
        reviewer.check(f"input[name=conflict][value={'yes' if conflicted else 'no'}]")
        if conflicted:
            reviewer.fill("textarea[name=reason]", "Заявниця — моя колишня колега.")
        walk.step(reviewer, f"{email.split('@')[0]}-declares")
        click(reviewer, "[data-testid=declaration-form] button[type=submit]")
        if conflicted:
            continue
        reviewer = walk.go(email, f"/reviewing/applications/{application.pk}/")
        for criterion in criteria:
            reviewer.select_option(f"select[name=score_{criterion.pk}]", "8")
        walk.step(reviewer, f"{email.split('@')[0]}-scores")
        reviewer.click("[data-testid=score-form] button[value=submit]")
        reviewer.wait_for_selector("[data-testid=submitted]")
        walk.step(reviewer, f"{email.split('@')[0]}-submitted")

    # The chair records the defense and confirms the ranking; the officer confirms it too.
    chair = walk.go("reviewer@example.org", f"/reviewing/sessions/{session.pk}/chair/")
    walk.step(chair, "chair-view")
    row = chair.locator("[data-testid=record-slot]", has_text=reference)
    row.locator("form[action*='/defended/'] button").click()
    chair.wait_for_load_state()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DEFENDED
    walk.step(chair, "chair-recorded")
    desk = walk.go("officer@example.org", f"/staff/ranking/calls/{call.pk}/")
    assert desk.locator("[data-testid=ranking-row]").evaluate_all("rows => rows.map(r => r.dataset.outcome)") == [
        "recommended"
    ]
    walk.step(desk, "ranking")
    click(desk, "[data-testid=confirm-ranking]")
    walk.step(desk, "ranking-officer-confirmed")
    chair = walk.go("reviewer@example.org", f"/staff/ranking/calls/{call.pk}/")
    click(chair, "[data-testid=confirm-ranking]")
    assert chair.locator("[data-testid=confirmed-ranking]").count() == 1
    walk.step(chair, "ranking-confirmed")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RECOMMENDED

    # The approver approves, through the confirmation page.
    desk = walk.go("approver@example.org", f"/staff/decisions/calls/{call.pk}/")
    walk.step(desk, "approver-decisions")
    click(desk, f"[data-testid=decision-row][data-reference='{reference}'] [data-testid=approve]")
    assert reference in desk.text_content("[data-testid=confirm-summary]")
    walk.step(desk, "approver-confirm")
    click(desk, "[data-testid=confirm-approve]")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED
    walk.step(desk, "approver-approved")

    # The officer generates the award letter, through its confirmation page.
    desk = walk.go("officer@example.org", f"/staff/decisions/calls/{call.pk}/")
    click(desk, "[data-testid=tab-grants]")
    walk.step(desk, "officer-grants-tab")
    click(desk, "[data-testid=generate-award-letters]")
    assert desk.locator("[data-testid=confirm-recipients] li").all_text_contents() == [
        f"{reference} · {application.full_name}"
    ]
    walk.step(desk, "letters-confirm")
    click(desk, "[data-testid=confirm-letters]")
    desk.wait_for_url("**/staff/decisions/batches/*/")
    desk.wait_for_function(
        "() => document.querySelector('[data-testid=batch-progress]').dataset.finished === 'true'", timeout=90_000
    )
    walk.step(desk, "letters-done")

    # The applicant downloads the letter; it names them and states the grant.
    deadline = time.monotonic() + 30
    while not Letter.objects.filter(application=application, status=LetterStatus.READY).exists():
        assert time.monotonic() < deadline, "the award letter was not ready in 30 s"
        time.sleep(0.2)
    page = walk.go(APPLICANT, "/dashboard/")
    walk.step(page, "applicant-award")
    with page.expect_download() as info:
        page.click("[data-testid=letter-download]")
    pdf = tmp_path / "letter.pdf"
    info.value.save_as(pdf)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    content = words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert ["Марія" in content, "Іваненко" in content, "3 000,00 USD" in content] == [True, True, True], content
