"""In real Chromium, on the demo's own data (`seed_demo`): every page after the award, as each post-award
demo participant, the programme officer, the approver and the donor see it, is styled like the rest and has
no serious or critical axe violation at 390 px and 1280 px in Ukrainian and English. A screenshot of each
page at each width goes to var/test-artifacts/after-award/ for a person to look at."""

import re

import pytest

from grants.models import Grant
from monitoring.models import MonitoringReport, RetentionCase, VerificationSample
from tests.conftest import ARTIFACTS
from tests.e2e.axe import WIDTHS, assert_accessible
from tests.e2e.test_every_page_accessible import LANGUAGES, _sign_in
from tests.e2e.test_every_page_accessible import demo as demo  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE_CHECKED_INLINE = True
SHOTS = ARTIFACTS / "after-award"
PARTICIPANTS = ("roman", "marta", "vasyl", "olha", "mykola")


def _look(page, base: str, path: str) -> None:
    """Visit `path` in both languages at both widths: answered 200, the site's stylesheet applied (the
    header and <main> laid out by it), no serious axe finding, and a full-page screenshot kept."""
    for language in LANGUAGES:
        response = page.goto(f"{base}/{language}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            page.wait_for_load_state()
            sheets, wide = page.evaluate(
                "() => [[...document.styleSheets].filter(s => s.cssRules.length"
                " && /bootstrap.min.css|app.css/.test(s.href || '')).length,"
                " document.documentElement.scrollWidth <= window.innerWidth + 1]"
            )
            assert sheets == 2, f"{path}: the site's stylesheets are not applied"
            assert wide, f"{path} scrolls sideways at {width} px"
            assert_accessible(page, f"{language}{path}")
            SHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", f"{language}{path}").strip("-")
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _grant_of(first: str) -> Grant:
    return Grant.objects.select_related("call").get(application__applicant__email=f"{first}@example.org")


def test_the_participants_pages_after_the_award(live_server, new_page, demo):  # noqa: F811
    page = new_page()
    for first in PARTICIPANTS:
        grant = _grant_of(first)
        _sign_in(page, live_server.url, f"{first}@example.org")
        _look(page, live_server.url, f"/delivery/{grant.pk}/")
        if grant.monitoring_reports.exists():
            _look(page, live_server.url, "/monitoring/")
            _look(page, live_server.url, f"/monitoring/reports/{grant.monitoring_reports.first().pk}/")


def test_the_staff_pages_after_the_award(live_server, new_page, demo):  # noqa: F811
    page = new_page()
    base = live_server.url
    grants = [_grant_of(first) for first in PARTICIPANTS]
    call = grants[0].call
    _sign_in(page, base, "officer@example.org")
    for path in ("/staff/procurement/", f"/staff/procurement/calls/{call.pk}/", "/staff/procurement/confirmations/"):
        _look(page, base, path)
    for grant in grants:
        _look(page, base, f"/staff/procurement/grants/{grant.pk}/")
        _look(page, base, f"/staff/procurement/grants/{grant.pk}/contribution/")
    _look(page, base, f"/staff/procurement/items/{grants[0].procurement_items.first().pk}/")
    _look(page, base, "/staff/monitoring/")
    _look(page, base, f"/staff/monitoring/reports/{MonitoringReport.objects.order_by('pk').first().pk}/")
    _look(page, base, f"/staff/monitoring/grants/{_grant_of('mykola').pk}/")
    _look(page, base, "/staff/monitoring/samples/")
    sample = VerificationSample.objects.first()
    if sample is not None:
        _look(page, base, f"/staff/monitoring/samples/{sample.pk}/")
    _look(page, base, "/staff/monitoring/cases/")
    _look(page, base, f"/staff/monitoring/cases/{RetentionCase.objects.first().pk}/")
    _look(page, base, f"/staff/monitoring/calls/{call.pk}/plan-vs-actual/")

    _sign_in(page, base, "approver@example.org")
    _look(page, base, "/staff/procurement/confirmations/")
    _look(page, base, f"/staff/procurement/grants/{_grant_of('vasyl').pk}/reduce/")
    _look(page, base, f"/staff/monitoring/cases/{RetentionCase.objects.first().pk}/")

    _sign_in(page, base, "donor@example.org")
    for path in ("/reports/", "/reports/map/", "/reports/exports/"):
        _look(page, base, path)
