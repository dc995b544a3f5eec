"""In real Chromium, on the demo's own data (`seed_demo`): every public, applicant and staff page, and the
error states of the main forms, has no serious or critical axe violation at 390 px and 1280 px in
Ukrainian and English; every page offers a skip link to its main content as the first thing a keyboard
reaches, and every form control has a label.
"""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.management import call_command

from accounts.demo import DEMO_TOTP_SECRET
from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from grants.decisions.services import grant_approve
from grants.models import Letter
from reviews.models import DefenseSession
from tests.e2e.axe import assert_accessible_at_both_widths, axe_violations
from tests.e2e.browser import enter_totp_code
from tests.signin import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE_CHECKED_INLINE = True  # every page is checked here as it is visited; tests/e2e/conftest.py need not revisit

DEMO_PASSWORD = "demo-1plus1-2026"
LANGUAGES = ("uk", "en")


_demo_codes: dict[str, set[str]] = {}


def _sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/uk/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:  # the demo's staff have the demo's authenticator app
        used = _demo_codes.setdefault(email, set())
        for steps_ahead in (0, 1, -1):
            code = totp_code(DEMO_TOTP_SECRET, steps_ahead=steps_ahead)
            if code not in used:
                used.add(code)
                break
        enter_totp_code(page, code)
    assert "/accounts/login/" not in page.url, f"{email} could not sign in"


def _check(page, base: str, path: str, *, status: int = 200) -> None:
    """Visit `path` in both languages and check it at both widths."""
    for language in LANGUAGES:
        response = page.goto(f"{base}/{language}{path}" if not path.startswith("/verify") else f"{base}{path}")
        assert response.status == status, f"{path} answered {response.status}"
        _check_current(page, path)
        if path.startswith("/verify"):
            return


def _check_current(page, what: str) -> None:
    page.wait_for_load_state()
    # The page at rest: a button left under the pointer by the click that loaded the page is caught by axe
    # halfway through Bootstrap's hover transition (colours of neither state), at random.
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    assert_accessible_at_both_widths(page, what)
    # A keyboard reaches the skip link first, and it leads to <main>. (On a page with errors the
    # error summary has the focus already; there the skip link must still come first in the page.)
    if page.locator("[data-error-summary]").count():
        first = page.evaluate("() => document.querySelector('a, button, input, select, textarea').getAttribute('href')")
    else:  # start the keyboard at the very top of the page, as a fresh load does, and press Tab once
        page.evaluate(
            "() => { const top = document.createElement('span'); top.tabIndex = -1;"
            " document.body.prepend(top); top.focus(); }"
        )
        page.keyboard.press("Tab")
        first = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert first == "#main", f"{what}: the first element a keyboard reaches is not the skip link"
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.name || el.id)"""
    )
    assert unlabelled == [], f"{what}: form controls without a label: {unlabelled}"


def _submit_empty(page, base: str, path: str, button: str = "main form button[type=submit]") -> None:
    """A form sent empty in each language: the page with its error summary is checked too."""
    for language in LANGUAGES:
        page.goto(f"{base}/{language}{path}")
        page.click(button)
        page.wait_for_load_state()
        assert page.locator("[data-testid=error-summary]").count() == 1, f"{path}: no error summary"
        _check_current(page, f"{path} (errors)")


@pytest.fixture
def demo(celery_worker):
    call_command("seed_demo", verbosity=0)


def test_public_and_account_pages(live_server, new_page, demo):
    page = new_page()
    base = live_server.url
    open_call = Call.objects.get(title_en="1+1 individual grants, 2026")
    for path in (
        "/",
        "/calls/",
        f"/calls/{open_call.pk}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/key/1-bad-key/",
        "/no-such-page/",
    ):
        _check(page, base, path, status=404 if path == "/no-such-page/" else 200)
    _submit_empty(page, base, "/accounts/login/")
    _submit_empty(page, base, "/accounts/signup/")
    _submit_empty(page, base, "/accounts/password/reset/")

    user = User.objects.get(email="applicant@example.org")
    key = f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}/"
    page.goto(f"{base}/uk{key}")
    page.wait_for_load_state()
    _check_current(page, "password reset from key")

    letter = Letter.objects.filter(verification_code__gt="").first()
    _check(page, base, "/verify/")
    _check(page, base, f"/verify/{letter.verification_code}/")
    _check(page, base, "/verify/NO-SUCH-CODE/", status=404)


def test_applicant_pages(live_server, new_page, demo):
    page = new_page()
    base = live_server.url
    _sign_in(page, base, "sofia@example.org")
    draft = Application.objects.get(applicant__email="sofia@example.org")
    _check(page, base, "/dashboard/")
    for step in ("personal", "migration", "business", "money", "declarations", "review"):
        _check(page, base, f"/applications/{draft.pk}/edit/{step}/")
    for path in ("/accounts/email/", "/accounts/password/change/", "/accounts/reauthenticate/", "/accounts/logout/"):
        _check(page, base, path)

    _sign_in(page, base, "applicant@example.org")
    open_call = Call.objects.get(title_en="1+1 individual grants, 2026")
    page.goto(f"{base}/uk/calls/{open_call.pk}/")
    page.click("form[action$='/apply/'] button[type=submit]")
    page.wait_for_url("**/edit/personal/")
    started = Application.objects.get(applicant__email="applicant@example.org")
    _submit_empty(page, base, f"/applications/{started.pk}/edit/personal/", "button[name=action][value=next]")

    for email in ("ivan@example.org", "oksana@example.org", "halyna@example.org"):
        _sign_in(page, base, email)
        application = Application.objects.filter(applicant__email=email).first()
        _check(page, base, "/dashboard/")
        _check(page, base, f"/applications/{application.pk}/")
        if application.status != ApplicationStatus.DRAFT:
            path = "/plan/edit/" if email.startswith("ivan") else "/plan/"
            _check(page, base, f"/applications/{application.pk}{path}")


def test_staff_pages(live_server, new_page, demo):
    page = new_page()
    base = live_server.url
    open_call = Call.objects.get(title_en="1+1 individual grants, 2026")
    decided_call = Call.objects.get(title_en="1+1 individual grants, 2025")
    submitted = Application.objects.filter(call=open_call, status=ApplicationStatus.SUBMITTED).first()
    invited = Application.objects.get(call=open_call, status=ApplicationStatus.INVITED_TO_DEFENSE)
    recommended = Application.objects.filter(call=decided_call, status=ApplicationStatus.RECOMMENDED).first()
    session = DefenseSession.objects.filter(call=open_call).first()

    _sign_in(page, base, "officer@example.org")
    for path in (
        "/staff/",
        f"/staff/calls/{open_call.pk}/applications/",
        f"/staff/applications/{submitted.pk}/",
        "/staff/calls/new/",
        f"/staff/calls/{open_call.pk}/edit/",
        "/staff/rates/",
        "/staff/rates/edit/",
        "/staff/rates/import/",
        f"/consultations/staff-assign/{open_call.pk}/",
        f"/staff/defense/calls/{open_call.pk}/",
        f"/staff/defense/calls/{open_call.pk}/new/",
        f"/staff/defense/sessions/{session.pk}/",
        f"/staff/rubric/calls/{open_call.pk}/",
        f"/staff/ranking/calls/{open_call.pk}/",
        f"/staff/ranking/calls/{decided_call.pk}/",
        f"/applications/{invited.pk}/plan/",
    ):
        _check(page, base, path)
    _submit_empty(page, base, "/staff/calls/new/", "main form button[type=submit]")
    page.goto(f"{base}/uk/staff/applications/{submitted.pk}/")
    page.click("[data-testid=reject-form] button[type=submit], form[action$='/reject/'] button[type=submit]")
    page.wait_for_load_state()
    _check_current(page, "reject without a reason")

    _sign_in(page, base, "approver@example.org")
    decisions = f"/staff/decisions/calls/{decided_call.pk}/"
    for path in ("/staff/decisions/", decisions, f"{decisions}?tab=grants", f"{decisions}?tab=declined"):
        _check(page, base, path)
    _check(page, base, f"/staff/decisions/applications/{recommended.pk}/")
    grant_approve(application=recommended, actor=User.objects.get(email="approver@example.org"))
    page.goto(f"{base}/uk{decisions}?tab=grants")
    page.click("form[action$='/letters/confirm/'] button[type=submit]")
    page.wait_for_url("**/letters/confirm/**")
    _check_current(page, "letters confirmation")
    page.click("[data-testid=confirm-letters]")
    page.wait_for_url("**/batches/**")
    _check_current(page, "letter batch")
    page.goto(page.url.replace("/uk/", "/en/"))
    _check_current(page, "letter batch")


def test_consultant_reviewer_and_donor_pages(live_server, new_page, demo):
    page = new_page()
    base = live_server.url
    open_call = Call.objects.get(title_en="1+1 individual grants, 2026")
    invited = Application.objects.get(call=open_call, status=ApplicationStatus.INVITED_TO_DEFENSE)
    shortlisted = Application.objects.get(call=open_call, status=ApplicationStatus.SHORTLISTED)
    session = DefenseSession.objects.filter(call=open_call).first()

    _sign_in(page, base, "consultant@example.org")
    _check(page, base, "/consultations/")
    _check(page, base, f"/consultations/applications/{shortlisted.pk}/")

    _sign_in(page, base, "reviewer@example.org")
    _check(page, base, "/reviewing/")
    _check(page, base, f"/reviewing/applications/{invited.pk}/declare/")
    _check(page, base, f"/reviewing/sessions/{session.pk}/chair/")

    _sign_in(page, base, "donor@example.org")
    _check(page, base, "/dashboard/")


def test_axe_finds_a_planted_violation(live_server, new_page, demo):
    """The check is real: a form control without a label is reported by axe as critical."""
    page = new_page()
    page.goto(f"{live_server.url}/uk/calls/")
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    critical = [(v["id"], v["impact"]) for v in axe_violations(page) if v["impact"] == "critical"]
    assert critical == [("label", "critical")]
