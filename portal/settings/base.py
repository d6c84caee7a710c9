"""Settings shared by every environment.

Everything that differs between machines comes from the environment through one ``env`` object.
With nothing configured, Parlure runs on an embedded default: SQLite for data and a Celery broker
on the file system (both under ``var/``), so a fresh checkout needs no separately installed server.
Setting ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switches to PostgreSQL and Redis.
"""

from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is a convenience for local work; real deployments set the environment themselves.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("PARLURE_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "accounts",
    "annotation",
    "learning",
    "review",
    "monitoring",
    "corpora",
    "pipeline",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that its process_exception sees a job that could not be sent first.
    "portal.middleware.JobQueueUnavailableMiddleware",
]

# --- Content-Security-Policy and Permissions-Policy, in every environment (tests included) -------
# Scripts only from the portal's own files: no inline script, no other host. Style sheets are
# files too; style *attributes* stay allowed for the bars whose width is data (`style-src-attr`).
# The API documentation readers relax styles for themselves only (api/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The recorder needs the microphone, on the portal's own pages only; nothing else is asked for.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "microphone": ["self"],
    "camera": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL is the *application* role (data only). Migrations run as the owner role: the
# Makefile's `migrate` target swaps in DATABASE_OWNER_URL (see docs/database.md).
# An empty variable counts as unset (compose files often pass VAR= through).
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker write to the same file: WAL lets readers go on during a write, IMMEDIATE
    # transactions take the write lock up front instead of failing half-way with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "annotation:submission_new"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: French first, English available ---------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["portal.formats"]  # one date format per language (portal/formats/)
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Parlure <noreply@localhost>")

# --- Celery -------------------------------------------------------------------------------------
# Embedded default: kombu's file-system transport (no server) and Celery's file result backend.
_broker_dir = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or (
    CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else f"file://{VAR_DIR / 'celery-results'}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The file-system transport and result backend fail on missing folders; they are plain local
    # folders of this checkout, so create them here rather than in every entry point.
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The default of one second would dominate a text job's latency.
        "polling_interval": 0.1,
    }
else:
    # A message not acknowledged within this time is given to another worker: it must exceed the
    # longest task's hard limit (acks are late; a transcription may take 25 minutes), or long
    # jobs would run twice. Not much more: it is also how long a dead worker's message waits in
    # Redis; the reconciler (pipeline/reconciler.py) sends such a job again after its lease, so
    # re-delivery does not wait for it (docs/operations.md).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}

# --- Parlure ------------------------------------------------------------------------------------
PARLURE_TEXT_MAX_CHARS = env.int("PARLURE_TEXT_MAX_CHARS", default=20_000)
PARLURE_SUBMISSIONS_PER_PAGE = 20
# Audio: limits, storage outside any web-served folder, and how long a recording may be kept.
PARLURE_AUDIO_ROOT = Path(env("PARLURE_AUDIO_ROOT", default=str(VAR_DIR / "audio")))
PARLURE_AUDIO_MAX_BYTES = env.int("PARLURE_AUDIO_MAX_MB", default=25) * 1024 * 1024
PARLURE_AUDIO_MAX_SECONDS = env.float("PARLURE_AUDIO_MAX_SECONDS", default=10 * 60)
PARLURE_AUDIO_MIN_SECONDS = 0.3
AUDIO_RETENTION_HOURS = env.float("AUDIO_RETENTION_HOURS", default=24)
# A recording sent while it is made, with no chunk for this long (the tab was closed), is
# expired with its audio by the periodic purge (annotation.services.recording).
PARLURE_RECORDING_ABANDONED_MINUTES = env.float("PARLURE_RECORDING_ABANDONED_MINUTES", default=60)
FILE_UPLOAD_HANDLERS = [
    "annotation.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Models each worker process loads as soon as it starts (the first job then needn't wait):
# a worker for the nlp queue alone only needs "register".
PARLURE_WARM_UP_MODELS: list[str] = env.list(
    "PARLURE_WARM_UP_MODELS", default=["register", "speech"]
)
# Register predictions whose calibrated probability is below this are "uncertain": shown as
# hesitant with neutre as the register, and queued for review (see docs/model-card.md).
PARLURE_UNCERTAIN_BELOW = env.float("PARLURE_UNCERTAIN_BELOW", default=0.6)
# A job re-delivered this many times (its worker died each time) fails instead of looping.
PARLURE_MAX_ATTEMPTS = env.int("PARLURE_MAX_ATTEMPTS", default=3)
# A running job's worker writes a sign of life every PARLURE_JOB_HEARTBEAT_SECONDS; one silent
# for PARLURE_JOB_LEASE_SECONDS is lost (its worker died whole) and is sent again. A queued job
# whose queue has been empty for PARLURE_RESEND_QUEUED_AFTER_SECONDS lost its message (a broker
# restarted without persistence) and is sent again. See pipeline/reconciler.py.
PARLURE_JOB_HEARTBEAT_SECONDS = env.int("PARLURE_JOB_HEARTBEAT_SECONDS", default=10)
PARLURE_JOB_LEASE_SECONDS = env.int("PARLURE_JOB_LEASE_SECONDS", default=60)
PARLURE_RESEND_QUEUED_AFTER_SECONDS = env.int("PARLURE_RESEND_QUEUED_AFTER_SECONDS", default=60)

# --- Cache: API throttling counters. Shared by every process when CACHE_URL names Redis. ---------
# An empty variable counts as unset (compose and deployment files often pass CACHE_URL= through).
CACHES = {
    "default": environ.Env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")
}

# --- API (/api/v1/, see docs/api.md) -------------------------------------------------------------
REST_FRAMEWORK = {
    # Programs send an API key (made on the profile page); the browser uses its session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "common.rest.pagination.NewestFirstPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.rest.errors.exception_handler",
    # Per person (or per address without credentials); over the rate: 429 with Retry-After.
    # "uploads" also limits the expensive writes: new submissions and imports.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserRateThrottle",
        "api.throttling.AnonRateThrottle",
        "api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("PARLURE_API_RATE_USER", default="600/minute"),
        "anon": env.str("PARLURE_API_RATE_ANON", default="60/minute"),
        "uploads": env.str("PARLURE_API_RATE_UPLOADS", default="120/minute"),
    },
    # Requests without a key are counted per address: the client's own, or the one the proxies in
    # front (nginx, the ingress) appended to X-Forwarded-For; 0 ignores the header, which a client
    # can write whatever it likes.
    "NUM_PROXIES": env.int("PARLURE_NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Parlure API",
    "DESCRIPTION": (
        "Automatic annotation of French: submit texts or audio, follow their jobs, read "
        "transcripts and register predictions (soutenu, neutre, familier) with scores and "
        "explanations, correct them, group them in shared corpora, import and export whole "
        "corpora. Authenticate with an API key from your profile page: "
        "`Authorization: Bearer plr_…`. Errors always have the `Error` shape."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc assets come from drf-spectacular-sidecar: served by the portal itself.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets shown under several field names (label, top_label…), or field names with
    # several choice sets (kind): one explicit name each.
    "ENUM_NAME_OVERRIDES": {
        "RegisterEnum": "annotation.models.Register",
        "SubmissionKindEnum": "annotation.models.Submission.Kind",
        "SubmissionStatusEnum": "annotation.models.Submission.Status",
        "FeedbackKindEnum": "review.models.Feedback.Kind",
        "JudgementDecisionEnum": "review.models.Judgement.Decision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.rest.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- learning: model versions and retraining ----------------------------------------------------
# What a retraining runs: "lora" (the real fine-tuning, ~15 min on 2 cores) or "fast" (a head on
# frozen embeddings, about a minute); the dataset built by `make data`.
PARLURE_RETRAIN_MODE = env("PARLURE_RETRAIN_MODE", default="lora")
PARLURE_RETRAIN_EPOCHS = env.int("PARLURE_RETRAIN_EPOCHS", default=5)
PARLURE_REGISTER_DATASET = env(
    "PARLURE_REGISTER_DATASET", default=str(VAR_DIR / "data" / "register" / "dataset.csv")
)
# Celery beat starts a retraining when at least this many accepted corrections are new.
PARLURE_RETRAIN_MIN_CORRECTIONS = env.int("PARLURE_RETRAIN_MIN_CORRECTIONS", default=50)
# The gate of a challenger that ran in shadow also uses its live evidence once reviewers decided
# at least this many of the texts it scored (0: the frozen set alone).
PARLURE_GATE_LIVE_MIN_REVIEWED = env.int("PARLURE_GATE_LIVE_MIN_REVIEWED", default=30)
# A challenger in shadow works only while the champion is idle: no text waiting for or being
# classified and no answer in the last PARLURE_SHADOW_IDLE_SECONDS. Otherwise its job comes back
# that many seconds later, for at most PARLURE_SHADOW_MAX_WAIT_SECONDS after the champion's
# answer (then it runs anyway, so that a portal that is never idle is sampled too).
PARLURE_SHADOW_IDLE_SECONDS = env.float("PARLURE_SHADOW_IDLE_SECONDS", default=2.0)
PARLURE_SHADOW_MAX_WAIT_SECONDS = env.float("PARLURE_SHADOW_MAX_WAIT_SECONDS", default=600.0)

# --- monitoring: /metrics, the staff page /suivi/, alerts, worker health -------------------------
# Bearer token Prometheus sends to GET /metrics; empty: only staff sessions may read it.
PARLURE_METRICS_TOKEN = env.str("PARLURE_METRICS_TOKEN", default="")
# More register feedback rows ("this label is wrong") than this within the window raise an alert:
# a banner for staff and one e-mail to the administrators per window.
PARLURE_ALERT_REJECTIONS = env.int("PARLURE_ALERT_REJECTIONS", default=5)
PARLURE_ALERT_WINDOW_MINUTES = env.int("PARLURE_ALERT_WINDOW_MINUTES", default=5)
# Data drift (monitoring/drift.py, docs/operations.md): every PARLURE_DRIFT_CHECK_MINUTES, the
# latest texts classified (at most PARLURE_DRIFT_WINDOW_SIZE, from the last
# PARLURE_DRIFT_WINDOW_DAYS days) are compared with the champion's reference profile. A feature
# drifts when its PSI is above PARLURE_DRIFT_PSI and its test's p-value below
# PARLURE_DRIFT_P_VALUE; fewer than PARLURE_DRIFT_MIN_TEXTS texts are not compared. The embedding
# distance is computed on at most PARLURE_DRIFT_EMBEDDING_SAMPLE texts (0: left out). With
# PARLURE_DRIFT_RETRAIN, a drift also queues a retraining (off by default).
PARLURE_DRIFT_CHECK_MINUTES = env.int("PARLURE_DRIFT_CHECK_MINUTES", default=60)
PARLURE_DRIFT_WINDOW_DAYS = env.int("PARLURE_DRIFT_WINDOW_DAYS", default=7)
PARLURE_DRIFT_WINDOW_SIZE = env.int("PARLURE_DRIFT_WINDOW_SIZE", default=500)
PARLURE_DRIFT_MIN_TEXTS = env.int("PARLURE_DRIFT_MIN_TEXTS", default=50)
PARLURE_DRIFT_PSI = env.float("PARLURE_DRIFT_PSI", default=0.25)
PARLURE_DRIFT_P_VALUE = env.float("PARLURE_DRIFT_P_VALUE", default=0.01)
PARLURE_DRIFT_EMBEDDING_SAMPLE = env.int("PARLURE_DRIFT_EMBEDDING_SAMPLE", default=100)
PARLURE_DRIFT_RETRAIN = env.bool("PARLURE_DRIFT_RETRAIN", default=False)
# A job queued longer than this is "stalled": its page says so instead of spinning on.
PARLURE_STALLED_AFTER_SECONDS = env.int("PARLURE_STALLED_AFTER_SECONDS", default=120)
# Worker health is only asked about for jobs older than this (a text is usually done by then).
PARLURE_WORKER_CHECK_AFTER_SECONDS = 3
# First, so that the request latency histogram times every other middleware too.
MIDDLEWARE.insert(0, "monitoring.middleware.RequestMetricsMiddleware")

# --- corpora: imports ---------------------------------------------------------------------------
# Text imports (CSV, JSONL, TXT): largest file; rows past the limit are left unread (one problem
# says so); problems kept per import (then one "and N more").
PARLURE_IMPORT_MAX_BYTES = env.int("PARLURE_IMPORT_MAX_MB", default=20) * 1024 * 1024
PARLURE_IMPORT_MAX_ROWS = env.int("PARLURE_IMPORT_MAX_ROWS", default=10_000)
PARLURE_IMPORT_MAX_PROBLEMS = env.int("PARLURE_IMPORT_MAX_PROBLEMS", default=1_000)
# ZIP of audio files: the upload (the web server's body limit must allow it, see deploy/), its
# members (each also within PARLURE_AUDIO_MAX_BYTES), all of them unpacked, and the compression
# ratio past which a member is a zip bomb rather than audio.
PARLURE_IMPORT_MAX_ARCHIVE_BYTES = (
    env.int("PARLURE_IMPORT_MAX_ARCHIVE_MB", default=200) * 1024 * 1024
)
PARLURE_IMPORT_MAX_FILES = env.int("PARLURE_IMPORT_MAX_FILES", default=200)
PARLURE_IMPORT_MAX_UNCOMPRESSED_BYTES = (
    env.int("PARLURE_IMPORT_MAX_UNCOMPRESSED_MB", default=1024) * 1024 * 1024
)
PARLURE_IMPORT_MAX_RATIO = env.int("PARLURE_IMPORT_MAX_RATIO", default=100)
# Imported texts are classified by chunks, one batched model call each, without explanations
# (computed when someone asks, pipeline.explanations): at most this many texts and words, so
# that a chunk stays well within the import task's time limit on a busy CPU. Bigger calls pad
# less (sentences are batched by length): on 1,000 lines, one call per 256 texts was ~1.3-1.7x
# faster than one per 64 on a loaded 2-core machine (bench/ratios.py, docs/benchmarks.md).
PARLURE_IMPORT_CHUNK_SIZE = env.int("PARLURE_IMPORT_CHUNK_SIZE", default=256)
PARLURE_IMPORT_CHUNK_MAX_WORDS = env.int("PARLURE_IMPORT_CHUNK_MAX_WORDS", default=8000)
