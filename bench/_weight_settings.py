"""Settings of the page-weight benchmark: production's static handling (WhiteNoise serving hashed,
compressed files collected into a scratch STATIC_ROOT) and DEBUG off, on a throwaway SQLite database."""

import os
from pathlib import Path

from onepluone.settings.base import *  # noqa: F401, F403

_SCRATCH = Path(os.environ["ONEPLUONE_BENCH_SCRATCH"])
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(_SCRATCH / "weight.sqlite3")}}
STATIC_ROOT = _SCRATCH / "static"
MEDIA_ROOT = _SCRATCH / "media"
PRIVATE_MEDIA_ROOT = _SCRATCH / "private-media"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
