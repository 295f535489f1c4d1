"""Settings, read from the environment (see .env.example).

With nothing set the app runs with no services: SQLite under var/ and kombu's `filesystem://`
broker. Set DATABASE_URL and CELERY_BROKER_URL for PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CAI_VAR_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


# Off unless asked for: `make run` sets DEBUG=true; production and the tests run with it off.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for local development set DEBUG=true; "
            "see .env.example and docs/deploy.md)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "template_partials",
    "django_celery_beat",
    "cai_audit",
    "notifications",
    "constitutions",
    "labeling",
    "ingest",
    "reviews",
    "dashboards",
    "training",
    "redteam",
    "automation",
    "config",  # the top: root urls and the demo loader
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # JSON errors under /api/, a busy SQLite database as 409: sees the answers of all below.
    "cai_audit.api_errors.ApiJsonErrorsMiddleware",
    "cai_audit.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cai_audit.parsers.StorableParametersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cai_audit.session_expiry.SessionExpiryMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "cai_audit.wsgi.application"

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
                "cai_audit.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE") or 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default behaves like PostgreSQL under concurrent writes: a transaction takes
    # the write lock when it starts (IMMEDIATE), so two writers queue for up to `timeout` seconds
    # instead of one failing with "database is locked" when it upgrades a read lock; WAL lets
    # readers go on while a write is in progress. Still locked after the timeout: a 409, not a
    # 500 (cai_audit/api_errors.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT_S") or 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests get a file beside the database, not Django's in-memory default: locking (what the
    # concurrency tests are about) only behaves as in production on a file.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}.test"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the finders so that `make run` and the tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS (docs/deploy.md, "Production variables"). CAI_HTTPS=true says the site is served over
# HTTPS only: secure cookies, redirects to https and HSTS follow, each overridable on its own.
# Behind a TLS-terminating proxy, CAI_BEHIND_TLS_PROXY=true trusts its X-Forwarded-Proto header
# (only set it when the proxy overwrites that header on every request).
CAI_HTTPS = env_bool("CAI_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", CAI_HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", CAI_HTTPS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", CAI_HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (31_536_000 if CAI_HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", CAI_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("CAI_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For (0: trust none, use the peer).
CAI_NUM_PROXIES = int(os.environ.get("CAI_NUM_PROXIES") or 0)

# Signing in (cai_audit/auth.py): failed attempts per username and per client address before
# the login page and the token endpoint refuse for the rest of the window, the token endpoints'
# request rate per client, and how long an API token lives (0: until rotated).
CAI_LOGIN_MAX_FAILURES = int(os.environ.get("CAI_LOGIN_MAX_FAILURES") or 10)
CAI_LOGIN_WINDOW_S = int(os.environ.get("CAI_LOGIN_WINDOW_S") or 900)
CAI_AUTH_THROTTLE_RATE = os.environ.get("CAI_AUTH_THROTTLE_RATE") or "20/min"
CAI_API_TOKEN_TTL_HOURS = float(os.environ.get("CAI_API_TOKEN_TTL_HOURS") or 720)

# Content-Security-Policy (django-csp 4): no inline script or style anywhere, so an injected
# <script> or on*= attribute does not run. Pages load their JS from static/js; htmx is told not to
# inject its indicator <style> nor to evaluate attributes (base.html). Only the API's third-party
# HTML pages (Swagger UI, Redoc, the browsable API) get inline styles (cai_audit/api_pages.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

REST_FRAMEWORK = {
    # Token first: a missing, wrong or expired token is then a 401 that names the scheme.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cai_audit.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The browsable API's renderer marks its pages for the relaxed style policy (api_renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "cai_audit.api_renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "cai_audit.api_errors.exception_handler",
    # Throttles (the sign-in endpoints', cai_audit/auth.py) identify clients by the peer address:
    # a client must not pick its own through X-Forwarded-For.
    "NUM_PROXIES": CAI_NUM_PROXIES,
    # DRF's parsers plus a check that every value in the body can be stored (no NUL, no lone
    # surrogates), for every endpoint and field at once (cai_audit/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "cai_audit.parsers.JSONParser",
        "cai_audit.parsers.FormParser",
        "cai_audit.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CAI Audit API",
    "DESCRIPTION": "Constitutions, AI labels, human audits and training data for Constitutional AI",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another: named here, not by a hash suffix (and
    # without a warning in `check --deploy`).
    "ENUM_NAME_OVERRIDES": {
        "SnapshotFormatEnum": "training.models.DatasetSnapshot.Format",
        # Every registered AI-label kind (labeling.kinds, read when the schema is built).
        "LabelKindEnum": "labeling.kinds.choices",
        # The kinds a dataset snapshot can export.
        "SnapshotLabelKindEnum": ["preference", "critique"],
        "RunStatusEnum": "cai_audit.work.models.RunStatus",
        "BatchStatusEnum": "cai_audit.work.models.BatchStatus",
        "JobStatusEnum": "cai_audit.work.jobs.JobStatus",
        "VersionStatusEnum": "constitutions.models.ConstitutionVersion.Status",
        "ItemKindEnum": "labeling.models.Item.Kind",
        "ChannelKindEnum": "notifications.models.Channel.Kind",
        "CaseKindEnum": "redteam.models.Case.Kind",
        # The kinds a label file or a streamed batch may hold.
        "ImportLabelKindEnum": "ingest.formats.rows.KINDS",
    },
}

# Cache (dashboard results): per process by default; CACHE_URL=redis://... shares it.
CACHE_URL = os.environ.get("CACHE_URL") or ""
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Celery. Default: kombu's filesystem transport under var/broker, so `make run` needs no Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The folders are made where the broker is used (cai_audit/celery.py), not here.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # kombu's default is ./control, relative to wherever the process was started.
        "control_folder": str(BROKER_DIR / "control"),
    }
else:
    # An unacknowledged message comes back after the visibility timeout: keep it longer than
    # the longest batch, or a slow batch is handed out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT") or 3600)
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "labeling.tasks.*": {"queue": "labeling"},
    "training.tasks.*": {"queue": "training"},
    "redteam.tasks.*": {"queue": "labeling"},
}
CELERY_TIMEZONE = TIME_ZONE
# Scheduled work (draws, drift and backlog checks, review reminders): django-celery-beat keeps the
# schedules in the database, so pages can edit them; `make run` starts beat beside the worker.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True
# Entries here are copied into django-celery-beat's tables when beat starts.
CELERY_BEAT_SCHEDULE = {
    "constitutions-review-due": {
        "task": "constitutions.tasks.constitution_reviews_due",
        "schedule": crontab(hour=7, minute=0),
    },
}
# A worker that holds a batch, a matchup or a training job writes a heartbeat every sixth of
# this; with no heartbeat for this long the worker counts as dead and every worker's sweep (every
# third of it) hands the work out again (see cai_audit/leases.py and docs/deploy.md).
CAI_WORKER_STALE_S = float(os.environ.get("CAI_WORKER_STALE_S") or 60)
if CAI_WORKER_STALE_S < 1:
    raise ImproperlyConfigured("CAI_WORKER_STALE_S must be at least 1 (seconds).")

# OpenAI-compatible critics: the servers they may call (hosts or URL prefixes; default loopback
# only) and the variables beside CAI_CRITIC_KEY_* their API key may be read from. A researcher
# writes the critic configuration; these keep the worker's other secrets out of it.
CAI_CRITIC_BASE_URLS = env_list("CAI_CRITIC_BASE_URLS", "127.0.0.1,localhost,::1")
CAI_CRITIC_KEY_ENVS = env_list("CAI_CRITIC_KEY_ENVS", "")

# Notifications (notifications/): the site's address for links in mail and webhooks; the hosts a
# webhook may be sent to (`scheme://host[:port]` or `host[:port]`; the host `*` means any host
# whose addresses are all public), so users cannot aim the worker at internal services; and mail.
CAI_SITE_URL = os.environ.get("CAI_SITE_URL") or "http://127.0.0.1:8000"
CAI_WEBHOOK_HOSTS = env_list(
    "CAI_WEBHOOK_HOSTS", "https://*,http://127.0.0.1,http://localhost,http://[::1]"
)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "cai-audit@localhost"

# Where the shipped default critic is prepared once (converted from GGUF) and cached.
MODEL_CACHE_DIR = Path(os.environ.get("CAI_MODEL_CACHE") or VAR_DIR / "models")
# The locale the translation mutation operator translates red-team seeds into.
REDTEAM_TRANSLATION_LOCALE = os.environ.get("CAI_REDTEAM_TRANSLATION_LOCALE", "fr-FR")
# The real HH-RLHF pairs the demo imports beside the shipped set: a path to the .jsonl.gz, "off",
# or empty for ../shared/data/ beside the checkout when it is there (labeling/demo_data.py).
CAI_HH_RLHF_PATH = os.environ.get("CAI_HH_RLHF_PATH", "")

# Import limits, the same for the pages, the API and the management commands: bytes of the file
# as read (a gzipped file counts what it unpacks to) and rows per file (cai_audit/uploads.py).
CAI_IMPORT_ITEMS_MAX_BYTES = int(os.environ.get("CAI_IMPORT_ITEMS_MAX_BYTES") or 100_000_000)
CAI_IMPORT_SUITE_MAX_BYTES = int(os.environ.get("CAI_IMPORT_SUITE_MAX_BYTES") or 50_000_000)
CAI_IMPORT_CONSTITUTION_MAX_BYTES = int(
    os.environ.get("CAI_IMPORT_CONSTITUTION_MAX_BYTES") or 2_000_000
)
CAI_IMPORT_MAX_ROWS = int(os.environ.get("CAI_IMPORT_MAX_ROWS") or 200_000)
# AI labels made elsewhere (ingest): files are streamed, so a million rows cost little memory.
# Uploads through the page and API also meet CAI_REQUEST_MAX_BYTES: send big files gzipped, or
# use `manage.py import_labels`.
CAI_IMPORT_LABELS_MAX_BYTES = int(os.environ.get("CAI_IMPORT_LABELS_MAX_BYTES") or 1_000_000_000)
CAI_IMPORT_LABELS_MAX_ROWS = int(os.environ.get("CAI_IMPORT_LABELS_MAX_ROWS") or 1_000_000)
# The streaming API: rows per batch, and bytes per request body (JSON array or NDJSON).
CAI_INGEST_MAX_ROWS = int(os.environ.get("CAI_INGEST_MAX_ROWS") or 10_000)
CAI_INGEST_MAX_BYTES = int(os.environ.get("CAI_INGEST_MAX_BYTES") or 50_000_000)
# A request body larger than this is refused (413) before anything reads it; Django itself streams
# uploaded files to disk without a limit. Form fields and JSON bodies keep Django's own limit,
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): send larger files as multipart uploads.
CAI_REQUEST_MAX_BYTES = int(
    os.environ.get("CAI_REQUEST_MAX_BYTES")
    or max(CAI_IMPORT_ITEMS_MAX_BYTES, CAI_IMPORT_SUITE_MAX_BYTES) + 1_000_000
)
# Dataset snapshots (immutable, content-hashed folders) and training job outputs.
SNAPSHOT_DIR = Path(os.environ.get("CAI_SNAPSHOT_DIR") or VAR_DIR / "snapshots")
TRAINING_DIR = Path(os.environ.get("CAI_TRAINING_DIR") or VAR_DIR / "training")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL") or "INFO"},
}
