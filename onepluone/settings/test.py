"""Settings for `make test`.

Under CI=true (or ONEPLUONE_SERVICES=1) the suite runs on the real services: PostgreSQL, a Redis
broker and a separate Celery worker process that tests/conftest.py starts. Elsewhere it falls back
to SQLite and in-process tasks, so the same suite passes on a laptop with nothing running.
"""

from .base import *  # noqa: F401

USE_SERVICES = env.bool("CI", default=False) or env.bool("ONEPLUONE_SERVICES", default=False)

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "test-mail"))
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "test-private")
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
ACCOUNT_RATE_LIMITS = False
PAGE_CACHE_SECONDS = 0  # tests that need it switch it on (tests/common/test_page_cache.py)

if USE_SERVICES:
    DATABASES = {"default": env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/onepluone")}
    CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
    CELERY_TASK_ALWAYS_EAGER = False
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "var" / "test.sqlite3"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Static files come from the app folders through django.contrib.staticfiles, not from collectstatic.
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("whitenoise")]
LETTER_RETRY_BASE_SECONDS = 0
