"""The server under a crowd (issue 13): gunicorn with 2 workers on PostgreSQL and the `seed_load` data set.

wrk (Debian's, `scripts/system-deps.sh bench`) holds 20 connections on 127.0.0.1 for LOAD_SECONDS,
each request the next of a mix of the pages people open most, each as its own signed-in user:
the applicant's dashboard, the public calls list, the applicant's business-plan form, the officer's
screening queue and the approver's decisions page. The reference is the same crowd on `/healthz`, a
view of one query, in the same run, so the ratio says what the pages cost beyond serving a request.

    load users=20 s=60 rps=<requests a second> p99_ms=<99th percentile> errors=<non-200 or socket errors>
        ref_rps=<requests a second on /healthz>

Budget: rps >= 0.5 x ref_rps, p99 <= 250 ms, 0 errors. The server runs as production does, with the page
cache (common.page_cache) on; a second line, `load_uncached`, is the same crowd with it off, each request
rendering its page. Each user's requests carry the CSRF cookie a browser keeps from its first page.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench._scale_db import ROOT, ensure

USERS = 20
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
REF_SECONDS = int(os.environ.get("BENCH_LOAD_REF_SECONDS", "20"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8765"))
WORKERS = 2
PAGE_CACHE_SECONDS = 60  # as production (onepluone.settings.production)
# Each thread of wrk has its own Lua state: requests go round the mix, and every answer but a 200 counts.
SCRIPT = """
local requests = {%s}
local counter = 0
errors = 0  -- global: the main state reads it from each thread
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  counter = counter + 1
  local r = requests[(counter %% #requests) + 1]
  return wrk.format("GET", r[1], {["Cookie"] = "sessionid=" .. r[2] .. "; csrftoken=" .. r[3]})
end
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("errors") end
  io.write(string.format("status_errors %%d\\n", total))
end
"""


def sessions() -> list[tuple[str, str, str]]:
    """(path, session key, CSRF cookie) for each page of the mix, signed in as the people who read them, each
    with the CSRF cookie a browser keeps from its first page; run on this process's database
    (`python -m bench.load --sessions`, with bench._pg_settings)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from accounts.roles import Role
    from applications.enums import ApplicationStatus
    from applications.models import Application, Call
    from tests.signin import SecondFactorClient

    translation.activate("uk")
    User = get_user_model()

    def session(user, client_class=SecondFactorClient) -> tuple[str, str]:
        client = client_class()
        client.force_login(user)
        return client.cookies["sessionid"].value, _get_new_csrf_string()

    def first(queryset, what: str):
        found = queryset.first()
        if found is None:
            raise RuntimeError(f"the load data set has no {what}: seed it with `manage.py seed_load`")
        return found

    S = ApplicationStatus
    officer = first(User.objects.filter(groups__name=Role.PROGRAMME_OFFICER).order_by("pk"), "programme officer")
    approver = first(User.objects.filter(groups__name=Role.APPROVER).order_by("pk"), "approver")
    screening = first(Call.objects.filter(applications__status=S.SUBMITTED).order_by("-pk"), "call at screening")
    decision = first(Call.objects.filter(applications__status=S.APPROVED).order_by("-pk"), "call with grants")
    submitted = first(
        Application.objects.filter(status=S.SUBMITTED).select_related("applicant").order_by("pk"),
        "submitted application",
    )
    planning = first(
        Application.objects.filter(status=S.SHORTLISTED).select_related("applicant").order_by("-call_id", "pk"),
        "shortlisted application",
    )
    return [
        (reverse("dashboard"), *session(submitted.applicant, Client)),
        (reverse("applications:call_list"), *session(submitted.applicant, Client)),
        (reverse("plans:plan_edit", args=[planning.pk]), *session(planning.applicant, Client)),
        (reverse("staff:queue", args=[screening.pk]), *session(officer)),
        (reverse("grants:call_decisions", args=[decision.pk]), *session(approver)),
    ]


def _sessions(url: str) -> list[tuple[str, str, str]]:
    """`sessions()` in a process of its own on the load database: this one may have set Django up already,
    on another benchmark's settings (bench.run runs award_letters first, on SQLite)."""
    env = {**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench._pg_settings"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sessions"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"load sessions failed: {done.stderr}")
    return [tuple(pair) for pair in json.loads(done.stdout.strip().splitlines()[-1])]


def _wrk(script: Path, seconds: int) -> dict:
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{USERS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stdout} {done.stderr}")
    out = done.stdout
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)],
        "errors": int(re.search(r"status_errors (\d+)", out).group(1))
        + (sum(map(int, socket.groups())) if socket else 0),
    }


def _script(directory: Path, name: str, requests: list[tuple[str, str, str]]) -> Path:
    path = directory / f"{name}.lua"
    path.write_text(SCRIPT % ", ".join(f'{{"{p}", "{s}", "{c}"}}' for p, s, c in requests))
    return path


def _get(path: str, session: str = "", csrf: str = "") -> None:
    cookie = f"sessionid={session}; csrftoken={csrf}"
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
    urllib.request.urlopen(request, timeout=120).read()  # noqa: S310 - our own server


def _wait_until_up(requests: list[tuple[str, str, str]]) -> None:
    """Until gunicorn answers; then every page a few times, one at a time, so that each worker has paid its
    first requests' costs (URLs, templates, catalogues: seconds each on a busy machine) before the timing."""
    for _ in range(300):
        try:
            _get("/healthz")
            break
        except OSError:
            time.sleep(0.5)
    else:
        raise RuntimeError("gunicorn did not start")
    for _ in range(2 * WORKERS):
        for path, session, csrf in requests:
            _get(path, session, csrf)


def _crowd(url: str, requests: list[tuple[str, str, str]], *, page_cache_seconds: int) -> tuple[dict, dict]:
    """The mix and the reference, each under wrk, on a gunicorn of WORKERS workers with the page cache
    (common.page_cache) kept for `page_cache_seconds` (0: off)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench._pg_settings",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    command = [str(gunicorn), "onepluone.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}", "--preload"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait_until_up(requests)
        with tempfile.TemporaryDirectory(prefix="onepluone-load-") as scratch:
            directory = Path(scratch)
            mix = _script(directory, "mix", requests)
            reference = _script(directory, "ref", [("/healthz", *requests[0][1:])])
            _wrk(mix, 10)  # warm-up: each worker's first requests load templates and open connections
            return _wrk(mix, SECONDS), _wrk(reference, REF_SECONDS)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _line(name: str, load: dict, ref: dict, **extra) -> str:
    met = load["rps"] >= 0.5 * ref["rps"] and load["p99_ms"] <= 250 and load["errors"] == 0
    more = "".join(f" {key}={value}" for key, value in extra.items())
    return (
        f"{name} users={USERS} s={SECONDS} rps={load['rps']:.1f} p99_ms={load['p99_ms']:.0f} "
        f"errors={load['errors']} ref_rps={ref['rps']:.1f}{more} budget={'met' if met else 'not_met'}"
    )


def main() -> None:
    if shutil.which("wrk") is None:
        print("load skipped=wrk_missing (bash scripts/system-deps.sh bench)", flush=True)
        return
    url = ensure(20000)
    requests = _sessions(url)
    load, ref = _crowd(url, requests, page_cache_seconds=PAGE_CACHE_SECONDS)
    print(_line("load", load, ref, page_cache_s=PAGE_CACHE_SECONDS), flush=True)
    # The same crowd with the page cache off: what the pages cost when each request renders its page.
    load, ref = _crowd(url, requests, page_cache_seconds=0)
    print(_line("load_uncached", load, ref, page_cache_s=0), flush=True)


if __name__ == "__main__":
    if "--sessions" in sys.argv:
        print(json.dumps(sessions()))
    else:
        main()
