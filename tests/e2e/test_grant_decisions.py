"""In real Chromium: an approver bulk-approves a call's recommended applications in rank order within its
budget, finds the grants on their own tab and what still waits on the first, generates the award letters
and watches the batch finish without reloading; the applicant downloads the award letter from the
dashboard and it states the agreement number and the grant."""

import shutil
import subprocess
import time
from decimal import Decimal

import pytest

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.models import Application
from grants.enums import LetterStatus
from grants.models import Letter
from tests.e2e.browser import sign_in
from tests.factories import CallFactory, UserFactory, recommended_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def text(page, testid: str) -> str:
    return " ".join(page.text_content(f"[data-testid={testid}]").replace("\xa0", " ").split())


def test_bulk_approval_letters_and_the_applicants_download(live_server, new_page, celery_worker, tmp_path):
    call = CallFactory(reference_prefix="GD", cycle_year=2021, budget_envelope=Decimal("7000.00"))
    UserFactory(role=Role.APPROVER, email="approver@example.org")
    first, second, third = (
        recommended_application(call=call, applicant__email=f"{name}@example.org", last_name=surname)
        for name, surname in (("bondar", "Бондар"), ("koval", "Коваль"), ("shevchuk", "Шевчук"))
    )

    # The approver sees the budget and approves in rank order.
    desk = new_page(width=1280, height=900)
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, live_server.url, "approver@example.org")
    desk.goto(f"{live_server.url}/uk/staff/decisions/calls/{call.pk}/")
    assert [text(desk, t) for t in ("budget-envelope", "budget-committed", "budget-remaining")] == [
        "7 000,00",
        "0,00",
        "7 000,00",
    ]
    assert desk.locator("[data-testid=decision-row]").evaluate_all("rows => rows.map(r => r.dataset.reference)") == [
        first.reference,
        second.reference,
        third.reference,
    ]
    desk.click("[data-testid=bulk-approve]")
    desk.wait_for_selector("[data-testid=grant-row]")

    assert dict(Application.objects.filter(call=call).values_list("reference", "status")) == {
        first.reference: ApplicationStatus.APPROVED,
        second.reference: ApplicationStatus.APPROVED,
        third.reference: ApplicationStatus.RECOMMENDED,
    }
    warnings = desk.locator(".alert-warning").all_text_contents()
    assert len(warnings) == 1 and third.reference in warnings[0] and "1\u202f000,00 USD" in warnings[0], warnings
    assert desk.locator("[data-testid=agreement-number]").all_text_contents() == ["UA-GD-2021-0001", "UA-GD-2021-0002"]
    assert text(desk, "budget-remaining") == "1 000,00"
    # The approved grants are their own tab (the page went there); what still waits is one tab away.
    assert desk.locator("[data-testid=tab-grants]").get_attribute("aria-current") == "page"
    desk.click("[data-testid=tab-decide]")
    assert desk.locator("[data-testid=decision-row]").evaluate_all("rows => rows.map(r => r.dataset.reference)") == [
        third.reference
    ]
    assert [t.strip() for t in desk.locator("[data-testid=tab-count]").all_text_contents()] == ["1", "2", "0"]
    desk.click("[data-testid=tab-grants]")

    # Award letters for all approved, as a batch whose progress updates in place.
    desk.click("[data-testid=generate-award-letters]")
    assert desk.locator("[data-testid=confirm-recipients] li").count() == 2  # who will be emailed, first
    desk.click("[data-testid=confirm-letters]")
    desk.wait_for_url("**/staff/decisions/batches/*/")
    desk.evaluate("window.stillTheSamePage = true")
    desk.wait_for_function(
        "() => document.querySelector('[data-testid=batch-progress]').dataset.finished === 'true'", timeout=90_000
    )
    assert [text(desk, t) for t in ("batch-done", "batch-failed", "batch-total")] == ["2", "0", "2"]
    assert desk.get_attribute("[role=progressbar]", "aria-valuenow") == "100"
    assert desk.evaluate("window.stillTheSamePage") is True

    # The applicant of the first grant downloads the award letter from the dashboard.
    letter = Letter.objects.get(application=first)
    deadline = time.monotonic() + 30  # the award moves the application on as the letter is stored
    while Application.objects.get(pk=first.pk).status != ApplicationStatus.AWARDED and time.monotonic() < deadline:
        time.sleep(0.2)
    assert letter.status == LetterStatus.READY
    phone = new_page()
    sign_in(phone, live_server.url, "bondar@example.org")
    phone.goto(f"{live_server.url}/uk/dashboard/")
    with phone.expect_download() as info:
        phone.click("[data-testid=letter-download]")
    download = info.value
    assert download.suggested_filename == "award-letter-UA-GD-2021-0001-v1.pdf"
    pdf = tmp_path / "letter.pdf"
    download.save_as(pdf)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    content = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert ["UA-GD-2021-0001" in content, "USD 3,000.00" in content] == [True, True], content
