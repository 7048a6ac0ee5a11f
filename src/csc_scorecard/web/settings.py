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
    "simple_history", "csc_scorecard.plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ]
        },
    }
]

_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_HOME / "csc-scorecard.sqlite3"),
            "OPTIONS": {"timeout": 30},
        }
    }

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"

# Child-level data: sessions end with the browser and after an idle hour.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("CSC_SCORECARD_INSECURE_COOKIES", "") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Logs carry file names and counts, never child identifiers or values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CSC_SCORECARD_LOG_LEVEL", "WARNING")},
}
