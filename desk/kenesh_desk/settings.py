"""Django settings for the desk, built from bot.settings (still the only reader of os.environ).

Laptop defaults: SQLite in KENESH_STATE_DIR, 127.0.0.1:8000, plain HTTP on loopback. With
KENESH_DESK_PRODUCTION=on: HTTPS only, HSTS, secure cookies, and a KENESH_DESK_SECRET_KEY must be
set (the desk refuses to start without one). `manage.py check --deploy --fail-level WARNING` is
clean with those settings (tests/desk/test_settings.py). README's settings table lists the variables.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from bot.settings import REPO_ROOT, Settings

KENESH = Settings.from_env()
DESK_DIR = REPO_ROOT / "desk"
SECRET_KEY_FILE = "desk-secret.key"  # in the state folder; written by `manage.py prepare`


def _secret_key(kenesh: Settings) -> str:
    """KENESH_DESK_SECRET_KEY; on a laptop the key `manage.py prepare` wrote to the state folder, or,
    before it has run, a key for this process only (sessions then end when the process does)."""
    if kenesh.desk_secret_key:
        if len(kenesh.desk_secret_key) < 50:
            raise ImproperlyConfigured("KENESH_DESK_SECRET_KEY must be at least 50 characters")
        return kenesh.desk_secret_key
    if kenesh.desk_production:
        raise ImproperlyConfigured("KENESH_DESK_PRODUCTION is on: set KENESH_DESK_SECRET_KEY (50+ random characters)")
    key_file = kenesh.state_dir / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    return secrets.token_urlsafe(50)


def _database(kenesh: Settings) -> dict:
    """PostgreSQL from KENESH_DESK_DATABASE_URL or KENESH_POSTGRES_*; else SQLite in the state folder,
    set up for two writers (the bot will write cases too): a busy timeout and IMMEDIATE transactions."""
    url = urlsplit(kenesh.desk_database_url or "")
    if not kenesh.desk_database_url or url.scheme == "sqlite":  # sqlite:////absolute/path: another file
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(url.path) if url.path else kenesh.desk_db_file,
            "OPTIONS": {"timeout": 10, "transaction_mode": "IMMEDIATE"},
        }
    if url.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured("KENESH_DESK_DATABASE_URL must be a postgresql:// or sqlite:/// URL")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": url.path.lstrip("/"),
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(url.port or 5432),
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = _secret_key(KENESH)
DEBUG = False  # also on a laptop: error pages never show a caller's words
ALLOWED_HOSTS = list(KENESH.desk_allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "desk.accounts",
    "desk.lookup",
    "desk.radar",
    "desk.cases",
    "desk.knowledge_status",
    "desk.knowledge_editor",
    "desk.retrain",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "desk.kenesh_desk.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "desk.kenesh_desk.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "desk.kenesh_desk.urls"
WSGI_APPLICATION = "desk.kenesh_desk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [DESK_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "desk.accounts.roles.roles_context",
            ],
        },
    },
]

DATABASES = {"default": _database(KENESH)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- accounts: Django's auth, sessions of one shift, django-axes against guessing ----------
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts-login"
LOGIN_REDIRECT_URL = "lookup-search"
LOGOUT_REDIRECT_URL = "accounts-login"
SESSION_COOKIE_AGE = int(KENESH.desk_session_hours * 3600)  # one shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False  # polling must not keep an unattended desk signed in
SESSION_COOKIE_NAME = "kenesh_desk_session"
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page (hx-headers on <body>)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)  # the default, None, locks people out until an admin resets
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one office shares one IP
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
# AXES_IPWARE_* stay unset: X-Forwarded-For is trusted only behind a proxy that overwrites it.

# ---- security headers (production adds HTTPS) --------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
if KENESH.desk_production:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000  # a new domain may start lower; docs/desk.md says how
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    if KENESH.desk_behind_proxy:  # only behind a proxy that sets it (and strips what clients send)
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    "security.W005",  # HSTS for every subdomain: the organisation's other sites are not the desk's to decide
    "security.W021",  # HSTS preload: a commitment browsers keep for months; an organisation opts in itself
]

# ---- language: the desk's own words are Russian first, English too (desk/locale) ------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [DESK_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Moscow"

# ---- static files: ours and the vendored ones (static/vendor/VERSIONS), served by WhiteNoise ---
STATIC_URL = "/static/"
STATICFILES_DIRS = [DESK_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve straight from the apps: no collectstatic step on a laptop

# Logs carry no request bodies, no search text, no answers of the risk check.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
