"""Settings for CSP Portal, driven entirely by environment variables.

Development needs nothing set: `make run` exports DEBUG=1 and the database
defaults to SQLite in the repository. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL (PostgreSQL), and optionally CACHE_URL (Redis).
With those set, `manage.py check --deploy` is clean.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from csp_portal.email_settings import EmailSettingsError, email_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"Unexpected value {name}={raw!r}: use 1 or 0.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Unexpected value {name}={raw!r}: use a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A fixed key is only tolerable while developing on one's own machine.
_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "simple_history",
    "axes",
    "csp",
    "crimedata",
    "assessments",
    # The Kent demo data and its load_demo command; no page imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csp_portal.urls"
WSGI_APPLICATION = "csp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp_portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The computed comparisons are cached; a data generation number in every key
# makes an import or edit invalidate them without deleting keys.
_CACHE_URL = os.environ.get("CACHE_URL", "")
if _CACHE_URL:
    if not _CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// URL.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "csp-portal"}}
COMPARISON_CACHE_SECONDS = env_int("COMPARISON_CACHE_SECONDS", 60 * 60)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # NCSC guidance prefers length and a deny-list to composition rules.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lock on username and IP together: a council office behind one NAT address
# must not be locked out by one person's mistakes.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
# Collected files for production (`manage.py collectstatic`, into STATIC_ROOT, default
# staticfiles/ in the repository); while developing, whitenoise serves straight from
# static/ through the finders.
STATIC_ROOT = None if DEBUG else Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded spreadsheets are read in memory up to this size, then from a temp file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# police.uk uploads, in total: a zip of a year of Kent street-level files is about 15 MB.
POLICEUK_UPLOAD_MAX_BYTES = env_int("POLICEUK_UPLOAD_MAX_BYTES", 60 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Until sign-in decides, this setting said whether anonymous visitors could see
# provisional figures. It stays as a kill switch and defaults to the rule in
# docs/methods.md §13: the public sees final figures only.
SHOW_PROVISIONAL_TO_PUBLIC = env_bool("SHOW_PROVISIONAL_TO_PUBLIC", False)

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# No inline scripts anywhere: charts read their data from json_script blocks
# and are drawn by static files. plotly.js sets inline styles, so styles (only)
# allow 'unsafe-inline' (ecosystem.md §2.2).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SITE_NAME = "CSP Portal"
SITE_DESCRIPTION = "Kent Community Safety Partnership strategic assessments"

# --- Statistics: SPC special-cause rules ----------------------------------------------------
# How many points in a row make a "run" (all on one side of the centre line) and a
# "trend" (each higher, or each lower, than the last). NHS Making Data Count and its
# Excel tool use 7 and 7; Western Electric uses 8 for a run and Nelson 6 for a trend,
# and which variant Kent Police uses is not confirmed (docs/methods.md §1.2), so both are
# settings rather than constants.
SPC_RUN_LENGTH = env_int("SPC_RUN_LENGTH", 7)
SPC_TREND_LENGTH = env_int("SPC_TREND_LENGTH", 7)

# --- Email: collection reminders and alerts ---------------------------------------------------
# EMAIL_URL (smtp+tls://user:password@host:587) or EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/EMAIL_USE_SSL; with neither, emails are printed to the console
# (`make run`). See csp_portal/email_settings.py and README "Reminders and alerts by email".
try:
    _EMAIL = email_settings(os.environ)
except EmailSettingsError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL["EMAIL_HOST"]
EMAIL_PORT = _EMAIL["EMAIL_PORT"]
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _EMAIL["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _EMAIL["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _EMAIL["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CSP Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails need the site's own address: SITE_URL, or https:// and the first allowed host.
SITE_URL = (os.environ.get("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS and not DEBUG and ALLOWED_HOSTS[0] != "*" else "http://127.0.0.1:8000"
)).rstrip("/")
