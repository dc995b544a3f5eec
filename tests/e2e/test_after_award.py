"""In real Chromium: the officer records the delivery of the equipment, verifies the participant's own
contribution, issues the handover act (rendered by the Celery worker) and uploads the signed scan; the
participant, on a phone, proves their contribution and writes a monitoring report over two visits (the
draft is saved) and submits it."""

import time
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application
from monitoring.enums import ReportStatus
from monitoring.models import MonitoringReport
from procurement.enums import ItemStatus, ProofStatus
from procurement.services import item_order, procurement_open
from tests.e2e.browser import sign_in
from tests.factories import MINIMAL_PDF, UserFactory
from tests.factories.after_award import awarded_grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reload_until(page, selector: str, timeout: float = 90) -> None:
    """Reload until `selector` is on the page (a worker is rendering what it shows)."""
    deadline = time.monotonic() + timeout
    while not page.locator(selector).count():
        assert time.monotonic() < deadline, f"{selector} did not appear"
        time.sleep(0.5)
        page.reload()


def test_delivery_contribution_handover_and_a_monitoring_report(live_server, new_page, celery_worker, tmp_path):
    officer = UserFactory(role=Role.PROGRAMME_OFFICER, email="officer@example.org")
    grant = awarded_grant(
        equipment=(("Піч хлібопекарська", 1, Decimal("3000.00")),),
        contributions=(("cash", Decimal("3000.00")),),
        applicant__email="oksana@example.org",
    )
    procurement_open(grant=grant, actor=officer)
    item = grant.procurement_items.get()
    item_order(
        item=item, actor=officer, supplier="ТОВ «Пекмаш»", purchase_order_number="PO-7", ordered_on=timezone.localdate()
    )
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(MINIMAL_PDF)

    # The officer records the delivery to the programme, with its serial number and actual cost.
    desk = new_page(width=1280, height=900)
    sign_in(desk, live_server.url, "officer@example.org")
    desk.goto(f"{live_server.url}/uk/staff/procurement/items/{item.pk}/")
    desk.fill("#id_delivery-serial_numbers", "PM-2024-0042")
    desk.fill("#id_delivery-amount", "3000")
    desk.select_option("#id_delivery-currency", "USD")
    desk.click("[data-testid=delivery-submit]")
    desk.wait_for_selector("[data-testid=badge][data-status=delivered]")
    assert type(item).objects.get(pk=item.pk).status == ItemStatus.DELIVERED

    # The participant, on a phone, sees what to prove and uploads a receipt.
    phone = new_page()
    sign_in(phone, live_server.url, "oksana@example.org")
    phone.goto(f"{live_server.url}/uk/dashboard/")
    phone.click("[data-testid=delivery-link]")
    phone.set_input_files("[data-testid=evidence-form] input[type=file]", str(receipt))
    phone.fill("[data-testid=evidence-form] input[name$=note]", "Виписка з рахунку")
    phone.click("[data-testid=evidence-submit]")
    phone.wait_for_selector("[data-testid=proof][data-status=submitted]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # The officer verifies it and issues the act; the worker renders it.
    desk.goto(f"{live_server.url}/uk/staff/procurement/grants/{grant.pk}/contribution/")
    desk.click("[data-testid=verify-submit]")
    desk.wait_for_selector("[data-testid=proof][data-status=verified]")
    assert grant.contribution_proofs.get().status == ProofStatus.VERIFIED
    desk.goto(f"{live_server.url}/uk/staff/procurement/grants/{grant.pk}/")
    desk.click("[data-testid=issue-act]")
    reload_until(desk, "[data-testid=act][data-status=ready]")

    # The officer uploads the scan both parties signed: the equipment is handed over.
    desk.set_input_files("[data-testid=sign-form] input[type=file]", str(receipt))
    desk.click("[data-testid=sign-submit]")
    desk.wait_for_selector("[data-testid=handed-over]")
    assert Application.objects.get(pk=grant.application_id).status == ApplicationStatus.EQUIPMENT_DELIVERED

    # The participant writes the first monitoring report: a draft first, then the rest, then submits.
    phone.goto(f"{live_server.url}/uk/dashboard/")
    phone.click("[data-testid=dashboard-report-due] a")
    phone.check("input[name=business_operating][value=yes]")
    phone.fill("textarea[name=story]", "Відкрили пекарню на заквасці; печемо для двох сіл.")
    phone.click("[data-testid=save-draft]")
    phone.wait_for_selector(".alert-success")
    phone.reload()
    assert phone.is_checked("input[name=business_operating][value=yes]")
    assert phone.input_value("textarea[name=story]") == "Відкрили пекарню на заквасці; печемо для двох сіл."
    phone.check("input[name=equipment_in_use][value=yes]")
    phone.fill("input[name=jobs_female_under_35]", "2")
    phone.fill("input[name=jobs_male_35_54]", "1")
    phone.select_option("select[name=revenue_band]", "100k_500k")
    phone.click("[data-testid=submit-report]")
    phone.wait_for_selector("[data-testid=my-report][data-status=submitted]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    report = MonitoringReport.objects.get(grant=grant, months_after=6)
    assert (report.status, report.jobs_total, report.revenue_band) == (ReportStatus.SUBMITTED, 3, "100k_500k")
