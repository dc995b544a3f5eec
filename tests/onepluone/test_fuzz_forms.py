"""Hostile input to every form the app shows: huge strings, NUL bytes, RTL and zero-width marks, HTML and
SQL fragments, out-of-range and non-ASCII numbers, impossible dates, bad choices, lists for scalars and
non-local `next` values. Never a 500; a refusal (4xx) changes no stored row; no redirect leaves the site.

The forms are found, not listed: every page of the permission matrix that some role opens (200) is read as
the first such role, and each POST form on it (its action and field names) is a target. A new form is fuzzed as soon
as a page shows it.
"""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ApplicationFactory

from .matrix_world import ROLES, build_world
from .test_permission_matrix import EXPECTED, _clients, _get, _requests, _snapshot, _snapshot_sql

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
# Forms whose success signs the user out or removes their second factor: they would end the run, not test it.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/", "/2fa/totp/deactivate/")

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202eגדש\u202c",
        "\u200b\u200d\ufeff",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1; DROP TABLE applications_application; --",
        '=HYPERLINK("http://evil.example")',
        "99999999999999999999999999",
        "-1",
        "-0.0001",
        "NaN",
        "Infinity",
        "1e308",
        "١٢٣",
        "٣.٥",
        "2023-02-30",
        "0000-00-00",
        "9999-12-31T25:61",
        "31.02.2024",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "x" * 20_000,
        "й" * 5_000,
    ]
)
VALUE = st.one_of(HOSTILE_TEXT, st.text(max_size=40), st.lists(HOSTILE_TEXT, min_size=2, max_size=3))


def _forms(html: str) -> list[tuple[str, list[str]]]:
    forms = []
    for attributes, body in FORM.findall(html):
        attrs = dict(ATTRIBUTE.findall(attributes))
        if attrs.get("method", "get").lower() != "post" or not attrs.get("action", "").startswith("/"):
            continue
        names = {unescape(dict(ATTRIBUTE.findall(field)).get("name", "")) for _, field in FIELD.findall(body)}
        names = sorted(name for name in names - SKIPPED_FIELDS if name)
        forms.append((unescape(attrs["action"]), names))
    return forms


@pytest.fixture
def targets():
    """(role, client, action, field names) of every POST form a role sees on a page of the matrix."""
    world = build_world()
    ApplicationFactory(applicant=world.users["owner"])  # a draft, so the application steps show their forms
    clients = _clients(world)
    found = {}
    for name, _route, path in _requests(world):
        if path is None:
            continue
        openers = [
            role
            for role, status in zip(ROLES, EXPECTED[name].split(), strict=True)
            if status == "200" and role not in ("anonymous", "superuser")
        ]
        for role in openers[:1]:  # the page as the first role that opens it
            status, response = _get(clients[role], path)
            if status != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for action, names in _forms(response.content.decode()):
                if not any(skipped in action for skipped in SKIPPED_ACTIONS):
                    found.setdefault(action, (role, names + ["next"]))  # each form once, as the first who sees it
    return [(role, clients[role], action, names) for action, (role, names) in sorted(found.items())]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_input_to_any_form_never_breaks_and_a_refusal_stores_nothing(targets, data):
    assert len(targets) > 25
    role, client, action, names = data.draw(st.sampled_from(targets), label="form")
    values = {name: data.draw(VALUE, label=name) for name in names if data.draw(st.booleans(), label=f"send {name}")}
    sql = _snapshot_sql()
    before = _snapshot(sql)

    with translation.override("uk"):
        response = client.post(action, values)

    assert response.status_code < 500, (role, action, values)
    if 400 <= response.status_code < 500:
        assert _snapshot(sql) == before, (role, action, response.status_code)
    if response.status_code in (301, 302, 303):
        assert urlsplit(response["Location"]).netloc in ("", "testserver"), response["Location"]
