"""The embedded demo: SQLite, Celery tasks run in-process, emails printed to the console."""

import sys

from .base import *  # noqa: F401


def _runserver_url(argv: list[str]) -> str | None:
    """`http://127.0.0.1:8103` for `manage.py runserver 127.0.0.1:8103`, so that links in the demo's emails
    and letters point at the server actually running; None for any other command."""
    if "runserver" not in argv:
        return None
    address = next((arg for arg in argv[argv.index("runserver") + 1 :] if not arg.startswith("-")), "8000")
    if ":" not in address:
        address = f"127.0.0.1:{address}" if address.isdigit() else f"{address}:8000"
    host, port = address.rsplit(":", 1)
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"  # noqa: S104 - a URL, not a bind


DEBUG = env.bool("DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Static files come from the app folders through django.contrib.staticfiles, not from collectstatic.
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("whitenoise")]
SITE_URL = env("SITE_URL", default=_runserver_url(sys.argv) or SITE_URL)
HELP_EMAIL = env("HELP_EMAIL", default="help@onepluone.org.ua")
