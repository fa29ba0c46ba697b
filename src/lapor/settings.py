"""The one settings module. Everything that differs between a laptop and a national deployment comes
from environment variables (see docs/operations.md); the defaults are the embedded mode: SQLite under
`var/`, tasks in the database, no Redis."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("LAPOR_VAR_DIR", BASE_DIR / "var")).resolve()
UPLOAD_DIR = VAR_DIR / "uploads"
MODEL_DIR = VAR_DIR / "models"


def _secret_key() -> str:
    """An explicit SECRET_KEY wins; otherwise one is generated once and kept under var/, so the embedded
    mode is safe without configuration and sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("LAPOR_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from our own static files: the CSP allows no CDN
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "lapor.core",
    "lapor.audit",
    "lapor.geo",
    "lapor.workdays",
    "lapor.agencies",
    "lapor.sla",
    "lapor.security",
    "lapor.reports",
    "lapor.routing",
    "lapor.notifications",
    "lapor.analytics",
    "lapor.channels",
    "lapor.api",
    "lapor.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lapor.web.middleware.IndonesianFirstMiddleware",  # before LocaleMiddleware: see ADR 0008
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lapor.web.middleware.MessageMiddleware",  # pages only (an API request skips it), as htmx's
    "lapor.security.middleware.RateLimitMiddleware",
    "lapor.security.middleware.AccountGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lapor.web.middleware.HtmxMiddleware",
    "lapor.security.middleware.CSPMiddleware",  # django-csp's, the policy built once
    "lapor.security.middleware.SecurityHeadersMiddleware",
    "lapor.api.idempotency.IdempotencyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout seen by the backend into our 429
]

ROOT_URLCONF = "lapor.urls"
WSGI_APPLICATION = "lapor.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
AUTHENTICATION_BACKENDS = [
    "lapor.security.backends.LockoutBackend",  # django-axes first: a locked-out caller never reaches a check
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: embedded SQLite unless DATABASE_URL says otherwise -------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lapor.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "lapor.core.postgresql"  # the health check without a round trip
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker share the file; IMMEDIATE transactions avoid the
    # "database is locked" upgrade failure when both write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background tasks: Redis when REDIS_URL is set --------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    # Django's own Redis cache, which also lends its connection pool to RQ (RQ_QUEUES below)
    CACHES = {"default": {"BACKEND": "lapor.core.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit counters must be shared by every process: Redis, else a database table (ADR 0017).
RATELIMIT_CACHE: dict[str, Any] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lapor-rl",
    }
    if REDIS_URL
    else {
        "BACKEND": "lapor.security.cache.AtomicDatabaseCache",
        "LOCATION": "lapor_ratelimit_cache",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},  # culling would forget live counters
    }
)
CACHES["ratelimit"] = RATELIMIT_CACHE

TASK_MODE = os.environ.get("LAPOR_TASKS", "rq" if REDIS_URL else "database")
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_MODE]}}
if TASK_MODE == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"USE_REDIS_CACHE": "default"}}  # one pool, not a connection per job

# --- Passwords and sessions -----------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("LAPOR_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# htmx sends the token from the page (hx-headers), so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Officers: the cookie ends with the browser and the session after this many seconds (a working day).
LAPOR_STAFF_SESSION_SECONDS = int(os.environ.get("LAPOR_STAFF_SESSION_SECONDS", 9 * 3600))
if SESSION_COOKIE_SECURE:  # served over TLS: tell browsers never to come back over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("LAPOR_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("LAPOR_HSTS_PRELOAD")
    SECURE_SSL_REDIRECT = env_bool("LAPOR_SSL_REDIRECT")
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and only when told to (anyone can send it).
if env_bool("LAPOR_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of ours append to X-Forwarded-For; 0: the client is REMOTE_ADDR.
LAPOR_TRUSTED_PROXY_COUNT = int(os.environ.get("LAPOR_TRUSTED_PROXY_COUNT", 0))
LAPOR_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)

# --- Lockout (django-axes, ADR 0016): per username and address, reset by a successful sign-in ---------
AXES_FAILURE_LIMIT = int(os.environ.get("LAPOR_LOCKOUT_FAILURES", 5))
AXES_COOLOFF_TIME = float(os.environ.get("LAPOR_LOCKOUT_MINUTES", 30)) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lapor.security.network.client_ip"
AXES_LOCKOUT_CALLABLE = "lapor.security.lockout.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # shared by every process, SQLite or PostgreSQL
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "LAPOR!"

# --- Rate limits (ADR 0017): (requests, seconds) per address for anonymous callers, per account for
# signed-in people and integrations. None switches one off.
LAPOR_RATELIMIT_ENABLED = not env_bool("LAPOR_RATELIMIT_OFF")
LAPOR_RATELIMIT_CACHE = "ratelimit"
LAPOR_RATE_LIMITS: dict[str, dict[str, tuple[int, int] | None]] = {
    "filing": {"ip": (10, 3600), "account": (30, 3600)},
    "channel": {"ip": (600, 60), "account": (600, 60)},  # gateways carry many citizens each
    "signin": {"ip": (30, 600), "account": None},
    "support": {"ip": (60, 3600), "account": (120, 3600)},
    "read": {"ip": (120, 60), "account": (600, 60)},
}

# --- Language and time: Indonesian first ----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    # Uploads live outside the web root and are only served through an access-checked view.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": UPLOAD_DIR},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- LAPOR's own knobs ----------------------------------------------------------------------------------
LAPOR_ATTACHMENT_MAX_BYTES = int(os.environ.get("LAPOR_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
LAPOR_ATTACHMENTS_PER_REPORT = int(os.environ.get("LAPOR_ATTACHMENTS_PER_REPORT", 5))
# All files of one report together, including those added after filing.
LAPOR_ATTACHMENT_REPORT_MAX_BYTES = int(os.environ.get("LAPOR_ATTACHMENT_REPORT_MAX_BYTES", 25 * 1024 * 1024))
# Virus scan of uploads (reports/scanning.py): "" off, "clamd://host:3310", "clamd-unix:///path" or a
# dotted path to a callable. A scanner that cannot answer rejects the upload unless FAIL_OPEN is set.
LAPOR_VIRUS_SCANNER = os.environ.get("LAPOR_VIRUS_SCANNER", "")
LAPOR_VIRUS_SCAN_TIMEOUT = float(os.environ.get("LAPOR_VIRUS_SCAN_TIMEOUT", 10))
LAPOR_VIRUS_SCAN_FAIL_OPEN = env_bool("LAPOR_VIRUS_SCAN_FAIL_OPEN")
# Reporters of reports closed longer ago than this are de-identified by `lapor retention` (ADR 0018).
LAPOR_RETENTION_DAYS = int(os.environ.get("LAPOR_RETENTION_DAYS", 730))
# Public statistics are cached this long (ADR 0022).
LAPOR_STATS_CACHE_SECONDS = int(os.environ.get("LAPOR_STATS_CACHE_SECONDS", "300"))
# The worker recomputes the current year's statistics this often (`lapor stats warm`, ADR 0027).
LAPOR_STATS_WARM_SECONDS = int(os.environ.get("LAPOR_STATS_WARM_SECONDS", "240"))
# Webhook receivers on private addresses (127.0.0.1, 10.x, 192.168.x) are refused unless this is on:
# citizens may subscribe, and must not reach internal services through our workers (SSRF).
LAPOR_WEBHOOK_ALLOW_PRIVATE = env_bool("LAPOR_WEBHOOK_ALLOW_PRIVATE")
LAPOR_TOKEN_TTL_DAYS = int(os.environ.get("LAPOR_TOKEN_TTL_DAYS", 30))
# Before routing, deadlines run on the national node's clock.
LAPOR_NATIONAL_TIMEZONE = "Asia/Jakarta"
# Route a new report automatically when the router's best suggestion reaches this confidence (0-1).
# Unset: off, every report waits for a verifier (DESIGN §7).
LAPOR_AUTO_ROUTE_CONFIDENCE = (
    float(os.environ["LAPOR_AUTO_ROUTE_CONFIDENCE"])
    if os.environ.get("LAPOR_AUTO_ROUTE_CONFIDENCE")
    else None
)

# Development writes e-mail to files under var/mail; production sets SMTP (EMAIL_HOST etc.).
EMAIL_BACKEND = os.environ.get("LAPOR_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("LAPOR_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("LAPOR_FROM_EMAIL", "lapor@localhost")
# SMS goes through an HTTP gateway: POST {"id", "to", "text"} as JSON. Empty: SMS is not offered.
LAPOR_SMS_GATEWAY_URL = os.environ.get("LAPOR_SMS_GATEWAY_URL", "")
LAPOR_SMS_GATEWAY_TOKEN = os.environ.get("LAPOR_SMS_GATEWAY_TOKEN", "")
LAPOR_SITE_URL = os.environ.get("LAPOR_SITE_URL", "http://127.0.0.1:8000")
# Outbox (ADR 0007, 0028): how often `lapor worker` enqueues due messages (the longest a new message
# waits for the task runner), and how long an enqueued message is left alone
# before it is enqueued again (a job lost with Redis, a worker killed mid-attempt).
LAPOR_OUTBOX_FLUSH_SECONDS = int(os.environ.get("LAPOR_OUTBOX_FLUSH_SECONDS", "2"))
LAPOR_OUTBOX_LEASE_SECONDS = int(os.environ.get("LAPOR_OUTBOX_LEASE_SECONDS", "600"))
# Intake journal (ADR 0033): a filing without attachments through the API or the web form is accepted
# into one row and written out by the worker's relay a moment later. Only with a worker (not the
# immediate backend); off by default, on for national volume (docs/operations).
LAPOR_INTAKE_JOURNAL = env_bool("LAPOR_INTAKE_JOURNAL")
# The public list's searches and combined filters from a local search index (ADR 0035): a folder, or
# empty (PostgreSQL answers them). Kept by `lapor search sync`; older than the lag, it is not used.
LAPOR_SEARCH_INDEX = os.environ.get("LAPOR_SEARCH_INDEX", "")
LAPOR_SEARCH_INDEX_MAX_LAG = int(os.environ.get("LAPOR_SEARCH_INDEX_MAX_LAG", "120"))
# Threads (each with its own PostgreSQL connection) that share a sweep's due reports; SQLite uses one.
LAPOR_SWEEP_THREADS = int(os.environ.get("LAPOR_SWEEP_THREADS", "4"))
# Intake channels (docs/integration.md): the mailbox `lapor smtpd` accepts, the shared secret SMS gateways
# sign with, Open311's jurisdiction id, and where `lapor opendata export` writes the daily file.
LAPOR_INTAKE_EMAIL = os.environ.get("LAPOR_INTAKE_EMAIL", "lapor@localhost")
LAPOR_SMS_SHARED_SECRET = os.environ.get("LAPOR_SMS_SHARED_SECRET", "")
LAPOR_OPEN311_JURISDICTION = os.environ.get("LAPOR_OPEN311_JURISDICTION", "lapor.go.id")
LAPOR_OPENDATA_DIR = os.environ.get("LAPOR_OPENDATA_DIR", str(VAR_DIR / "opendata"))

# --- Content-Security-Policy (django-csp 4): everything from this site, nothing inline ----------------------
# Map tiles are the one thing that cannot be vendored: empty means the map pin works on a blank map.
LAPOR_MAP_TILE_URL = os.environ.get("LAPOR_MAP_TILE_URL", "")
LAPOR_MAP_ATTRIBUTION = os.environ.get("LAPOR_MAP_ATTRIBUTION", "")


def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin(LAPOR_MAP_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
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
    "root": {"handlers": ["console"], "level": os.environ.get("LAPOR_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
