"""The site's public address and name, from one setting (SITE_URL), for everything that leaves a request:
emails, allauth's links, the award letter's verification URL and its QR code."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext


def site_url() -> str:
    """`https://grants.example.org`, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """A path of this site (`/uk/dashboard/`) as an absolute URL on SITE_URL."""
    return site_url() + "/" + path.lstrip("/")


def site_domain() -> str:
    """`grants.example.org` (with the port when SITE_URL has one)."""
    return urlsplit(site_url()).netloc


def site_name() -> str:
    """The programme's name in the active language, as emails and letters sign it."""
    return gettext("1+1 programme")
