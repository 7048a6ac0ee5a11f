"""Django settings for csc-scorecard.

Data lives in CSC_SCORECARD_HOME (default ~/.csc-scorecard): the SQLite
database and a generated secret key. DATABASE_URL switches to PostgreSQL.
No secret is ever kept in the repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from csc_scorecard.config import data_home

DATA_HOME = data_home()
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    from_env = os.environ.get("CSC_SCORECARD_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_HOME / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CSC_SCORECARD_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("CSC_SCORECARD_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csc_scorecard.accounts",
    "csc_scorecard.store",
    "csc_scorecard.rating",
    "csc_scorecard.results",
    "csc_scorecard.reporting",
    # The web application (see docs/web.md): sign-in security, background
    # tasks in the project's own database, and one app per bounded context.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "csc_scorecard.web.core",
    "csc_scorecard.web.tasks",
    "csc_scorecard.web.returns",
    "csc_scorecard.web.auditlog",
    "simple_history", "csc_scorecard.plans",
    "csc_scorecard.inspection",
    "csc_scorecard.scrutiny",
    "csc_scorecard.web.scorecard",
    "csc_scorecard.web.reports",
    "csc_scorecard.web.plans",
    "csc_scorecard.web.inspection",
    "csc_scorecard.web.scrutiny",
    "csc_scorecard.web.committee_packs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csc_scorecard.web.core.middleware.IdleExpiryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csc_scorecard.web.core.middleware.PageDataVersionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in account unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "csc_scorecard.web.core.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csc_scorecard.web.urls"
WSGI_APPLICATION = "csc_scorecard.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csc_scorecard.web.core.context.layout",
            ]
        },
    }
]

_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=600, conn_health_checks=True)}
else:
    DATA_HOME.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_HOME / "csc-scorecard.sqlite3"),
            # Kept open between requests: opening it (and setting WAL again) cost more
            # than a cached page does.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # WAL lets the web workers read while the task worker writes. A 32 MiB
            # page cache (SQLite's default is 2 MiB) keeps the child-id indexes in
            # memory while an ingest adds a year's rows: about 40% less CPU for the
            # inserts once a store holds a few years (bench/RESULTS.md, ingest).
            "OPTIONS": {
                "timeout": 30,
                # A transaction takes the write lock when it begins, waiting for it (up to the
                # timeout): one that read first and wrote later would otherwise fail at once
                # ("database is locked") whenever another process wrote in between: the
                # recompute after a web upload failed so while twenty users browsed.
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
                ),
            },
        }
    }

# Rendered parts of the busiest pages ({% cache %} in their templates), per server
# process, keyed on the data version (services/page_cache.py): a change draws them afresh.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "csc-scorecard-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
# whitenoise serves the app's static folders directly (no collectstatic step
# for an installed package); GOV.UK Frontend is built into web/static/govuk.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Child-level data: sessions end with the browser and after an idle hour.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60
# The hour is counted from the last request (idle expiry): IdleExpiryMiddleware moves the
# expiry on at most once a minute rather than writing the session on every request.
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("CSC_SCORECARD_BEHIND_PROXY", "") == "1":
    # A TLS-terminating proxy in front: trust its word that the request was HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("CSC_SCORECARD_INSECURE_COOKIES", "") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Logs carry file names and counts, never child identifiers or values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracebacks can quote values (a child's id in an exception message), so
    # the filter keeps only the exception's type and where it was raised.
    "filters": {"no_values": {"()": "csc_scorecard.web.core.logfilter.ExceptionTypeOnly"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_values"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CSC_SCORECARD_LOG_LEVEL", "WARNING")},
}

# --- Sign-in -------------------------------------------------------------
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: five wrong passwords for one account lock it for 30 minutes.
# Counted per account name, not per address: council offices share addresses.
AXES_FAILURE_LIMIT = int(os.environ.get("CSC_SCORECARD_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "csc-scorecard"

# --- Headers -------------------------------------------------------------
# No inline script or style anywhere: every script and stylesheet is a file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "csc_scorecard.web.core.views.csrf_failure"

# --- Uploads -------------------------------------------------------------
# The largest upload accepted, in bytes (files or zip, and a zip's contents).
UPLOAD_LIMIT_BYTES = int(float(os.environ.get("CSC_SCORECARD_UPLOAD_LIMIT_MB", "200")) * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "csc_scorecard.web.returns.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Background tasks ----------------------------------------------------
# Tasks live in the project's own database (django-tasks' database backend);
# `csc-scorecard serve` runs the worker beside gunicorn. CSC_SCORECARD_TASKS=
# immediate runs each task inside the request (tests, single-process use).
if os.environ.get("CSC_SCORECARD_TASKS", "") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# axes warns when lockout ignores the address; here it is counted per account
# on purpose (see AXES_LOCKOUT_PARAMETERS), so rotating addresses gains nothing.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
