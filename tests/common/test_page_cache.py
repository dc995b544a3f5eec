"""common.page_cache: a page is served again only while nothing in the database has changed, and only to the
session it was rendered for. The write position is PostgreSQL's: without it (SQLite) nothing is cached."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string, get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from common.page_cache import cached_page, write_position
from tests.conftest import url
from tests.factories import CallFactory, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield
    caches["pages"].clear()


class CountingView:
    """A view that counts how often it runs; `write` makes it write a row, `message` queue a message."""

    def __init__(self, *, write=False, message=False, status=200):
        self.runs, self.write, self.message, self.status = 0, write, message, status
        self.view = cached_page(self._view)

    def _view(self, request):
        self.runs += 1
        if self.write:
            submitted_application()
        if self.message:
            messages.info(request, "Saved.")
        return HttpResponse(f"page {self.runs} {get_token(request)}", status=self.status)


def _request(path="/uk/page/", *, session=None, csrf=None, **headers):
    request = RequestFactory().get(path, **headers)
    request.session = session if session is not None else _session()
    request.COOKIES["sessionid"] = request.session.session_key
    request.COOKIES["csrftoken"] = csrf or _get_new_csrf_string()
    request.META["CSRF_COOKIE"] = request.COOKIES["csrftoken"]
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.postgres
def test_the_same_session_gets_the_stored_page_until_something_is_written(page_cache):
    counting = CountingView()
    first = _request()
    again = _request(session=first.session, csrf=first.COOKIES["csrftoken"])

    assert counting.view(first).content == counting.view(again).content
    assert counting.runs == 1

    submitted_application()  # any write moves the position: every stored page's key changes
    assert counting.view(_request(session=first.session, csrf=first.COOKIES["csrftoken"])).content.startswith(b"page 2")
    assert counting.runs == 2


def _session() -> SessionStore:
    session = SessionStore()
    session["seen"] = True
    session.save()
    return session


@pytest.mark.postgres
def test_nobody_else_gets_a_stored_page(page_cache):
    counting = CountingView()
    mine, theirs = _session(), _session()  # saved before any page: a session written moves the position
    csrf = _get_new_csrf_string()
    counting.view(_request(session=mine, csrf=csrf))

    counting.view(_request(session=theirs, csrf=csrf))  # another session with the same CSRF cookie
    counting.view(_request(session=mine))  # the same session with another CSRF cookie
    counting.view(_request("/en/page/", session=mine, csrf=csrf))  # another path
    assert counting.runs == 4
    counting.view(_request(session=mine, csrf=csrf))
    assert counting.runs == 4


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("counting", "what"),
    [
        (CountingView(write=True), "a page whose view writes (an access-log entry)"),
        (CountingView(message=True), "a page that queued a message"),
        (CountingView(status=404), "a page other than a 200"),
    ],
    ids=["writes", "message", "not-found"],
)
def test_a_page_is_not_stored(page_cache, counting, what):
    first = _request()
    counting.view(first)
    counting.view(_request(session=first.session, csrf=first.COOKIES["csrftoken"]))
    assert counting.runs == 2, what


@pytest.mark.postgres
@pytest.mark.parametrize(
    "change",
    [
        lambda request: request.META.update(HTTP_HX_REQUEST="true") or setattr(request, "htmx", True),
        lambda request: request.COOKIES.pop("csrftoken"),
        lambda request: request.COOKIES.update(messages="waiting"),
        lambda request: request.session.update({"_messages": "[]"}),
        lambda request: setattr(request, "method", "POST"),
    ],
    ids=["htmx", "no-csrf-cookie", "messages-cookie", "messages-in-session", "post"],
)
def test_a_request_that_a_stored_page_may_not_answer(page_cache, change):
    counting = CountingView()
    first = _request()
    counting.view(first)
    again = _request(session=first.session, csrf=first.COOKIES["csrftoken"])
    change(again)
    counting.view(again)
    assert counting.runs == 2


def test_off_unless_switched_on_and_on_postgresql(settings):
    settings.PAGE_CACHE_SECONDS = 0
    counting = CountingView()
    first = _request()
    counting.view(first)
    counting.view(_request(session=first.session, csrf=first.COOKIES["csrftoken"]))
    assert counting.runs == 2
    if connection.vendor != "postgresql":
        assert write_position() is None


@pytest.mark.postgres
def test_the_queue_is_served_again_and_shows_a_change_at_once(page_cache, officer_client):
    call = CallFactory()
    application = submitted_application(call=call, last_name="Шевчук")
    officer_client.cookies["csrftoken"] = _get_new_csrf_string()
    path = url("staff:queue", call.pk)

    rendered = officer_client.get(path)
    with CaptureQueriesContext(connection) as served:
        again = officer_client.get(path)
    assert again.content == rendered.content
    assert len(served) < 8  # the session, the user and the position: the queue's own queries did not run

    Application.objects.filter(pk=application.pk).update(last_name="Коваленко")
    changed = officer_client.get(path)
    assert "Коваленко" in changed.content.decode()
    assert "Шевчук" not in changed.content.decode()


@pytest.mark.postgres
def test_a_stored_pages_form_posts_and_the_message_after_it_is_shown(page_cache, officer_client):
    call = CallFactory()
    submitted_application(call=call)
    officer_client.handler.enforce_csrf_checks = True
    officer_client.cookies["csrftoken"] = _get_new_csrf_string()
    path = url("staff:queue", call.pk)
    officer_client.get(path)
    served = officer_client.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', served).group(1)

    # The bulk form of the stored page, sent with nothing chosen: its token is good, the form is not.
    sent = officer_client.post(url("staff:queue_bulk", call.pk), {"csrfmiddlewaretoken": token, "next": path})
    assert sent.status_code == 302
    after = officer_client.get(path).content.decode()
    assert "alert-dismissible" not in served
    assert "alert-dismissible" in after
    assert "alert-dismissible" not in officer_client.get(path).content.decode()  # shown once
