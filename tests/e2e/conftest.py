"""Every page a browser test visits is checked with axe afterwards, at 390 px and 1280 px.

The pages are visited again, in a fresh context carrying the test's cookies (so the same user sees
them), once the test body has passed; a serious or critical violation fails the test in teardown.
Pages that are not HTML (PDFs, calendar files) are skipped.
"""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.axe import assert_accessible_at_both_widths


@pytest.fixture
def new_page(new_page, browser, request):
    opened = []

    def open_page(width: int = 390, height: int = 844):
        page = new_page(width, height)
        visited: list[str] = []

        def remember(req):
            top = req.is_navigation_request() and req.frame.parent_frame is None
            if top and req.method == "GET" and req.url not in visited:
                visited.append(req.url)

        page.on("request", remember)
        opened.append((page, visited))
        return page

    open_page.csp_violations = new_page.csp_violations
    yield open_page
    call = getattr(request.node, "rep_call", None)
    if call is None or not call.passed or getattr(request.module, "AXE_CHECKED_INLINE", False):
        return
    for page, visited in opened:
        state = page.context.storage_state()
        context = browser.new_context(storage_state=state, viewport={"width": 390, "height": 844}, bypass_csp=True)
        try:
            checker = context.new_page()
            checked: set[str] = set()
            for url in visited:
                try:
                    response = checker.goto(url)
                except PlaywrightError as error:  # a file download, not a page
                    if "Download is starting" in str(error):
                        continue
                    raise
                if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                checker.wait_for_load_state()
                if checker.url in checked:
                    continue
                checked.add(checker.url)
                assert_accessible_at_both_widths(checker, url)
        finally:
            context.close()
