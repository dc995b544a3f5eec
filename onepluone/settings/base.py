"""Settings shared by every environment; environment-specific modules override what they must.

Configuration comes from environment variables (12-factor) through django-environ.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="django-insecure-onepluone-local-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "common",
    "accounts",
    "applications",
    "plans",
    "rates",
    "reviews",
    "grants",
    "procurement",
    "monitoring",
    "reports",
    "onepluone",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "onepluone.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.sessions.StaffSessionMiddleware",
    "accounts.mfa.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "onepluone.urls"
WSGI_APPLICATION = "onepluone.wsgi.application"
ASGI_APPLICATION = "onepluone.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# The embedded default (SQLite) as a small server runs it: a write-ahead log, so a commit is one append
# instead of rewriting a rollback journal (the letter batch commits twice a letter: 40 % of its time went
# there), readers never wait for a writer, and a writer that must wait queues instead of failing.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login; an account is usable only once its email is verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "1+1: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's own limit on failed sign-ins counts per account from any address, so anyone could lock
# anyone out; accounts.throttle slows failures per address and per account-and-address instead.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Reverse proxies in front of the application that append to X-Forwarded-For (docs/deployment.md).
# 0: the client's address is the connection's (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Failed sign-ins and second-factor codes (accounts.throttle): this many are free, then each further
# attempt waits twice as long as the one before, starting at SIGN_IN_BACKOFF_SECONDS, at most an hour.
SIGN_IN_FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
SIGN_IN_FREE_FAILURES_PER_ADDRESS = 20
SIGN_IN_BACKOFF_SECONDS = 30
SIGN_IN_BACKOFF_MAX_SECONDS = 60 * 60

# Two-factor authentication (allauth.mfa): required for every role but applicants (accounts.mfa).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "1+1"
# A code from the previous or the next 30 seconds is accepted too (RFC 6238 section 5.2: a phone's
# clock drifts, a code typed at the end of its period arrives in the next); each is accepted once.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "accounts.forms.MFAReauthenticateForm",
}
# Staff sessions (accounts.sessions); applicants keep SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_SECONDS = 30 * 60
STAFF_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# How long a rendered page may answer again while nothing in the database has changed (common.page_cache);
# 0 switches it off. It needs PostgreSQL; production turns it on.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
# Those pages are kept in each web process's own memory, never in Redis: they hold decrypted answers (the
# queue's priority groups) and production's Redis writes an append-only file to disk.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Applicants' documents never sit under a public URL: they are served by a view that checks access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# The most files one form takes (a plan: 40 quotes and 20 evidence files); a request with more is a 400.
DATA_UPLOAD_MAX_NUMBER_FILES = 60
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="1+1 programme <no-reply@onepluone.org.ua>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis is the broker; tasks are queued after commit and are safe to run twice.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="redis://127.0.0.1:6379/0"))
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Letters are heavy (PDF rendering): their own queue, so a batch never delays the emails on the default one.
# Workers consume both: `celery -A onepluone worker -Q celery,letters`.
CELERY_TASK_ROUTES = {
    "grants.letters.tasks.letters_*": {"queue": "letters"},
    "grants.letters.tasks.letter_render": {"queue": "letters"},
    "procurement.handover.tasks.handover_act_render": {"queue": "letters"},
}
CELERY_BEAT_SCHEDULE: dict = {
    "defense-reminders": {
        "task": "reviews.sessions.tasks.send_defense_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "letters-sweep-orphans": {
        "task": "grants.letters.tasks.letters_sweep_orphans",
        "schedule": crontab(hour=3, minute=30),
    },
    "letters-email-unsent": {"task": "grants.letters.tasks.letters_email_unsent", "schedule": crontab(minute="*/15")},
    "retention-sweep": {"task": "applications.privacy.tasks.retention_sweep", "schedule": crontab(hour=2, minute=30)},
    "monitoring-reminders": {
        "task": "monitoring.tasks.monitoring_send_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
}
# Drafts nobody has touched for this many months are deleted (applications.privacy.retention).
DRAFT_RETENTION_MONTHS = env.int("DRAFT_RETENTION_MONTHS", default=6)

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from this site or with the response's nonce, never
# inline. Style attributes (style="width: 40%" on a progress bar) are allowed, <style> elements are not:
# an attribute cannot hold selectors, so it cannot read the page the way an injected stylesheet can.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features the application never uses are switched off (onepluone.middleware).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "publickey-credentials-get": ["self"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Fernet keys of the encrypted fields, newest first (common.crypto; rotate with manage.py rotate_encryption_keys).
# The default key is public: it is for the demo and the tests only, and `check --deploy` refuses it.
DEMO_FIELD_ENCRYPTION_KEY = "JkHO1ZQYVq5qpRxSusaENmxOREPeVBVd6e6EvElau2M="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[DEMO_FIELD_ENCRYPTION_KEY])

# The public address of the site: every email, allauth's links, the letters' verification URL and QR code
# are built on it (common/site.py). The demo defaults it to the address runserver listens on.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# A mailbox the programme team reads: emails carry it as Reply-To and say replies are read. Without it,
# emails say replies are not read and point to the help page, which shows HELP_EMAIL and HELP_PHONE.
REPLY_TO_EMAIL = env("REPLY_TO_EMAIL", default="")
HELP_EMAIL = env("HELP_EMAIL", default="")
HELP_PHONE = env("HELP_PHONE", default="")
# Seconds before the first retry of a letter that failed to render; each retry waits twice as long.
LETTER_RETRY_BASE_SECONDS = env.int("LETTER_RETRY_BASE_SECONDS", default=30)
# Letters a worker takes at a time (grants.letters.tasks); measured in bench/award_letters.py.
LETTER_BATCH_CHUNK = env.int("LETTER_BATCH_CHUNK", default=25)
# Award letters composed from pieces laid out once (grants.letters.compose); off: every letter laid out in full.
LETTER_COMPOSE = env.bool("LETTER_COMPOSE", default=True)

# Reports (reports/): the key of the pseudonymous ids in the donor's exports (HMAC-SHA256 of the
# application id). Keep it secret and stable: changing it gives every participant a new id.
REPORTS_PSEUDONYM_KEY = env("REPORTS_PSEUDONYM_KEY", default=f"pseudonym:{SECRET_KEY}")
# The organisation that publishes the IATI activity file: its IATI identifier, name and type (codelist
# OrganisationType: 22 = international NGO, 10 = government, 21 = national NGO...).
IATI_REPORTING_ORG_REF = env("IATI_REPORTING_ORG_REF", default="XM-DAC-0000-ONEPLUONE")
IATI_REPORTING_ORG_NAME = env("IATI_REPORTING_ORG_NAME", default="1+1 programme")
IATI_REPORTING_ORG_TYPE = env("IATI_REPORTING_ORG_TYPE", default="22")
