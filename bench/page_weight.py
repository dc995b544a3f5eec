"""What an applicant's phone downloads on a cold first visit to each applicant page.

A gunicorn server runs with production's static handling (bench/_weight_settings.py: `collectstatic`
into a scratch folder, WhiteNoise serving the hashed, compressed files) on the demo's data
(`seed_demo`). Headless Chromium opens each page in a fresh context (empty cache; a signed-in page gets
only the session cookie) and the bytes on the wire of every request are added up from the DevTools
protocol (`encodedDataLength`: headers and compressed bodies). One line per page:

    page_weight page=<path> kb=<transferred KB> requests=<n>

Target (issue 12): at most 150 KB per page.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # the browser the tests drive, launched the same way

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "demo-1plus1-2026"  # noqa: S105 - the demo's printed password
APPLICANT = "sofia@example.org"  # the demo applicant with a draft application


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the benchmark's gunicorn exited at start")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own server on 127.0.0.1
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the benchmark's gunicorn did not answer within 60 s")


def _transferred(browser, base: str, path: str, storage_state=None) -> tuple[float, int]:
    """KB on the wire and requests for a cold load of `path` in a fresh context."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=storage_state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    context.close()
    return sum(sizes.values()) / 1024, len(sizes)


def _signed_in_state(browser, base: str, email: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/uk/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


def _paths(env: dict) -> dict[str, list[str]]:
    """The applicant pages of the demo: public ones, and the applicant's dashboard and a form step."""
    script = (
        "from applications.models import Application, Call;"
        "c = Call.objects.get(title_en='1+1 individual grants, 2026');"
        f"a = Application.objects.get(applicant__email='{APPLICANT}');"
        "print(c.pk, a.pk)"
    )
    call, application = _manage(env, "shell", "-c", script).split()[-2:]
    return {
        "public": ["/uk/accounts/login/", "/uk/calls/", f"/uk/calls/{call}/"],
        "applicant": ["/uk/dashboard/", f"/uk/applications/{application}/edit/personal/"],
    }


def main() -> None:
    if not CHROMIUM:
        print("page_weight skipped: no Chromium")
        return
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="onepluone-weight-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench._weight_settings", "ONEPLUONE_BENCH_SCRATCH": str(scratch)}
    server = None
    try:
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        _manage(env, "seed_demo")
        paths = _paths(env)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "onepluone.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            state = _signed_in_state(browser, base, APPLICANT)
            for group, group_paths in paths.items():
                for path in group_paths:
                    kb, requests = _transferred(browser, base, path, state if group == "applicant" else None)
                    print(f"page_weight page={path} kb={kb:.1f} requests={requests}")
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
