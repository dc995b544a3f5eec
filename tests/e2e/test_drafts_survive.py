"""In real Chromium: what an applicant types survives an expired session and is autosaved."""

import pytest

from applications.models import Application
from tests.e2e.browser import sign_in
from tests.factories import PASSWORD, ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_is_autosaved_without_pressing_a_button(live_server, new_page):
    application = ApplicationFactory(idea_title="")
    page = new_page()
    step = f"/uk/applications/{application.pk}/edit/business/"
    sign_in(page, live_server.url, application.applicant.email, step)

    page.fill("#id_idea_title", "Пекарня на заквасці")
    page.wait_for_function("() => document.getElementById('autosave-status').textContent.length > 0")

    application.refresh_from_db()
    assert application.idea_title == "Пекарня на заквасці"


def test_what_was_typed_comes_back_after_the_session_expired(live_server, new_page):
    application = ApplicationFactory(idea_title="", idea_description="")
    page = new_page()
    step = f"/uk/applications/{application.pk}/edit/business/"
    sign_in(page, live_server.url, application.applicant.email, step)
    page.wait_for_url(f"**{step}")

    page.context.clear_cookies(name="sessionid")
    page.fill("#id_idea_title", "Пекарня на заквасці")
    page.fill("#id_idea_description", "Хліб для шкіл і кав'ярень громади.")
    page.wait_for_selector("#session-notice:not(.d-none)")
    page.click("button[name=action][value=next]")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", application.applicant.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{step}")

    assert page.is_visible("#restore-notice")
    assert (page.input_value("#id_idea_title"), page.input_value("#id_idea_description")) == (
        "Пекарня на заквасці",
        "Хліб для шкіл і кав'ярень громади.",
    )
    page.click("button[name=action][value=next]")
    page.wait_for_url("**/edit/money/")
    saved = Application.objects.get(pk=application.pk)
    assert (saved.idea_title, saved.idea_description) == ("Пекарня на заквасці", "Хліб для шкіл і кав'ярень громади.")
