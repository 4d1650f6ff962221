"""Settings, read from the environment (12-factor).

With nothing set the platform runs on SQLite under var/ and runs Celery tasks in-process, so
`make run` works on a bare machine. DATABASE_URL and REDIS_URL switch to PostgreSQL and a real
Celery worker. SEMPRE_ENV=production turns on the deployment hardening.
"""

from datetime import timedelta
from pathlib import Path

import environ
import orjson
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SEMPRE_ENV = env.str("SEMPRE_ENV", default="development")
PRODUCTION = SEMPRE_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="" if PRODUCTION else "dev-only-insecure-key-change-me-3b1f0a5e9c7d4f2a8e6b",
)
if PRODUCTION and not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set DJANGO_SECRET_KEY in production.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The client pages (/c/) answer a failed CSRF check in the client's language; staff pages as Django does.
CSRF_FAILURE_VIEW = "toolkit.stories.public_views.csrf_failure"

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
    # API tokens that expire and are stored hashed (sempre.ApiToken, sempre/tokens.py, issue #19).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_countries",
    "sempre",
    "microprojects",
    "toolkit",
    "toolkit.cocreation",
    "toolkit.stories",
    "programme",
    "accelerator",
    "exchange",
    "reports",
    "demo",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a request body: an API body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a JSON
    # 413, not Django's HTML 400 page (sempre/api_input.py, issue #19).
    "sempre.api_input.ApiBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, which serves static files compressed ahead of time; compresses pages and API
    # answers (issue #15), with Django's BREACH mitigation (sempre/middleware.py).
    "sempre.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in person's pages in the language saved on their account (issue #17).
    "sempre.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sempre.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "DATABASE_TEST_NAME", default="test_" + DATABASES["default"]["NAME"]
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "sempre.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/IP pair before any password is checked. It needs the
    # request, so call authenticate(request, ...) (the login form, DRF's token view and the test
    # client's force_login all do, or do not authenticate at all).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Refuses inactive people, so deactivating a person logs them out at their next request.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Staff UI in English and German at least; the public client pages in all eleven languages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("et", _("Estonian")),
    ("pl", _("Polish")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Country selects offer the programme's countries first, then a line, then every other country
# (django-countries). Another programme sets its own with SEMPRE_PROGRAMME_COUNTRIES=SE,FI,...
COUNTRIES_FIRST = env.list(
    "SEMPRE_PROGRAMME_COUNTRIES", default=["DK", "DE", "EE", "FI", "LV", "LT", "PL", "SE"]
)
COUNTRIES_FIRST_SORT = True  # in the reader's language's alphabetical order
COUNTRIES_FIRST_BREAK = "──────────"
# Dates as Europe writes them in English too (config/formats/en); the other languages use Django's.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# WhiteNoise warns on every request while this folder is missing (before collectstatic).
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("SEMPRE_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SEMPRE <noreply@sempre.invalid>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Keys of several installations (or of a test run and its workers) on one Redis database.
        "KEY_PREFIX": env.str("SEMPRE_CACHE_KEY_PREFIX", default=""),
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process (eager).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # a host, or kombu warns on every start
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "reports-sweep": {"task": "sempre.reports.sweep", "schedule": 60.0},
    "reports-expire": {"task": "sempre.reports.expire", "schedule": 3600.0},
    # The precomputed programme figures, counted afresh every hour (a new month, a missed change).
    "microprojects-refresh-figures": {
        "task": "sempre.microprojects.refresh_figures",
        "schedule": 3600.0,
        "args": ["programme"],
        "kwargs": {"force": True},
    },
    "reports-monthly-digest": {
        "task": "sempre.reports.monthly_digest",
        "schedule": crontab(day_of_month="1", hour="6", minute="0"),
    },
    "clear-expired-sessions": {
        "task": "sempre.clear_expired_sessions",
        "schedule": crontab(hour="3", minute="15"),
    },
    "cocreation-purge-contributions": {
        "task": "sempre.cocreation.purge_contributions",
        "schedule": crontab(hour="3", minute="30"),
    },
    # Recordings past their retention and withdrawn stories past theirs (docs/exchange.md).
    "stories-purge": {"task": "sempre.stories.purge", "schedule": crontab(hour="3", minute="40")},
    # Progress reports for projects that became active after a reporting period was set (#21).
    "programme-progress-reports-create": {
        "task": "sempre.programme.progress_reports_create",
        "schedule": crontab(minute="20"),
    },
    # Reminders (sempre.notifications): what is due, hourly (each made once: the sent-log's unique
    # key); the daily and weekly e-mails collect what was not e-mailed at once.
    "notifications-collect": {"task": "sempre.notifications.collect", "schedule": crontab(minute="5")},
    "notifications-daily-digest": {
        "task": "sempre.notifications.daily_digest",
        "schedule": crontab(hour="6", minute="20"),
    },
    "notifications-weekly-digest": {
        "task": "sempre.notifications.weekly_digest",
        "schedule": crontab(day_of_week="1", hour="6", minute="25"),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # As DRF's JSONRenderer writes them: UTC times with "Z", numbers as keys (the ranking's weights).
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z, orjson.OPT_NON_STR_KEYS),
    # JSON within the body and depth limits (sempre/api_input.py); forms as DRF reads them.
    "DEFAULT_PARSER_CLASSES": [
        "sempre.api_input.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "sempre.api_support.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "sempre.api_support.SearchFilter",  # DRF's, naming `search` when it refuses a NUL
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sempre.api_support.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox): `Authorization: Token <t>` as before; kept as a hash; each ends
# SEMPRE_API_TOKEN_DAYS after it was issued (0: never). Asking for one (POST /api/v1/auth/token/)
# is limited per client address (SEMPRE_TOKEN_RATE).
KNOX_TOKEN_MODEL = "sempre.ApiToken"
# knox's own migrations create its AuthToken table even though KNOX_TOKEN_MODEL swaps it out: an
# empty table that references users and blocks TRUNCATE (`flush`, transactional tests). Without them
# Django creates no table for a swapped-out model.
MIGRATION_MODULES = {"knox": None}
SEMPRE_API_TOKEN_DAYS = env.int("SEMPRE_API_TOKEN_DAYS", default=90)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=SEMPRE_API_TOKEN_DAYS) if SEMPRE_API_TOKEN_DAYS else None,
    "AUTH_HEADER_PREFIX": "Token",
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "token": env.str("SEMPRE_TOKEN_RATE", default="10/minute"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SEMPRE API",
    "DESCRIPTION": "Micro projects, empowerment tools, co-creation, accelerator rounds and reports.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "MicroProjectStatusEnum": "microprojects.models.MicroProject.Status",
        "RoundStatusEnum": "accelerator.models.Round.Status",
        "ToolStatusEnum": "toolkit.models.ToolInstance.Status",
        "ReportKindEnum": "reports.api.report_kind_names",
        "ActivityKindEnum": "microprojects.models.Activity.Kind",
        "LanguageEnum": "reports.api.languages",
        "CaseStatusEnum": "exchange.models.Case.Status",
        "ProgressReportStatusEnum": "programme.models.ProgressReport.Status",
    },
    # Every error response, ETag/If-Match and the links from a create to its object: the schema is
    # the contract (sempre/api_schema.py, docs/api.md "The schema").
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sempre.api_schema.postprocess",
    ],
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Demo data and report files
SEMPRE_REPORT_EXPIRY_DAYS = env.int("SEMPRE_REPORT_EXPIRY_DAYS", default=7)
# Report files are never served as media (no route, DEBUG included); the download views check
# permission, write the audit line, then stream the file (`django`), or hand it to the web server:
# `x-accel-redirect` (nginx, from its internal location SEMPRE_PROTECTED_MEDIA_URL) or `x-sendfile`
# (Apache mod_xsendfile). docs/operations.md, "Report files".
SEMPRE_FILE_SERVING = env.str("SEMPRE_FILE_SERVING", default="django")
if SEMPRE_FILE_SERVING not in ("django", "x-accel-redirect", "x-sendfile"):
    raise environ.ImproperlyConfigured("SEMPRE_FILE_SERVING is django, x-accel-redirect or x-sendfile.")
SEMPRE_PROTECTED_MEDIA_URL = env.str("SEMPRE_PROTECTED_MEDIA_URL", default="/protected-media/")
# Co-creation: rejected and withdrawn client contributions are deleted after this many days.
COCREATION_RETENTION_DAYS = env.int("COCREATION_RETENTION_DAYS", default=30)
# Report jobs: a running job whose worker has not beaten for LEASE seconds is taken as gone and
# requeued by the sweep (at most MAX_ATTEMPTS claims); a queued job that no worker took within
# REQUEUE_AFTER seconds is queued again. STEP_DELAY pauses after each progress step (fault tests).
SEMPRE_REPORT_LEASE_SECONDS = env.int("SEMPRE_REPORT_LEASE_SECONDS", default=90)
SEMPRE_REPORT_HEARTBEAT_SECONDS = env.float("SEMPRE_REPORT_HEARTBEAT_SECONDS", default=15)
SEMPRE_REPORT_REQUEUE_AFTER_SECONDS = env.int("SEMPRE_REPORT_REQUEUE_AFTER_SECONDS", default=120)
SEMPRE_REPORT_MAX_ATTEMPTS = env.int("SEMPRE_REPORT_MAX_ATTEMPTS", default=3)
SEMPRE_REPORT_STEP_DELAY = env.float("SEMPRE_REPORT_STEP_DELAY", default=0)
SEMPRE_SITE_URL = env.str("SEMPRE_SITE_URL", default="http://localhost:8000")
# Client contributions waiting for review longer than this many days make a reminder to the
# project's social workers (toolkit.cocreation.notifications).
SEMPRE_CONTRIBUTION_REMINDER_DAYS = env.int("SEMPRE_CONTRIBUTION_REMINDER_DAYS", default=7)
SEMPRE_REQUIRE_SERVICES = env.bool("SEMPRE_REQUIRE_SERVICES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Libraries speak up only when something is wrong: at INFO and DEBUG, WeasyPrint and fontTools
    # alone write hundreds of lines per PDF, burying what our own loggers (and seed_demo) say.
    "loggers": {
        library: {"level": env.str("LIBRARY_LOG_LEVEL", default="WARNING")}
        for library in (
            "weasyprint",
            "fontTools",
            "PIL",
            "pydyf",
            "cssselect2",
            "html5lib",
            "tinycss2",
            # Tasks run in-process without Redis, and Celery would log each one's end on the console;
            # a real worker keeps its own --loglevel.
            *(() if REDIS_URL else ("celery", "kombu")),
        )
    },
}

# Django's sessions: in the database, read through the cache when that is Redis (not when it is
# each process's own memory, which other processes do not see). The list of one's own sessions
# (/account/sessions/) reads the database table, which both engines keep.
# sempre.session_engine is Django's cached_db, except that a Redis outage does not stop logins.
SESSION_ENGINE = "sempre.session_engine" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy (django-csp): no inline or third-party scripts (JS lives in static/js,
# the API docs load their initialiser from a URL). The one exception is a script file written into
# the page that must not wait for a request ({% inline_script %}, sempre/templatetags/
# inline_static.py: the light pages on a weak link, issue #15): it carries this response's nonce,
# which NONCE adds to script-src only on the pages that use one. Styles allow 'unsafe-inline' only
# because the inline SVG charts (pygal) and htmx's indicator carry <style> elements; templates
# themselves hold no inline CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is locked out for AXES_COOLOFF_TIME; a successful login resets the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page, 429 with Retry-After (sempre.views.login_locked_out; issue #19).
AXES_LOCKOUT_CALLABLE = "sempre.views.login_locked_out"
AXES_VERBOSE = False
# Behind N reverse proxies that append to X-Forwarded-For, count them so the lock is per client
# address, not per proxy (which would let anyone lock a user name out for everybody).
# The audit log and the /c/ rate limits use the same address (sempre.http.client_ip).
SEMPRE_PROXY_COUNT = env.int("SEMPRE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "sempre.http.client_ip"
