"""The embedded demo: SQLite, Celery tasks run in-process, emails printed to the console."""

from .base import *  # noqa: F401

DEBUG = env.bool("DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Static files come from the app folders through django.contrib.staticfiles, not from collectstatic.
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("whitenoise")]
