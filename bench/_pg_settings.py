"""Settings of the scale benchmarks: the demo's, on PostgreSQL (`BENCH_DATABASE_URL`), DEBUG off, tasks in-process.

The database holds the `seed_load` data set and is kept between runs (seeding takes a minute or two);
bench.scale creates and seeds it when it is absent.
"""

import os

from onepluone.settings.local import *  # noqa: F401, F403

DATABASES = {
    "default": env.db(  # noqa: F405
        "BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/onepluone_bench"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
os.environ.setdefault("ONEPLUONE_BENCH", "1")
