"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

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
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "trustgov.core",
    "trustgov.accounts",
    "trustgov.organisations",
    "contracts",
    "boards",
    "performance",
    "meetings",
    # Consumers: read the domain apps, never the other way round.
    "reports",
    "opendata",
    "onboarding",
    "public",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (with a nonce for the few inline <style> elements) on every response.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session holds a confirmed two-factor device (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in user who must use two-factor sign-in reaches only the sign-in, two-factor and
    # statement pages until they have entered a code (ADR 0012).
    "trustgov.accounts.middleware.TwoFactorMiddleware",
    # Before any view reads a query parameter: NUL is a 400, never a database error. After the
    # user and messages are known, so the GOV.UK 400 page renders as for any other request.
    "trustgov.core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Permissions-Policy on every response; Cache-Control: private, no-store on signed-in pages.
    "trustgov.core.middleware.BrowserPolicyMiddleware",
    # A page answers GET/HEAD/POST only: PUT, PATCH, DELETE... are a 405 (the API answers for itself).
    "trustgov.core.middleware.PageMethodsMiddleware",
    # Records request.user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Must be last: turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trustgov.urls"
WSGI_APPLICATION = "trustgov.wsgi.application"
ASGI_APPLICATION = "trustgov.asgi.application"

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
                "trustgov.core.context_processors.service",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Behind a pooler in transaction mode (PgBouncer), a server-side cursor cannot outlive its transaction: set
# DATABASE_TRANSACTION_POOLER=true and the streamed reads (a national page's series) fetch client-side instead.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_TRANSACTION_POOLER", default=False)
# A read replica for the DfE's national reads (the national grid, the RAG list, the comparison): set
# DATABASE_REPLICA_URL and those views read from it (trustgov.core.replica); everything else, and every write,
# stays on the primary. Unset (the default), there is one database.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["trustgov.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

# Why a change was made is free text (a reason for a status change, a correction, a withdrawal): never cut short.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "trustgov.accounts.roles.AdministratorBackend",
]
# An invitation's set-password link works once, for this long.
INVITATION_TIMEOUT = env.int("TRUSTGOV_INVITATION_TIMEOUT_SECONDS", default=7 * 24 * 60 * 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = None  # show the "signed out" page

# Lock an account after five failed sign-ins for an hour: counted per account whatever address they
# come from, and per account and address. The counts live in the shared cache (CACHES["default"]:
# Redis in production), so every web process sees the same count (ADR 0012).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# The cache the sign-in lockout and the API throttle count in, and where SPC readings and chart drawings are
# kept (issue 14). One process locally and in tests (local memory); production sets a shared Redis cache.
# Local memory keeps 300 entries unless told: a national grid page alone has 2,500 series' readings, so it
# evicted its own readings before the next page could use them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "trustgov",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}

# Two-factor sign-in (django-otp: an authenticator app's TOTP codes and ten one-time recovery codes).
# When True, council officers, trust executives and DfE users must set it up and enter a code at
# every sign-in; scrutiny members may choose to. Off for the local demo and tests (the demo users
# sign in with their password alone); production turns it on. See ADR 0012.
TRUSTGOV_REQUIRE_2FA = env.bool("TRUSTGOV_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "TrustGov"
TRUSTGOV_RECOVERY_CODE_COUNT = 10

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style without this response's nonce, nothing from another origin (ADR 0011).
# Scripts and styles are static files; the only inline <style> elements (pygal's charts, the report
# preview) carry the nonce. Browser tests fail on any violation (tests/browser/harness.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no page uses, switched off for the page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(self), usb=()"
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("build", BASE_DIR / "static" / "build"),
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("app", BASE_DIR / "static" / "app"),
]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Office files are zips: what they unpack to is checked (from the zip's directory, before anything is
# inflated) as well as what was uploaded. A spreadsheet that is parsed (a monthly return) has tighter
# limits than a paper that is only stored and downloaded.
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env.int("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", default=20 * 1024 * 1024)
SPREADSHEET_MAX_ZIP_ENTRIES = env.int("SPREADSHEET_MAX_ZIP_ENTRIES", default=100)
SPREADSHEET_MAX_ROWS = env.int("SPREADSHEET_MAX_ROWS", default=2_000)
SPREADSHEET_MAX_CELLS = env.int("SPREADSHEET_MAX_CELLS", default=50_000)
PAPER_MAX_UNCOMPRESSED_BYTES = env.int("PAPER_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
PAPER_MAX_ZIP_ENTRIES = env.int("PAPER_MAX_ZIP_ENTRIES", default=1_000)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# GOV.UK classes for the inputs crispy-forms-gds does not style itself (trustgov.core.forms.govuk_widget).
CRISPY_CLASS_CONVERTERS = {
    "numberinput": "govuk-input",
    "urlinput": "govuk-input",
    "timeinput": "govuk-input govuk-input--width-5",
    "dateinput": "govuk-input govuk-input--width-10",
    "datetimeinput": "govuk-input govuk-input--width-20",
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The site's own address, for the absolute links in emails (reminders, notifications).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The domain of the feeds' stable identifiers (iCal UIDs "meeting-<pk>@<domain>", Atom entry ids). Blank: the
# host of SITE_URL, so one setting names the site; set it only when the identifiers must stay on another domain.
SITE_DOMAIN = env("SITE_DOMAIN", default="")
# The ocid prefix of the OCDS open data: "ocds-" and six characters [a-z0-9], issued by the Open Contracting
# Partnership. "ocds-tgdemo" is a placeholder that passes the rule but is NOT registered: set the real prefix
# before publishing to the OCDS registry. Any other form stops the app starting (check opendata.E001, ADR 0602).
OCDS_PREFIX = env("OCDS_PREFIX", default="ocds-tgdemo")
# How notification emails are sent: "django" (EMAIL_BACKEND, the default) or "notify" (GOV.UK Notify, one
# email template whose personalisation is ((subject)), ((body)) and ((link))). See ADR 0403.
NOTIFICATIONS_BACKEND = env("NOTIFICATIONS_BACKEND", default="django")
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_TEMPLATE_ID = env("GOVUK_NOTIFY_TEMPLATE_ID", default="")
GOVUK_NOTIFY_BASE_URL = env("GOVUK_NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
if NOTIFICATIONS_BACKEND not in ("django", "notify"):
    raise ImproperlyConfigured("NOTIFICATIONS_BACKEND must be 'django' or 'notify'")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="TrustGov <no-reply@trustgov.local>")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "trustgov.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every API view names the permission it needs.
    "DEFAULT_PERMISSION_CLASSES": ["trustgov.core.permissions.DenyAll"],
    "DEFAULT_PAGINATION_CLASS": "trustgov.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "trustgov.core.filters.UpdatedSinceFilter",
    ],
    # Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 problem.
    "DEFAULT_PARSER_CLASSES": [
        "trustgov.core.parsers.LimitedJSONParser",
        "trustgov.core.parsers.LimitedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["trustgov.core.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "trustgov.core.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "trustgov.core.api.problem_details_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "DEFAULT_THROTTLE_RATES": {"token": env("API_THROTTLE_RATE", default="1000/hour")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TrustGov API",
    "DESCRIPTION": "Governance of council children's trusts: organisations, directions, contracts, "
    "boards, performance returns and meetings. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVERS": [{"url": SITE_URL, "description": "This TrustGov site"}],
    "LICENSE": {"name": "MIT", "url": "https://opensource.org/license/mit"},
    "CONTACT": {"name": "TrustGov API documentation", "url": f"{SITE_URL}/api/docs/"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trustgov.core.schema.postprocess_schema",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, shared by every field that uses it (otherwise the schema gets
    # hash-suffixed names such as StatusB48Enum and `check --deploy` warns).
    "ENUM_NAME_OVERRIDES": {
        "MeetingBodyKindEnum": "meetings.models.BodyKind",
        "AppointmentStatusEnum": "boards.models.Appointment.Status",
        "ActionStatusEnum": "meetings.models.Action.Status",
        "ReservedMatterDecisionEnum": "contracts.models.ReservedMatterRequest.Decision",
        "DecidedByEnum": "contracts.models.ReservedMatter.DecidedBy",
        "RiskScoreEnum": "contracts.models.Risk.SCALE",
        "BenchmarkKindEnum": "performance.models.Benchmark.Kind",
        "BenchmarkCodeEnum": "performance.models.Benchmark.Code",
        "DeliveryBodyKindEnum": "trustgov.organisations.models.DeliveryBody.Kind",
        # statistical process control: a point's signal and a series' variation share one set (ADR 0305)
        "SpcSignalEnum": "performance.api.SPC_SIGNALS",
        "SpcAssuranceEnum": "performance.api.SPC_ASSURANCES",
        "SpcRuleEnum": "performance.api.SPC_RULES",
    },
}
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Background work loses nothing (ADR 0502): a task's message is acknowledged only once the task has ended,
# and a pool child that dies mid-task (killed, out of memory) hands its message back to the queue.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=10 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT - 60)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged message to another worker after the visibility timeout. It must be longer than
# the task time limit, or a task still running (acks late) would be delivered, and run, a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=2 * CELERY_TASK_TIME_LIMIT),
}
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]:
    raise ImproperlyConfigured(
        "Celery limits: CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_BROKER_VISIBILITY_TIMEOUT"
    )
# The report sweep (reports.tasks.sweep_generation, every minute) hands on again a document that was never handed
# to the queue (the broker was down), one queued but not picked up within REPORTS_QUEUED_TIMEOUT_MINUTES, and one
# still "rendering" a grace period after the task time limit (its worker died). After
# REPORTS_GENERATION_MAX_ATTEMPTS starts (or as many sends never picked up) the document is marked failed.
REPORTS_QUEUED_TIMEOUT_MINUTES = env.int("REPORTS_QUEUED_TIMEOUT_MINUTES", default=10)
REPORTS_GENERATION_MAX_ATTEMPTS = env.int("REPORTS_GENERATION_MAX_ATTEMPTS", default=3)
REPORTS_STALL_GRACE_SECONDS = 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule, in code: beat (django-celery-beat) writes these to its table by name at start-up, so the rows
# migration meetings 0002 created ("Daily due-date reminders", "Weekly reminder digest") are these entries.
CELERY_BEAT_SCHEDULE = {
    "Daily due-date reminders": {
        "task": "meetings.tasks.send_due_reminders",
        "schedule": crontab(minute="0", hour="7"),
    },
    "Daily notification digest": {
        "task": "meetings.tasks.send_daily_digests",
        "schedule": crontab(minute="5", hour="7"),
    },
    "Weekly reminder digest": {
        "task": "meetings.tasks.send_weekly_digests",
        "schedule": crontab(minute="10", hour="7", day_of_week="1"),
    },
    "Hand on stalled report generation": {
        "task": "reports.sweep_generation",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},  # a sweep the broker held while no worker ran is dropped, not piled up
    },
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Three queues, so a long render never holds back the morning's reminders (docs/scaling.md): reports, reminders
# and notifications, and the rest (`celery`). One worker serves all three by default (CELERY_WORKER_QUEUES, read
# by `celery worker` through the -Q the Makefile and docker-compose.yml pass); at scale run one worker a queue.
CELERY_QUEUE_DEFAULT = "celery"
CELERY_QUEUE_REPORTS = "reports"
CELERY_QUEUE_REMINDERS = "reminders"
CELERY_WORKER_QUEUES = ",".join((CELERY_QUEUE_DEFAULT, CELERY_QUEUE_REPORTS, CELERY_QUEUE_REMINDERS))
CELERY_TASK_DEFAULT_QUEUE = CELERY_QUEUE_DEFAULT
CELERY_TASK_ROUTES = {
    "reports.*": {"queue": CELERY_QUEUE_REPORTS},
    "meetings.tasks.*": {"queue": CELERY_QUEUE_REMINDERS},
}
# /readyz fails when no worker has answered a ping for this long (asked again, waiting so long, when not).
READYZ_WORKER_RECENT_SECONDS = env.int("READYZ_WORKER_RECENT_SECONDS", default=60)
READYZ_WORKER_PING_SECONDS = env.float("READYZ_WORKER_PING_SECONDS", default=1.0)

# "accepted": scrutiny members see only figures the council has accepted, on every page and in the API
# and exports; "all" (the default): every submitted figure, those not yet accepted marked provisional.
PERFORMANCE_SCRUTINY_FIGURES = env("PERFORMANCE_SCRUTINY_FIGURES", default="all")
if PERFORMANCE_SCRUTINY_FIGURES not in ("all", "accepted"):
    raise ImproperlyConfigured("PERFORMANCE_SCRUTINY_FIGURES must be 'all' or 'accepted'")

SERVICE_NAME = "TrustGov"
PHASE = "beta"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "trustgov.core.views.csrf_failure"
