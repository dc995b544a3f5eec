"""The staff's list pages at national-roll-out size (issue 13), on PostgreSQL and the `seed_load` data set.

Each page is requested through Django's test client (server time: routing, the queries, the template),
signed in as the staff member who reads it, RUNS times after WARMUP untimed requests; the 95th percentile
is printed. The data sets are bench._scale_db's (20,000 applications, and 1,000 for the growth ratios),
each measured in its own process, since Django holds one database per process.

    staff_list n=20000 p95_ms= deep_p95_ms= search_p95_ms= queries=   the officer's screening queue
    decisions_list / decision_page (its "to decide" tab; _grants and _declined its other two) / ranking_page /
    application_decision p95_ms=
    growth page=<name> ratio=<p95 at 20,000 / p95 at 1,000>

Budgets (issue 13): the queue p95 <= 50 ms on page 1, a deep page and a search, <= 10 queries; the other
pages p95 <= 100 ms; every growth ratio <= 2. Each line ends with `budget=met` or `budget=not_met`.
"""

import json
import os
import statistics
import subprocess
import sys
import time

WARMUP = 3
RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "30"))
DEEP_PAGE = 150
SEARCH = "шевч"  # lower case, the names are stored capitalised: the search is case-insensitive in Cyrillic
QUEUE_BUDGET_MS, QUEUE_QUERIES, PAGE_BUDGET_MS, GROWTH_BUDGET = 50, 10, 100, 2


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[18]


def _timed(client, path: str, params: dict | None = None) -> float:
    for _ in range(WARMUP):
        client.get(path, params or {})
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path, params or {})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return p95(timings)


def measure() -> dict:
    """p95 of every page on this process's database (bench._pg_settings)."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from accounts.roles import Role
    from applications.enums import ApplicationStatus
    from applications.models import Application, Call
    from tests.signin import SecondFactorClient

    # No setup_test_environment(): it instruments every template render for the test client, which then
    # copies the context at each {% include %} - a cost production never pays (a 150-row page doubled).
    translation.activate("uk")
    from django.contrib.auth import get_user_model

    User = get_user_model()
    officer = User.objects.filter(groups__name=Role.PROGRAMME_OFFICER).order_by("pk").first()
    approver = User.objects.filter(groups__name=Role.APPROVER).order_by("pk").first()
    officers, approvers = SecondFactorClient(), SecondFactorClient()
    officers.force_login(officer)
    approvers.force_login(approver)
    screening = Call.objects.filter(applications__status=ApplicationStatus.SUBMITTED).order_by("-pk").first()
    decision = Call.objects.filter(applications__status=ApplicationStatus.APPROVED).order_by("-pk").first()
    recommended = Application.objects.filter(call=decision, status=ApplicationStatus.RECOMMENDED).order_by("pk").last()

    queue = reverse("staff:queue", args=[screening.pk])
    with CaptureQueriesContext(connection) as queries:
        officers.get(queue)
    return {
        "n": Application.objects.count(),
        "queries": len(queries),
        "staff_list": _timed(officers, queue),
        "staff_list_deep": _timed(officers, queue, {"page": DEEP_PAGE}),
        "staff_list_search": _timed(officers, queue, {"q": SEARCH}),
        "decisions_list": _timed(approvers, reverse("grants:calls")),
        "decision_page": _timed(approvers, reverse("grants:call_decisions", args=[decision.pk])),
        # The page's other tabs: the approved grants with their award letters, and the declined applications.
        "decision_page_grants": _timed(
            approvers, reverse("grants:call_decisions", args=[decision.pk]), {"tab": "grants"}
        ),
        "decision_page_declined": _timed(
            approvers, reverse("grants:call_decisions", args=[decision.pk]), {"tab": "declined"}
        ),
        "ranking_page": _timed(officers, reverse("ranking:call", args=[decision.pk])),
        "application_decision": _timed(approvers, reverse("grants:application", args=[recommended.pk])),
    }


def _measured(size: int) -> dict:
    from bench._scale_db import ensure

    url = ensure(size)
    env = {**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench._pg_settings"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--measure"], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _budget(met: bool) -> str:
    return "budget=met" if met else "budget=not_met"


def main() -> None:
    large, small = _measured(20000), _measured(1000)
    queue = (large["staff_list"], large["staff_list_deep"], large["staff_list_search"])
    print(
        f"staff_list n={large['n']} p95_ms={queue[0]:.1f} deep_p95_ms={queue[1]:.1f} search_p95_ms={queue[2]:.1f} "
        f"queries={large['queries']} {_budget(max(queue) <= QUEUE_BUDGET_MS and large['queries'] <= QUEUE_QUERIES)}",
        flush=True,
    )
    pages = ("decisions_list", "decision_page", "decision_page_grants", "decision_page_declined", "ranking_page")
    for page in (*pages, "application_decision"):
        print(f"{page} n={large['n']} p95_ms={large[page]:.1f} {_budget(large[page] <= PAGE_BUDGET_MS)}", flush=True)
    for page in ("staff_list", "decisions_list", "decision_page", "ranking_page", "application_decision"):
        ratio = large[page] / small[page]
        print(
            f"growth page={page} ratio={ratio:.2f} p95_ms_1k={small[page]:.1f} p95_ms_20k={large[page]:.1f} "
            f"{_budget(ratio <= GROWTH_BUDGET)}",
            flush=True,
        )


if __name__ == "__main__":
    if "--measure" in sys.argv:
        print(json.dumps(measure()))
    else:
        main()
