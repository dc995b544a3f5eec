"""axe-core (shipped inside the axe-playwright-python package; no CDN) run on a page in real Chromium.

A page passes when axe finds no serious and no critical violation. Every result is also appended to
var/test-artifacts/axe.jsonl (url, width, violations by impact), the figures a report quotes.
"""

import json
from collections import Counter
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from tests.conftest import ARTIFACTS

SEVERE = ("serious", "critical")
WIDTHS = (390, 1280)
_AXE = Axe()


def axe_violations(page) -> list[dict]:
    """Every axe violation on the page as it is now, each {'id', 'impact', 'help', 'nodes'}."""
    return _AXE.run(page).response["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']})")
        for node in violation["nodes"][:5]:
            summary = node.get("failureSummary", "").splitlines()[-1:]
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def _record(url: str, width: int, violations: list[dict]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counts = Counter(violation["impact"] for violation in violations)
    found = sorted({f"{violation['impact']}:{violation['id']}" for violation in violations})
    with open(ARTIFACTS / "axe.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps({"url": urlsplit(url).path, "width": width, **counts, "found": found}) + "\n")


# Finite CSS transitions and animations still running (a button's hover fading in under the pointer that just
# clicked it): axe reads the page at rest, not a colour halfway between two states.
_SETTLE = """() => Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""


def assert_accessible(page, what: str = "") -> None:
    """Fail unless axe finds no serious or critical violation on the page at its current width."""
    page.evaluate(_SETTLE)
    violations = axe_violations(page)
    width = page.viewport_size["width"] if page.viewport_size else 0
    _record(page.url, width, violations)
    severe = [violation for violation in violations if violation["impact"] in SEVERE]
    assert not severe, f"axe on {what or page.url} at {width} px:\n{_describe(severe)}"


def assert_accessible_at_both_widths(page, what: str = "") -> None:
    """The page at 390 px (a phone) and 1280 px (a desktop); the viewport is put back afterwards."""
    before = page.viewport_size or {"width": 390, "height": 844}
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": before["height"]})
            assert_accessible(page, what)
    finally:
        page.set_viewport_size(before)
