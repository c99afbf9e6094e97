"""Settings for Transfo, read from the environment.

Development needs nothing: SQLite in the project directory and debug on.
Production sets DJANGO_DEBUG=False, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# SQLite with several writers (two editors, gunicorn workers): write-ahead logging lets reads go
# on during a write; IMMEDIATE transactions take the write lock at their start, so that writers
# queue (up to `timeout` seconds) instead of failing with "database is locked" halfway through.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

# PostgreSQL: the search's ranking statements are prepared once per connection and run their
# generic plan (core.search._ranking_cursor): planning them cost as much as running them. Only
# those ask to be prepared (Django's cursors bind parameters in the client and never prepare; a
# threshold of None, Django's default, would refuse even them), and the generic plan concerns
# prepared statements only.
POSTGRES_OPTIONS = {
    "prepare_threshold": 2**31 - 1,
    "options": "-c plan_cache_mode=force_generic_plan",
}


def database_from_url(url: str | None) -> dict:
    """The DATABASES entry for DATABASE_URL: absent means a SQLite file beside manage.py."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(POSTGRES_OPTIONS),
        }
    if parsed.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parsed.path) or ":memory:",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    raise ImproperlyConfigured(f"DATABASE_URL: schéma non pris en charge « {parsed.scheme} ».")


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY doit être défini quand DJANGO_DEBUG est faux."
        )
    # Bandit: refused when debug is off.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # nosec B105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "simple_history",
    "import_export",
    "axes",
    # Serves the API docs' assets locally instead of from a CDN.
    "ninja",
    "csp",
    "core",
    "transfo",
    "practices",
    "cases",
    # After practices: its admin adds the trainings inline to the practice admin.
    "trainings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "transfo.security.SecurityHeadersMiddleware",
    "core.http.HeadAsGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.cache.PublicPageCacheMiddleware",
    # Inside the page cache: a cached page has had its no-break spaces set once.
    "transfo.typography.FrenchTypographyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a login once the account and address are locked out, before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hour
# Locked: one username from one address, never an account for everyone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The number of reverse proxies in front of gunicorn (nginx: 1), whose X-Forwarded-For is
# trusted for the visitor's address; 0 (default) reads the connection's address only.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

ROOT_URLCONF = "transfo.urls"
WSGI_APPLICATION = "transfo.wsgi.application"

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
                "transfo.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
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
# Uploads above this size go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Anonymous visitors' pages are cached this long (0: no page cache); see core/cache.py.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# DJANGO_CACHE_URL=redis://host:6379/0 shares pages, fragments and content versions between
# servers; without it each process keeps its own cache and the versions live in the database.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "transfo",
        }
    }
    CONTENT_VERSIONS_IN_CACHE = True
elif CACHE_URL:
    raise ImproperlyConfigured(
        "DJANGO_CACHE_URL : seules les adresses redis:// sont prises en charge."
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    CONTENT_VERSIONS_IN_CACHE = False
# The deployed version (a commit, a tag): pages and fragments kept in a shared cache by another
# release are not served (core.cache.release).
RELEASE = os.environ.get("DJANGO_RELEASE", "")
# A list's result and facet counts are kept this long for a given content (see core.listing).
LIST_STATS_SECONDS = int(os.environ.get("DJANGO_LIST_STATS_SECONDS", "600"))
# Only for `make bench`: adds a trivial view to compare the pages with.
BENCH_BARE_VIEW = env_bool("TRANSFO_BENCH_BARE_VIEW", default=False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Who publishes the site, for the legal notice, the accessibility statement and the citations.
# The operator sets them; the defaults name the institution whose staff edit the content.
SITE_PUBLISHER = os.environ.get(
    "TRANSFO_PUBLISHER",
    "Centre national de la fonction publique territoriale (CNFPT) — Institut national des études territoriales (INET)",
)
# No invented defaults: the pages say plainly what the operator has not filled in.
SITE_CONTACT_EMAIL = os.environ.get("TRANSFO_CONTACT_EMAIL", "")
SITE_HOST_PROVIDER = os.environ.get("TRANSFO_HOST_PROVIDER", "")
SITE_PUBLICATION_DIRECTOR = os.environ.get("TRANSFO_PUBLICATION_DIRECTOR", "")

LOGIN_URL = "admin:login"
CSRF_FAILURE_VIEW = "transfo.pages.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production behind an HTTPS reverse proxy: DJANGO_HTTPS=1.
if env_bool("DJANGO_HTTPS", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".")]
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading commits the domain in browsers' built-in lists for months; that is a
    # decision for the operator of the domain, not a default of the application.
    "security.W021",
]

# A strict policy for the public site: no inline script or style, nothing from elsewhere.
# transfo/security.py relaxes it only where the admin and the API docs need it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws its form arrows with data: images in its stylesheet.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
FILTERS_EMPTY_CHOICE_LABEL = _("Tous")

# An import is applied whole or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The uploaded file waits for its confirmation in a directory and under names of its own.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "core.imports.ImportFileStorage"
# A control character in a text makes an XLSX export fail; it is replaced instead.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# E-mail: editors reply to contributions from the admin. Development prints the mails in the
# console; production sets DJANGO_EMAIL_BACKEND (and EMAIL_HOST…) to a real server.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Transfo <ne-pas-repondre@localhost>"
)
# /proposer/: how many proposals one address (IP or e-mail) may send per hour.
CONTRIBUTIONS_PER_HOUR = int(os.environ.get("TRANSFO_CONTRIBUTIONS_PER_HOUR", "3"))
