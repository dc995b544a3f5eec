"""In real Chromium: a consultant logs a session; the applicant writes the plan, watches the grant
preview, recovers from a fake upload and submits; the officer returns it; version 2 is submitted;
staff see the changes; the PDF states the right USD figures."""

import shutil
import subprocess
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from plans.models import PlanVersion
from tests.e2e.browser import sign_in
from tests.factories import (
    MINIMAL_PDF,
    ConsultantAssignmentFactory,
    ExchangeRateFactory,
    UserFactory,
    shortlisted_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "summary": "Пекарня на заквасці в центрі громади.",
    "market": "Школи, кав'ярні та магазини громади.",
    "experience": "Три роки пекарем у Вроцлаві.",
    "operations": "Оренда приміщення, борошно від місцевого млина.",
    "risks": "Зростання цін на борошно: довгий контракт з млином.",
    "sustainability": "Прибуток покриває оренду з четвертого місяця.",
}


def grant_shown(page, expected: str) -> None:
    page.wait_for_function(
        "expected => (document.querySelector('[data-testid=grant-usd]') || {}).textContent === expected",
        arg=expected,
    )


def test_plan_from_first_draft_to_a_revised_version_and_its_pdf(live_server, new_page, celery_worker, tmp_path):
    today = timezone.localdate()
    ExchangeRateFactory(currency="USD", date=today, uah_per_unit=Decimal("40.000000"))
    ExchangeRateFactory(currency="EUR", date=today, uah_per_unit=Decimal("44.000000"))
    application = shortlisted_application(applicant__email="kvitka@example.org")
    consultant = UserFactory(role=Role.CONSULTANT, email="consultant@example.org", first_name="Ірина")
    ConsultantAssignmentFactory(application=application, consultant=consultant)
    UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")

    # The consultant logs a session.
    desk = new_page(width=1280, height=900)
    sign_in(desk, live_server.url, "consultant@example.org")
    desk.goto(f"{live_server.url}/uk/consultations/applications/{application.pk}/")
    desk.fill("#id_held_on", today.isoformat())
    desk.check("input[name=mode][value=video]")
    desk.fill("#id_duration_minutes", "45")
    desk.fill("#id_topics", "Ринок і постачальники")
    desk.fill("#id_next_steps", "Зібрати комерційні пропозиції")
    desk.click("[data-testid=session-form] button[type=submit]")
    desk.wait_for_load_state()

    # The applicant sees it and writes the plan.
    page = new_page()
    sign_in(page, live_server.url, "kvitka@example.org")
    page.goto(f"{live_server.url}/uk/applications/{application.pk}/")
    assert "Ринок і постачальники" in page.text_content("main")
    page.click("[data-testid=write-plan]")
    page.wait_for_url("**/plan/edit/")
    for name, text in SECTIONS.items():
        page.fill(f"#id_{name}", text)
    page.fill("#id_jobs_total", "3")
    page.fill("#id_jobs_women", "2")
    page.fill("#id_equipment-0-item", "Піч хлібопекарська")
    page.fill("#id_equipment-0-supplier", "ТОВ «Пекмаш»")
    page.fill("#id_equipment-0-unit_price", "120000")
    page.select_option("#id_equipment-0-currency", "UAH")
    page.set_input_files(
        "#id_equipment-0-quote",
        files=[{"name": "quote.pdf", "mimeType": "application/pdf", "buffer": b"MZ this is not a PDF"}],
    )
    page.fill("#id_contribution-0-description", "Заощадження")
    page.fill("#id_contribution-0-amount", "2000")
    page.select_option("#id_contribution-0-currency", "USD")
    for month in range(1, 13):
        page.fill(f"#id_revenue_{month}", "90000")
        page.fill(f"#id_costs_{month}", "70000")
    grant_shown(page, "2\u202f000,00 USD")
    page.fill("#id_contribution-0-amount", "3500")
    grant_shown(page, "3\u202f000,00 USD")

    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    assert page.locator("#id_equipment-0-quote.is-invalid").count() == 1
    assert (page.input_value("#id_equipment-0-item"), page.input_value("#id_summary")) == (
        "Піч хлібопекарська",
        SECTIONS["summary"],
    )
    draft = PlanVersion.objects.get(plan__application=application)
    assert (draft.summary, draft.jobs_total, list(draft.contribution_lines.values_list("amount", flat=True))) == (
        SECTIONS["summary"],
        3,
        [Decimal("3500.00")],
    )

    page.set_input_files(
        "#id_equipment-0-quote", files=[{"name": "quote.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button[name=action][value=submit]")
    page.wait_for_url("**/plan/")
    assert page.text_content("[data-testid=version-grant]") == "3\u202f000,00 USD"

    # The officer returns it for revision.
    desk = new_page(width=1280, height=900)
    sign_in(desk, live_server.url, "officer@example.org")
    desk.goto(f"{live_server.url}/uk/applications/{application.pk}/plan/")
    desk.fill("[data-testid=return-form] textarea", "Знизьте ціну печі: є дешевший постачальник.")
    desk.click("[data-testid=return-form] button[type=submit]")
    desk.wait_for_load_state()

    # Version 2.
    page.goto(f"{live_server.url}/uk/applications/{application.pk}/plan/edit/")
    assert "дешевший постачальник" in page.text_content("[data-testid=return-note]")
    page.fill("#id_summary", "Пекарня на заквасці з доставкою в школи громади.")
    page.fill("#id_equipment-0-unit_price", "100000")
    grant_shown(page, "2\u202f500,00 USD")
    page.click("button[name=action][value=submit]")
    page.wait_for_url("**/plan/")
    assert page.text_content("[data-testid=version-grant]") == "2\u202f500,00 USD"

    # Staff see what changed.
    desk.goto(f"{live_server.url}/uk/applications/{application.pk}/plan/v2/")
    assert desk.locator("[data-testid=plan-diff] ins").all_text_contents() == ["з доставкою", "школи"]
    assert desk.locator("[data-testid=plan-diff] del").all_text_contents() == ["центрі"]
    assert "Піч хлібопекарська" in desk.text_content("[data-testid=diff-equipment]")

    lines = [
        (
            v.number,
            list(v.equipment_lines.values_list("item", "total_usd")),
            list(v.contribution_lines.values_list("amount", flat=True)),
        )
        for v in PlanVersion.objects.filter(plan__application=application).order_by("number")
    ]
    assert lines == [
        (1, [("Піч хлібопекарська", Decimal("3000.00"))], [Decimal("3500.00")]),
        (2, [("Піч хлібопекарська", Decimal("2500.00"))], [Decimal("3500.00")]),
    ]

    # The PDF of version 2 (rendered by the worker under CI) states the USD figures.
    version = PlanVersion.objects.get(plan__application=application, number=2)
    deadline = time.monotonic() + 60
    while not PlanVersion.objects.get(pk=version.pk).pdf_sha256 and time.monotonic() < deadline:
        time.sleep(0.5)
    response = desk.request.get(f"{live_server.url}/uk/plans/pdf/{version.pk}/")
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.body())
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert [figure in text for figure in ("2 500,00 USD", "3 500,00 USD", "Піч хлібопекарська")] == [
        True,
        True,
        True,
    ], text
