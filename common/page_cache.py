"""A page asked for again before anything in the database has changed is served as it was rendered.

The pages a crowd reopens all day (the dashboards, the calls, the business-plan form, the screening queue,
the decisions of a call) render the same HTML until something is written. On PostgreSQL the server knows
when that is: every write, committed or not, moves the write-ahead log's insert position
(`pg_current_wal_insert_lsn()`, one cheap query). `cached_page` keys the rendered page on that position and on
who asks (the session and its CSRF cookie, the language, the full path), and keeps it for
PAGE_CACHE_SECONDS (0, the default, switches it off; production turns it on) in the "pages" cache: each web
process's own memory, never Redis, since a page holds decrypted answers and production's Redis writes an
append-only file to disk.

- A view that writes (an access-log entry for a staff member reading an application, a draft created)
  moves the position itself, so its page is never served again: the view runs, and writes, every time.
- Any write anywhere, by any process (a Celery worker, another user, this user's last form), changes the key
  of every page: nothing is served that a write could have changed. Time is part of the key too, in
  PAGE_CACHE_SECONDS steps, for what a page shows of the clock (a call that has just closed).
- Nothing is cached for a request without a session, without a CSRF cookie (the page's forms carry a token
  of that cookie's secret), with messages waiting to be shown, or sent by htmx; nor a response other than a
  200, one that sets a cookie, makes a new CSRF secret or says `no-store`.
- The decorator goes under the view's permission checks (common.views.perm_required): they run on every
  request, and the key's session says whose page it is.

One gap, bounded by that step: a commit's log record is written a moment before its rows become visible to
other sessions, and a page rendered in that moment is stored without them until the next write.

What it does not do: help while the database is busy being written to, since every write empties it. It
serves crowds reading, which is what the pages under `cached_page` mostly get. On SQLite (the demo and a
laptop's tests) there is no such position and nothing is cached.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.translation import get_language

KEY_PREFIX = "page:"


def write_position() -> str | None:
    """Where the database's write-ahead log is now, or None where there is none (SQLite) or it cannot be read."""
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        return None


def _askable(request) -> bool:
    """Whether a stored page may answer this request at all."""
    if request.method != "GET" or getattr(request, "htmx", False):
        return False
    session = getattr(request, "session", None)
    if session is None or not session.session_key or "_messages" in session:
        return False
    return bool(request.COOKIES.get(settings.CSRF_COOKIE_NAME)) and not request.COOKIES.get(CookieStorage.cookie_name)


def _key(request, position: str, seconds: int) -> str:
    parts = (
        request.get_full_path(),
        get_language() or "",
        request.session.session_key,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        position,
        str(int(time.time() // seconds)),
    )
    return KEY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request, response, *, session_was_modified: bool) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "no-store" in response.get("Cache-Control", ""):
        return False
    # The page's forms carry a token of the CSRF cookie's secret (part of the key). Django sends that cookie
    # again whenever a page uses it, to renew its expiry; a stored page only skips that renewal. A secret
    # other than the cookie's (the cookie was not a valid one) would be a new cookie: not stored.
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if request.META.get("CSRF_COOKIE", cookie) != cookie:
        return False
    if request.session.modified and not session_was_modified:
        return False  # the view changed the session: a stored page would skip that
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return not queued


def _stored(response) -> dict:
    headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
    return {"status": response.status_code, "content": response.content, "headers": headers}


def _response(stored: dict) -> HttpResponse:
    response = HttpResponse(stored["content"], status=stored["status"])
    for name, value in stored["headers"]:
        response[name] = value
    return response


def cached_page(view):
    """Serve the view's page from the cache while the database has not changed (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _askable(request):
            return view(request, *args, **kwargs)
        position = write_position()
        if position is None:
            return view(request, *args, **kwargs)
        key = _key(request, position, seconds)
        stored = caches["pages"].get(key)
        if stored is not None:
            return _response(stored)
        session_was_modified = request.session.modified
        response = view(request, *args, **kwargs)
        if _storable(request, response, session_was_modified=session_was_modified):
            caches["pages"].set(key, _stored(response), seconds)
        return response

    return wrapper
