"""Production: PostgreSQL, Redis, separate Celery worker and beat, behind a TLS-terminating proxy."""

from .base import *  # noqa: F401

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
# Derived from the real SECRET_KEY unless set; set it on its own so that rotating SECRET_KEY keeps the ids.
REPORTS_PSEUDONYM_KEY = env("REPORTS_PSEUDONYM_KEY", default=f"pseudonym:{SECRET_KEY}")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# One cache for every web process, so login rate limits and sessions' helpers agree across workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default="redis://redis:6379/1"),
    },
    "pages": CACHES["pages"],  # noqa: F405 - in the process, not in Redis (settings/base.py)
}
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# Issued letters live on the default storage. Object storage plugs in through django-storages (installed
# separately), e.g. DEFAULT_STORAGE_BACKEND=storages.backends.s3.S3Storage and a private bucket; the
# application streams every letter itself, so the bucket never needs public or signed URLs.
STORAGES["default"]["BACKEND"] = env("DEFAULT_STORAGE_BACKEND", default=STORAGES["default"]["BACKEND"])
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
