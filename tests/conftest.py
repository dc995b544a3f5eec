"""Shared fixtures: the real Celery worker, the mailbox, real headless Chromium, the staff every app's tests
sign in as, and the helpers page tests share (`url`, `messages_of`, `shown_by`, the query counts).

Under CI=true the suite runs on PostgreSQL, with tasks sent through Redis to a separate Celery worker
process started here; elsewhere tasks run in-process on SQLite (onepluone/settings/test.py decides).
"""

import contextlib
import email
import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "var" / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    if settings.USE_SERVICES:
        return
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: run with CI=true")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _english():
    """Messages raised by services are read in English by the tests; pages choose by their URL prefix."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _private_media():
    """Uploaded and generated files go to one folder per run (settings.test), shared with the worker
    process so that a PDF it renders is found by the web side; the folder starts empty."""
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)
    yield


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the database afterwards, taking the rows migrations seed with them
    (roles, priority groups, consent notices); put them back before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from django.apps import apps

        request.getfixturevalue("transactional_db")
        for module in (
            "accounts.migrations.0002_roles",
            "applications.migrations.0002_reference_data",
            "applications.migrations.0009_privacy_retention_erasure",
        ):
            migration = importlib.import_module(module)
            (getattr(migration, "create_roles", None) or migration.load)(apps, None)
    yield
    if marker and marker.kwargs.get("transaction") and WORKERS:
        _worker_settled()


def rankings_stored() -> None:
    """Store now every ranking the test's changes made stale, as their queued recomputations would: those
    then find their changes counted and write nothing (so nothing is written behind the test's back)."""
    from reviews.ranking.models import RankingChange
    from reviews.ranking.services import ranking_store

    for call_id in set(RankingChange.objects.values_list("call_id", flat=True)):
        ranking_store(call_id=call_id)


# The real workers started in this run (start_worker): transactional tests wait for them before the flush.
WORKERS: list = []


def _worker_settled(timeout: float = 60) -> None:
    """Before a transactional test's flush, let the real workers finish what the test queued: a ranking's
    recomputation still running when the flush truncates every table deadlocks with it (PostgreSQL then
    fails the flush and the next test finds the rows). The stale rankings are stored here first, so the
    queued recomputations find their changes counted and only read."""
    from onepluone.celery import app

    with contextlib.suppress(DatabaseError):  # the test left the database unusable; the flush will say so
        rankings_stored()
    deadline = time.monotonic() + timeout
    with app.connection_for_read() as broker:
        queues = broker.default_channel.client
        for worker in [worker for worker in WORKERS if worker.alive()]:
            while time.monotonic() < deadline:
                waiting = sum(queues.llen(queue) for queue in ("celery", "letters"))
                # A solo worker answers between tasks only: an answer with nothing active means idle.
                inspect = app.control.inspect(destination=[worker.name], timeout=1.0, limit=1)
                active = (inspect.active() or {}).get(worker.name)
                if not waiting and active == []:
                    break
                time.sleep(0.1)


@pytest.fixture
def client():
    """Django's test client whose `force_login` signs staff in with their second factor too
    (tests/signin.py says how); `plain_client` records the password step only."""
    from tests.signin import SecondFactorClient

    return SecondFactorClient()


@pytest.fixture
def plain_client():
    from django.test import Client

    return Client()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Sign-in throttles and used one-time codes live in the cache: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield


class CeleryWorker:
    def __init__(self, process: subprocess.Popen, log: Path, name: str):
        self.process = process
        self.log = log
        self.name = name

    def alive(self) -> bool:
        return self.process.poll() is None


def start_worker(*, name: str, queues: str = "celery,letters", env: dict | None = None) -> CeleryWorker:
    """Start a `celery worker` process on the test broker and database, and wait until it answers."""
    from onepluone.celery import app

    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / f"celery-{name}.log"
    full_name = f"{name}-{os.getpid()}@{socket.gethostname()}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onepluone.settings.test",
        "CI": "true",
        "TEST_DATABASE_URL": url,
        "TEST_CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_FILE_PATH": str(settings.EMAIL_FILE_PATH),
        **(env or {}),
    }
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "onepluone",
                "worker",
                "--pool=solo",
                "-Q",
                queues,
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                full_name,
            ],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = CeleryWorker(process, log, full_name)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited at start:\n{log.read_text()}")
        if app.control.ping(destination=[full_name], timeout=1.0):
            WORKERS.append(worker)
            return worker
    process.terminate()
    pytest.fail(f"The Celery worker did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the Redis broker and the test database, or None when eager."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from onepluone.celery import app

    app.control.purge()
    worker = start_worker(name="test-worker")
    yield worker
    worker.process.terminate()
    try:
        worker.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.process.kill()


@pytest.fixture
def eager_tasks():
    """Run tasks in this process; with a transactional test they run as their transaction commits.

    For tests of what a task produces; tests/test_worker.py and the browser tests cover the path
    through the broker to the real worker."""
    from onepluone.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


class Mailbox:
    """Emails sent by this test, whether in-process (locmem) or by the worker (files)."""

    def __init__(self, directory: Path):
        self.directory = directory

    def clear(self) -> None:
        mail.outbox.clear()
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)

    def messages(self) -> list[Message]:
        found = [email.message_from_bytes(m.message().as_bytes()) for m in getattr(mail, "outbox", [])]
        for path in sorted(self.directory.glob("*.log")):
            for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk))
        return found

    def wait_for(self, *, to: str, count: int = 1, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while True:
            matching = [m for m in self.messages() if to in m.get("To", "")]
            if len(matching) >= count or time.monotonic() > deadline:
                return matching
            time.sleep(0.2)


def body_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def subject_of(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


@pytest.fixture
def mailbox(settings):
    box = Mailbox(Path(settings.EMAIL_FILE_PATH))
    box.clear()
    return box


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI; `make test` installs Debian's chromium.")
        pytest.skip("Chromium is not installed on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every document reports what the Content-Security-Policy refused to the test, across navigations.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation(event.violatedDirective + " refused " + (event.blockedURI || "inline") +
    " on " + event.documentURI + (event.sample ? ": " + event.sample : ""));
});
"""


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh browser contexts sized like a phone; screenshots are kept on failure.

    A test whose pages had anything refused by the Content-Security-Policy fails when it ends."""
    contexts = []
    csp_violations = []

    def open_page(width: int = 390, height: int = 844):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="uk-UA")
        context.set_default_timeout(15_000)
        context.expose_binding("reportCspViolation", lambda source, text: csp_violations.append(text))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        return context.new_page()

    open_page.csp_violations = csp_violations
    yield open_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{number}-{index}.png"), full_page=True)
        context.close()
    if csp_violations and not failed:
        pytest.fail("The Content-Security-Policy refused:\n" + "\n".join(csp_violations))


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- Staff ------------------------------------------------------------------------------------------------


@pytest.fixture
def officer():
    from accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.PROGRAMME_OFFICER)


@pytest.fixture
def approver():
    """An approver, who signs the award letters of the grants she approves."""
    from accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.APPROVER, first_name="Марта", last_name="Коваль")


@pytest.fixture
def officer_client(client, officer):
    """The test client, signed in as `officer`."""
    client.force_login(officer)
    return client


# --- Pages ------------------------------------------------------------------------------------------------


def url(name: str, *args, lang: str = "en") -> str:
    """The path of the named URL in `lang` (`/en/...` unless told otherwise)."""
    with translation.override(lang):
        return reverse(name, args=args)


def messages_of(response) -> list[str]:
    """The messages a page shows (after `follow=True`, the ones of the page redirected to)."""
    return [str(message) for message in response.context["messages"]]


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _TestidReader(HTMLParser):
    def __init__(self, testid: str):
        super().__init__()
        self.testid = testid
        self.found: list[str] = []
        self.depth, self.current = 0, None

    def handle_starttag(self, tag, attrs):
        if self.current is not None:
            self.depth += tag not in VOID
        elif dict(attrs).get("data-testid") == self.testid and tag not in VOID:
            self.current, self.depth = [], 1

    def handle_endtag(self, tag):
        if self.current is not None:
            self.depth -= 1
            if self.depth == 0:
                self.found.append(" ".join("".join(self.current).split()))
                self.current = None

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def shown_by(response, testid: str) -> list[str]:
    """The text of each element with this data-testid, white space collapsed."""
    reader = _TestidReader(testid)
    reader.feed(response.content.decode())
    return reader.found


# --- Query counts ----------------------------------------------------------------------------------------


def one_and_many(many: int):
    """Run a query-count test with `size` 1 and `many`: a page pins one number of queries for both, so
    what it shows never costs a query an item (pretalx's pattern, with `page_queries`)."""
    return pytest.mark.parametrize("size", [1, many], ids=["one", "many"])


@pytest.fixture
def page_queries(client, django_assert_num_queries):
    """`page_queries(count, path)`: GET `path` with the test's client; it answers 200 in exactly `count` queries."""

    def get(count: int, path: str, **params):
        with django_assert_num_queries(count):
            response = client.get(path, params)
        assert response.status_code == 200
        return response

    return get
