"""Settings of the award-letter benchmark: the demo's, on a throwaway SQLite file, media and mailbox."""

import tempfile
from pathlib import Path

from onepluone.settings.local import *  # noqa: F401, F403

_SCRATCH = Path(tempfile.mkdtemp(prefix="onepluone-bench-"))
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_SCRATCH / "bench.sqlite3"),
        # Two processes store letters at the same time: writers queue for the lock instead of failing.
        "OPTIONS": {**SQLITE_OPTIONS, "timeout": 60},  # noqa: F405
    }
}
MEDIA_ROOT = _SCRATCH / "media"
PRIVATE_MEDIA_ROOT = _SCRATCH / "private-media"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
