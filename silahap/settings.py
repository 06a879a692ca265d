"""Django settings for SiLAHAP, all read from the environment (see .env.example)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.cache import caches_from_env, check_reachable
from silahap.config import (
    ConfigError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_subset,
    map_tiles,
)
from silahap.storage import check_bucket, s3_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

SILAHAP_ENV = env_choice("SILAHAP_ENV", "development", ("development", "production", "test"))
PRODUCTION = SILAHAP_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SILAHAP_SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise ConfigError("SILAHAP_SECRET_KEY must be at least 50 random characters")
    ALLOWED_HOSTS = env_list("SILAHAP_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigError("SILAHAP_ALLOWED_HOSTS must be set, e.g. silahap.imigrasi.go.id")
else:
    SECRET_KEY = env_str("SILAHAP_SECRET_KEY", "insecure-development-key-never-use-in-production")
    ALLOWED_HOSTS = env_list(
        "SILAHAP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
    )

DEBUG = env_bool("SILAHAP_DEBUG", SILAHAP_ENV == "development")

VAR_DIR = Path(env_str("SILAHAP_VAR_DIR", str(BASE_DIR / "var")))
if not VAR_DIR.exists():
    try:
        VAR_DIR.mkdir(parents=True)
    except OSError as error:
        raise ConfigError(
            f"SILAHAP_VAR_DIR={VAR_DIR} cannot be created: {error.strerror}"
        ) from None

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'silahap.sqlite3'}"), BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Behind PgBouncer in transaction mode a server connection changes between transactions: no
# server-side cursors, no prepared statements (README, "Several nodes").
if env_bool("SILAHAP_DATABASE_POOLER", False) and DATABASES["default"]["ENGINE"].endswith(
    "postgresql"
):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# A read replica for heavy pages (silahap/replica.py; README, "Read replica"): the insights, their
# exports and the national pages read reports and registry rows from it; access checks,
# sessions and the audit trail never do; a writer reads the primary for a few seconds.
SILAHAP_REPLICA_DATABASE_URL = env_str("SILAHAP_REPLICA_DATABASE_URL", "")
SILAHAP_REPLICA_PATHS = env_list(
    "SILAHAP_REPLICA_PATHS", ["/insights/", "/operations/national/", "/guidance/completion/export/"]
)
SILAHAP_REPLICA_PIN_SECONDS = env_int("SILAHAP_REPLICA_PIN_SECONDS", 10, minimum=1)
SILAHAP_REPLICA_MAX_LAG_SECONDS = env_int("SILAHAP_REPLICA_MAX_LAG_SECONDS", 30, minimum=1)
DATABASE_ROUTERS: list[str] = []
if SILAHAP_REPLICA_DATABASE_URL:
    DATABASES["replica"] = database_from_url(SILAHAP_REPLICA_DATABASE_URL, BASE_DIR)
    # A replica that does not answer costs a request a few seconds at most, then is left alone.
    DATABASES["replica"].setdefault("OPTIONS", {})
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 3
    DATABASE_ROUTERS = ["silahap.replica.ReplicaRouter"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "silahap.events",
    "silahap.sections",
    "silahap.audit",
    "silahap.areas",
    "silahap.accounts",
    "silahap.registry",
    "silahap.reports",
    "silahap.supervision",
    "silahap.oversight",
    "silahap.operations",
    "silahap.guidance",
    "silahap.insights",
    "silahap.integration",
    # No models: its management commands (bench_scale).
    "silahap.demo",
]

# Request bodies other than uploaded files, and their fields (limits in silahap/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.REQUEST_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.FORM_FIELDS

MIDDLEWARE = [
    # First, so a request's time counts everything after it (silahap/metrics.py).
    "silahap.metrics.MetricsMiddleware",
    # Then compression: it compresses the page every other middleware has finished.
    "silahap.compression.PageCompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # An overlong address or a NUL is refused before the session or the user is read.
    "silahap.inputs.BoundedRequestMiddleware",
    # Whether this request's heavy reads may use the read replica (a no-op without one).
    "silahap.replica.ReplicaMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "silahap.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "silahap.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which would read the request first and answer too many files with a bare 400.
    "silahap.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outside the session clocks: it sees the person a timeout has just signed out.
    "silahap.accounts.offline.OfflineMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # django-otp's is_verified() without its per-request device query (see the class).
    "silahap.accounts.middleware.VerifiedSessionMiddleware",
    "silahap.accounts.middleware.ActiveAccountMiddleware",
    "silahap.accounts.middleware.SessionTimeoutMiddleware",
    # After the session clocks, so a timed-out session goes to the login page, not the code page.
    "silahap.accounts.middleware.SecondFactorMiddleware",
    "silahap.accounts.middleware.NoStoreMiddleware",
    "silahap.audit.middleware.DeniedAccessMiddleware",
    "silahap.accounts.middleware.OfficeTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "silahap.accounts.middleware.OutboxRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page's lockout message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "silahap.urls"
WSGI_APPLICATION = "silahap.wsgi.application"
ASGI_APPLICATION = "silahap.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "silahap.accounts.context_processors.roles",
                "silahap.maps.map_tiles",
                "silahap.accounts.offline.context",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (DESIGN.md §3): per username and address together, so one office's shared
# address cannot lock everyone out, nor one guessed username lock its owner out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("SILAHAP_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int("SILAHAP_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "silahap.accounts.views.login_locked_out"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's database sessions, their read compiled once per connection (accounts/sessions.py).
SESSION_ENGINE = "silahap.accounts.sessions"
# Absolute: a session ends this long after login, however busy (SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env_int("SILAHAP_SESSION_MAX_AGE", 12 * 3600, minimum=300)
# Idle: a session ends after this long without a request a person made (the board's polls and
# other requests sent with X-Silahap-Poll: 1 do not count).
SILAHAP_SESSION_IDLE_SECONDS = env_int("SILAHAP_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# More distinct person records than this viewed by one account in an hour alerts its leaders.
SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR = env_int(
    "SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR", 60, minimum=1
)
# Audit events older than this are pruned (manage.py retention_prune) behind a checkpoint.
# Five years by default: the minimum Permenkominfo 20/2016 (Pasal 15) set for keeping personal
# data in an electronic system, long enough to answer a data subject or a disciplinary inquiry
# about who read a record, while UU 27/2022 asks that nothing be kept once its purpose is spent.
# At least a year, so the yearly review can always read a full year.
SILAHAP_RETENTION_AUDIT_DAYS = env_int("SILAHAP_RETENTION_AUDIT_DAYS", 5 * 365, minimum=365)
# Audit events are sealed into the hash chain after commit (right after, and by run_scheduler
# every minute); audit_verify fails on an event still unsealed this long after it was recorded.
SILAHAP_AUDIT_SEAL_GRACE_MINUTES = env_int("SILAHAP_AUDIT_SEAL_GRACE_MINUTES", 10, minimum=1)
# Off: a committed request leaves its events to the next sealer instead of trying to seal them.
SILAHAP_AUDIT_SEAL_ON_COMMIT = env_bool("SILAHAP_AUDIT_SEAL_ON_COMMIT", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script is a file under static/js, and the maps'
# data travel in json_script blocks, which the browser does not execute.
# Map tiles only from the operator's server (none by default: the maps draw their points on a
# plain background with a scale); its origin is the one image source added to the policy.
SILAHAP_MAP_TILE_URL, _map_tile_origin = map_tiles("SILAHAP_MAP_TILE_URL")
SILAHAP_MAP_TILE_ATTRIBUTION = env_str("SILAHAP_MAP_TILE_ATTRIBUTION", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Leaflet's and Pico's icons are data: URIs; so is the second factor's enrolment QR code.
        "img-src": ["'self'", "data:", *([_map_tile_origin] if _map_tile_origin else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SILAHAP_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SILAHAP_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host != "*"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "silahap_language"
USE_I18N = True
USE_TZ = True
# Stored in UTC; each office shows its own zone (Asia/Jakarta, Asia/Makassar, Asia/Jayapura).
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env_str("SILAHAP_MEDIA_ROOT", str(VAR_DIR / "media")))
if MEDIA_ROOT.parent == VAR_DIR:
    # The default store beside the database; a configured one (a mounted volume) must exist.
    MEDIA_ROOT.mkdir(exist_ok=True)
# Production, and `make run` (bin/run-dev collects the files first and sets this): static files
# as production serves them. Without it (the suite, a bare runserver) they come from static/.
STATIC_COLLECTED = PRODUCTION or env_bool("SILAHAP_STATIC_COLLECTED", False)
# Stored files (evidence, warrant scans, SOP documents and videos, attachments): the local disk
# under MEDIA_ROOT, or a private bucket of an S3-compatible store shared by every node
# (silahap/storage.py; README, "Files in object storage").
SILAHAP_STORAGE = env_choice("SILAHAP_STORAGE", "local", ("local", "s3"))
# With the S3 store: after the access check, redirect to a URL signed for this long instead of
# streaming the file through the app (the store's origin joins the CSP's img-src and media-src).
SILAHAP_S3_SIGNED_URLS = env_bool("SILAHAP_S3_SIGNED_URLS", False)
SILAHAP_S3_SIGNED_URL_SECONDS = env_int("SILAHAP_S3_SIGNED_URL_SECONDS", 60, minimum=5)
if SILAHAP_STORAGE == "s3":
    DEFAULT_STORAGE = s3_storage_from_env(
        bucket=env_str("SILAHAP_S3_BUCKET", ""),
        endpoint_url=env_str("SILAHAP_S3_ENDPOINT_URL", ""),
        access_key=env_str("SILAHAP_S3_ACCESS_KEY_ID", ""),
        secret_key=env_str("SILAHAP_S3_SECRET_ACCESS_KEY", ""),
        region=env_str("SILAHAP_S3_REGION", ""),
        prefix=env_str("SILAHAP_S3_PREFIX", ""),
        signed_url_seconds=SILAHAP_S3_SIGNED_URL_SECONDS,
    )
    check_bucket(DEFAULT_STORAGE["OPTIONS"])
    if SILAHAP_S3_SIGNED_URLS:
        _store_origin = env_str("SILAHAP_S3_ENDPOINT_URL", "https://*.amazonaws.com")
        for _directive in ("img-src", "media-src"):
            CONTENT_SECURITY_POLICY["DIRECTIVES"].setdefault(_directive, ["'self'"])
            CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_store_origin.rstrip("/"))
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "silahap.compression.CollectedStaticStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_COLLECTED:
    # Served from what collectstatic wrote (hashed names, gzip and brotli copies), not from the
    # source folders, also under DEBUG.
    WHITENOISE_USE_FINDERS = False
    WHITENOISE_AUTOREFRESH = False

# Prometheus metrics at /metrics, only for a request bearing this token (404 to everyone else,
# and to everyone while it is unset).
SILAHAP_METRICS_TOKEN = env_str("SILAHAP_METRICS_TOKEN", "")
if SILAHAP_METRICS_TOKEN and len(SILAHAP_METRICS_TOKEN) < 32:
    raise ConfigError("SILAHAP_METRICS_TOKEN must be at least 32 random characters")

# The cache (silahap/cache.py): Redis shared by every node when SILAHAP_REDIS_URL is set (the
# API's per-client request limits count there), this process's memory otherwise. A Redis that
# does not answer at start stops the process; one that fails later is served around.
SILAHAP_REDIS_URL = env_str("SILAHAP_REDIS_URL", "")
CACHES = caches_from_env(SILAHAP_REDIS_URL, env_str("SILAHAP_CACHE_KEY_PREFIX", "silahap"))
check_reachable(SILAHAP_REDIS_URL)

EMAIL_BACKEND = env_str("SILAHAP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMTP (with SILAHAP_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env_str("SILAHAP_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SILAHAP_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("SILAHAP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("SILAHAP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SILAHAP_EMAIL_STARTTLS", True)
EMAIL_USE_SSL = env_bool("SILAHAP_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_int("SILAHAP_EMAIL_TIMEOUT_SECONDS", 10, minimum=1)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError(
        "SILAHAP_EMAIL_STARTTLS and SILAHAP_EMAIL_SSL exclude each other: set one to false"
    )
DEFAULT_FROM_EMAIL = env_str("SILAHAP_FROM_EMAIL", "silahap@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SiLAHAP API",
    "VERSION": "1.0.0",
    # Several models have a field named "kind": each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "OrgUnitKindEnum": "silahap.accounts.models.OrgUnitKind",
        "SponsorKindEnum": "silahap.registry.models.Sponsor.Kind",
        "PlaceKindEnum": "silahap.registry.models.PlaceKind",
        "DocumentKindEnum": "silahap.registry.models.TravelDocument.Kind",
        "ActivityKindEnum": "silahap.reports.models.ActivityKind",
        "StepKindEnum": "silahap.supervision.models.StepKind",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"drop_query_strings": {"()": "silahap.logfilters.DropQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SILAHAP_LOG_LEVEL", "INFO")},
    "loggers": {
        # SQL with its parameters would put personal data in the log: never below WARNING.
        "django.db.backends": {"level": "WARNING"},
        # The development server's access log: paths only (see silahap.logfilters).
        "django.server": {
            "handlers": ["console"],
            "filters": ["drop_query_strings"],
            "level": "INFO",
            "propagate": False,
        },
        # Every login attempt is in the audit trail already; axes would log each one again.
        "axes": {"level": "WARNING"},
    },
}

# Who must use a second factor (issue "Security"; partner-agency members: issue 16): membership
# roles, and superusers whenever the list is not empty. `make run` sets it to none so the demo's
# logins work; the test suite's default is empty too (its tests log in with force_login) and the
# second factor's own tests enable it.
SILAHAP_SECOND_FACTOR_ROLES = env_subset(
    "SILAHAP_SECOND_FACTOR_ROLES",
    [] if SILAHAP_ENV == "test" else ["leader", "analyst", "admin", "partner"],
    ("officer", "leader", "analyst", "admin", "partner"),
)
OTP_TOTP_ISSUER = "SiLAHAP"

if SILAHAP_ENV == "test":
    # Fast hashing for the suite only; real logins use Django's default PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Photo evidence limits (issue "Field reporting II"): bytes per file and pixels per photo.
SILAHAP_EVIDENCE_MAX_BYTES = env_int("SILAHAP_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
SILAHAP_EVIDENCE_MAX_PIXELS = env_int("SILAHAP_EVIDENCE_MAX_PIXELS", 50_000_000, minimum=10_000)
# A phone sends a resized copy at once and the camera's original later (issue 15 item 3): on a
# good connection, or within these hours in the office's own zone ("HH:MM-HH:MM", may pass
# midnight; one setting for every office). Office hours by default: when officers are back on
# the office's network.
SILAHAP_EVIDENCE_ORIGINAL_HOURS = env_str("SILAHAP_EVIDENCE_ORIGINAL_HOURS", "07:30-16:00")
if not re.fullmatch(
    r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", SILAHAP_EVIDENCE_ORIGINAL_HOURS
):
    raise ConfigError("SILAHAP_EVIDENCE_ORIGINAL_HOURS must look like 07:30-16:00")
# Volume (issue "Security II"): photos one activity may hold (one ended with 116), and files one
# request may carry; Django stops reading a request past the second, and
# silahap.uploads.UploadLimitMiddleware answers it with a message instead of a bare 400.
SILAHAP_EVIDENCE_MAX_PER_ACTIVITY = env_int("SILAHAP_EVIDENCE_MAX_PER_ACTIVITY", 20, minimum=1)
SILAHAP_UPLOAD_MAX_FILES = env_int("SILAHAP_UPLOAD_MAX_FILES", 20, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = SILAHAP_UPLOAD_MAX_FILES

# Registry imports (issue "Registry II"): file size, rows per file, and the size above which the
# check and the import run in the background worker instead of during the upload.
SILAHAP_IMPORT_MAX_BYTES = env_int("SILAHAP_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
SILAHAP_IMPORT_MAX_ROWS = env_int("SILAHAP_IMPORT_MAX_ROWS", 100_000, minimum=1)
SILAHAP_IMPORT_BACKGROUND_BYTES = env_int("SILAHAP_IMPORT_BACKGROUND_BYTES", 256 * 1024)

# Supervision (issue "Live board, warrants and tasks, follow-ups, late and missing, notifications").
SILAHAP_SITE_URL = env_str("SILAHAP_SITE_URL", "http://127.0.0.1:8000")
SILAHAP_WARRANT_SCAN_MAX_BYTES = env_int(
    "SILAHAP_WARRANT_SCAN_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
SILAHAP_BOARD_POLL_SECONDS = env_int("SILAHAP_BOARD_POLL_SECONDS", 5, minimum=1)
# After the deadline the officer is told at once; their leader this many minutes later.
SILAHAP_MISSING_ESCALATION_MINUTES = env_int("SILAHAP_MISSING_ESCALATION_MINUTES", 120, minimum=0)
# Local time (each office's zone) at which follow-up steps due or overdue are announced.
SILAHAP_FOLLOWUP_REMINDER_HOUR = env_int("SILAHAP_FOLLOWUP_REMINDER_HOUR", 7, minimum=0)
# Hours a finished export's file is kept before `exports_expire` deletes it (insights).
SILAHAP_EXPORT_RETENTION_HOURS = env_int("SILAHAP_EXPORT_RETENTION_HOURS", 72, minimum=1)

# Registry II: how many foreigners one Indonesian individual may guarantee at a time. No statute
# we could find fixes a number: this is an office policy value, set per deployment.
SILAHAP_SPONSOR_INDIVIDUAL_LIMIT = env_int("SILAHAP_SPONSOR_INDIVIDUAL_LIMIT", 5, minimum=1)
