"""Response headers that protect the browser side: Content-Security-Policy (django-csp) with nonces and
no inline script, Permissions-Policy (onepluone.middleware), and templates that keep to them."""

import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("path", ["/uk/", "/uk/accounts/login/", "/uk/calls/"])
def test_pages_carry_a_policy_that_allows_no_inline_script(client, path):
    response = client.get(path)

    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["style-src-elem"] == ["'self'"]
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_staff_pages_carry_the_policy_too(client):
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

    response = client.get("/uk/staff/")

    assert directives(response)["script-src"] == ["'self'"]


def test_a_response_that_uses_the_nonce_names_it_in_the_policy(rf):
    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))

    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives(response)["style-src-elem"] == ["'self'", f"'nonce-{nonce}'"]


def test_permissions_policy_switches_off_what_the_application_never_uses(client):
    response = client.get("/uk/")

    assert response["Permissions-Policy"] == (
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), "
        "microphone=(), midi=(), payment=(), serial=(), usb=(), publickey-credentials-get=(self)"
    )


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_an_inline_script_or_event_handler(path):
    source = path.read_text(encoding="utf-8")

    assert INLINE_SCRIPT.findall(source) == []
    assert INLINE_HANDLER.findall(source) == []


def test_the_template_check_does_find_inline_scripts():
    assert INLINE_SCRIPT.findall('<script>alert(1)</script><script src="/a.js"></script>') == ["<script>"]
    assert INLINE_HANDLER.findall('<button onclick="x()">') == ["<button onclick="]
    assert INLINE_SCRIPT.findall('<script type="application/json" id="data">{}</script>') == []
