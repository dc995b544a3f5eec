"""In real Chromium: register, verify the email, apply over several steps, get shortlisted."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application, PriorityGroup
from tests.conftest import body_of, subject_of
from tests.e2e.browser import sign_in
from tests.factories import CallFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "kvitka@example.org"
APPLICANT_PASSWORD = "Kvitka-2021-Lviv!"


def next_step(page):
    page.click("button[name=action][value=next]")
    page.wait_for_load_state()


def test_applicant_registers_applies_and_sees_the_shortlisting(live_server, new_page, mailbox, celery_worker, settings):
    settings.SITE_URL = live_server.url  # the links in the emails lead to the server under test
    call = CallFactory(
        title_uk="Індивідуальні гранти 2021",
        title_en="Individual grants 2021",
        reference_prefix="1P1",
        cycle_year=2021,
    )
    returned_migrant = PriorityGroup.objects.get(code="returned_migrant")
    call.priority_groups.set([returned_migrant])
    UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    page = new_page()

    # Register and verify the email address from the link in the mail.
    page.goto(f"{live_server.url}/uk/accounts/signup/")
    page.fill("input[name=first_name]", "Квітка")
    page.fill("input[name=last_name]", "Гнатюк")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", APPLICANT_PASSWORD)
    page.fill("input[name=password2]", APPLICANT_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    [verification] = mailbox.wait_for(to=EMAIL)
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", body_of(verification)).group(0)
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/uk/dashboard/")

    # Apply: step 1, with a bad phone number in the middle; nothing typed is lost.
    page.goto(f"{live_server.url}/uk/calls/{call.pk}/")
    page.click("form[action$='/apply/'] button[type=submit]")
    page.wait_for_url("**/edit/personal/")
    assert page.input_value("#id_first_name") == "Квітка"
    page.fill("#id_patronymic", "Петрівна")
    page.fill("#id_date_of_birth", "1985-04-02")
    page.check("input[name=gender][value=female]")
    page.fill("#id_phone", "дзвоніть увечері")
    next_step(page)
    assert page.locator("#id_phone.is-invalid").count() == 1
    assert (
        page.input_value("#id_patronymic"),
        page.input_value("#id_date_of_birth"),
        page.input_value("#id_phone"),
    ) == ("Петрівна", "1985-04-02", "дзвоніть увечері")
    page.fill("#id_phone", "+48 600 100 200")
    next_step(page)

    page.wait_for_url("**/edit/migration/")
    page.check("input[name=countries_abroad][value=PL]")
    page.fill("#id_years_abroad", "4.5")
    page.check("input[name=still_abroad][value=False]")
    page.fill("#id_return_date", "2024-09-01")
    page.fill("#id_migration_experience", "Працювала сироваром на фермі під Краковом.")
    next_step(page)

    page.wait_for_url("**/edit/business/")
    page.select_option("#id_region", "lviv")
    page.fill("#id_hromada", "Жовківська")
    page.select_option("#id_sector", "agriculture")
    page.fill("#id_idea_title", "Сімейна сироварня")
    page.fill("#id_idea_description", "Тверді сири для ринків і кав'ярень Жовкви.")
    next_step(page)

    page.wait_for_url("**/edit/money/")
    page.fill("#id_own_contribution_amount", "3000")
    page.select_option("#id_own_contribution_currency", "USD")
    page.fill("#id_equipment-0-name", "Сироварня на 200 л")
    page.fill("#id_equipment-0-estimated_unit_price", "3500")
    next_step(page)

    page.wait_for_url("**/edit/declarations/")
    page.check(f"input[name=priority_groups][value='{returned_migrant.pk}']")
    page.check("#id_consent_selection")
    next_step(page)

    page.wait_for_url("**/edit/review/")
    page.click("form[action$='/submit/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    application = Application.objects.get(applicant__email=EMAIL)
    assert page.text_content("[data-testid=reference]") == "1P1-2021-0001"
    assert (application.status, application.phone, application.patronymic, application.language) == (
        ApplicationStatus.SUBMITTED,
        "+48 600 100 200",
        "Петрівна",
        "uk",
    )
    assert application.declared_priority_groups() == [returned_migrant]

    # The officer shortlists it.
    officer_page = new_page(width=1280, height=900)
    sign_in(officer_page, live_server.url, "officer@example.org", language="en")
    officer_page.wait_for_url("**/en/staff/")
    officer_page.click(f"text={call.title_en}")
    officer_page.click("text=1P1-2021-0001")
    officer_page.click("form[action$='/shortlist/'] button[type=submit]")
    officer_page.wait_for_load_state()
    assert officer_page.get_attribute("[data-testid=status]", "data-status") == "shortlisted"

    # The applicant sees the new status and has both emails.
    page.goto(f"{live_server.url}/uk/dashboard/")
    assert page.get_attribute("[data-testid=status]", "data-status") == "shortlisted"
    verification, received, shortlisted = mailbox.wait_for(to=EMAIL, count=3)
    assert ["1P1-2021-0001" in subject_of(m) for m in (verification, received, shortlisted)] == [
        False,
        True,
        True,
    ]
    assert [body_of(m).splitlines()[0] for m in (received, shortlisted)] == [
        translated_greeting("Квітка"),
        translated_greeting("Квітка"),
    ]


def translated_greeting(name: str) -> str:
    with translation.override("uk"):
        return gettext("Dear %(name)s,") % {"name": name}
