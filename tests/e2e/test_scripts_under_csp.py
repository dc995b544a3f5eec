"""In real Chromium, under the Content-Security-Policy: every page's scripts still work, all of them from
static files. The `new_page` fixture fails a test on any violation the policy reports (tests/conftest.py);
the journeys in the other browser tests (autosave, the plan's projection and grant preview, bulk
approval's confirmation, the letters' progress bar polled by htmx, the chair's live panel) are held to
it the same way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application
from tests.e2e.browser import sign_in
from tests.factories import CallFactory, UserFactory, shortlisted_application, submitted_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_reaches_the_browser_and_a_refused_script_is_reported(live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/uk/")

    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.appendChild(script);
    }""")
    page.wait_for_function("() => true")

    assert page.evaluate("() => window.injected === undefined") is True
    assert [v.split(" refused ")[0] for v in new_page.csp_violations] == ["script-src-elem"]
    new_page.csp_violations.clear()  # the refusal was the point


def test_select_all_in_the_screening_queue_and_the_consultants_page(live_server, new_page):
    call = CallFactory()
    for _ in range(3):
        submitted_application(call=call)
    shortlisted = [shortlisted_application(call=call) for _ in range(2)]
    UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    page = new_page(width=1280, height=900)
    sign_in(page, live_server.url, "officer@example.org")

    page.goto(f"{live_server.url}/uk/staff/calls/{call.pk}/applications/")
    page.check("#select-all")
    queue_checked = page.locator("input[name=applications]:checked").count()
    page.goto(f"{live_server.url}/uk/consultations/staff-assign/{call.pk}/")
    page.check("#select-all")
    assign_checked = page.locator("input[name=applications]:checked").count()

    assert (queue_checked, assign_checked) == (5, len(shortlisted))


def test_the_call_form_moves_the_cap_with_the_track(live_server, new_page):
    UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    page = new_page(width=1280, height=900)
    sign_in(page, live_server.url, "officer@example.org", "/uk/staff/calls/new/")
    page.wait_for_url("**/staff/calls/new/")

    page.select_option("#id_track", "community")
    community = page.input_value("#id_cap")
    page.select_option("#id_track", "individual")

    assert (community, page.input_value("#id_cap")) == ("20000.00", "4000.00")


def test_the_countdown_ticks_on_the_calls_page(live_server, new_page):
    CallFactory(title_uk="Відкритий конкурс", closes_at=timezone.now() + timedelta(hours=2))
    page = new_page()
    page.goto(f"{live_server.url}/uk/calls/")

    page.wait_for_function("() => /с залишилося$/.test(document.querySelector('.countdown').textContent)")
    first = page.text_content(".countdown")
    page.wait_for_function("(first) => document.querySelector('.countdown').textContent !== first", arg=first)


def test_the_plan_asks_before_it_is_submitted(live_server, new_page):
    application = shortlisted_application(applicant__email="kvitka@example.org")
    page = new_page()
    sign_in(page, live_server.url, "kvitka@example.org", f"/uk/applications/{application.pk}/plan/edit/")
    page.wait_for_url("**/plan/edit/")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))

    page.click("button[name=action][value=submit]")
    page.wait_for_function("() => document.getElementById('autosave-status') !== null")

    assert asked == ["Подати бізнес-план? Подану версію вже не можна буде змінити."]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SHORTLISTED
