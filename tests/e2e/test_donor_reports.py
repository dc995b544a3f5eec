"""In real Chromium, as the donor: from the role's home to the dashboard with small counts hidden, the map
of Ukraine with its legend and table, and the pseudonymised export, whose content holds no personal data
(tests/reports/programme.py has the figures)."""

import csv
import io

import pytest

from accounts.roles import Role
from tests.e2e.browser import sign_in
from tests.factories import UserFactory
from tests.reports.programme import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_donor_reads_the_dashboard_and_the_map_and_downloads_the_pseudonymised_export(
    live_server, new_page, celery_worker
):
    programme = build()
    UserFactory(role=Role.DONOR_AUDITOR, email="donor@example.org")
    page = new_page(width=1280, height=900)

    sign_in(page, live_server.url, "donor@example.org")
    page.click("[data-testid=reports-home]")
    page.select_option("select[name=call]", str(programme.call_a.pk))
    page.click("[data-testid=scope-form] button[type=submit]")

    assert page.text_content("[data-figure=applications]").strip() == "7"
    assert page.text_content("[data-figure=grants] [aria-hidden=true]") == "<5"
    assert page.is_visible("[data-testid=suppression-note]")
    funnel = page.locator("[data-testid=table-funnel] tbody tr td:first-of-type span[aria-hidden=true]")
    assert funnel.all_text_contents() == ["<5", "<5", "<5", "<5"]
    assert page.locator("#chart-funnel-title").count() == 1

    page.click("[data-testid=open-map]")
    page.wait_for_selector("[data-testid=map] svg[role=img]")
    assert page.locator("[data-testid=map] svg [data-region]").count() == 27
    # Lviv's 5 is hidden too: the other oblasts' hidden counts add up to 2, which 7 less 5 would give away.
    lviv = page.locator("[data-testid=map] path[data-region=lviv]")
    assert (lviv.locator("title").text_content(), lviv.get_attribute("fill")) == (
        "Львівська область: <5",
        "url(#hidden-hatch)",
    )
    assert "менше ніж 5 (не показано)" in page.text_content("[data-testid=map-legend]")
    by_region = page.locator("[data-testid=table-by-region]")
    assert by_region.locator("tr[data-row=lviv] td [aria-hidden=true]").first.text_content() == "<5"
    assert by_region.locator("tr[data-row=total] td").first.text_content().strip() == "7"

    page.goto(f"{live_server.url}/uk/reports/exports/")
    assert page.locator("[data-testid=export-full]").count() == 0
    page.select_option("[data-testid=export-pseudonymised] select[name=call]", str(programme.call_a.pk))
    page.select_option("[data-testid=export-pseudonymised] select[name=kind]", "applications")
    page.select_option("[data-testid=export-pseudonymised] select[name=file_format]", "csv")
    with page.expect_download() as download:
        page.click("[data-testid=download-pseudonymised]")
    content = download.value.path().read_bytes().decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["pseudonymous id", "call", "cycle year"]
    assert len(rows) == 7 and all(row[0].startswith("P-") for row in rows[1:])
    for application in programme.apps.values():
        for value in (application.last_name, application.first_name, application.applicant.email, application.phone):
            assert value not in content
