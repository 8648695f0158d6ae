"""Settings shared by every mode, read from the environment with django-environ.

With nothing set the portal runs on SQLite in the project folder and Celery tasks run
in-process; DATABASE_URL and CELERY_BROKER_URL switch it to PostgreSQL and real workers.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-only-never-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (core/twofactor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "health_check",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "notifications",
    "units",
    "campaigns",
    "assessments",
    "scoring",
    "votes",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "emulation_portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the body: an oversized request gets a page in the user's language.
    "emulation_portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A session that still owes its second step (or its set-up) is sent there from every page.
    "core.middleware.TwoFactorMiddleware",
    # Axes must come last: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emulation_portal.urls"
WSGI_APPLICATION = "emulation_portal.wsgi.application"

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
                "emulation_portal.context_processors.roles",
                "emulation_portal.context_processors.guide",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default (development and the demo): a write-ahead log lets a page read while
    # a run or the demo writes, and one sync per checkpoint instead of per commit keeps the
    # demo's thousands of small transactions fast. Durable against a crashed process; a power
    # cut may lose the last commits, which is fine where nothing is in production.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "core.hashers.PortalArgon2PasswordHasher",  # OWASP's Argon2id minimum (core/hashers.py)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# --- Two-factor sign-in, idle sessions (core/twofactor.py; docs/production.md) ---------------
# Managers, superusers, council chairs and secretaries must use two-factor (an authenticator app,
# with recovery codes) when this is on: production.py turns it on; development and the demo keep
# the one-password login. Everyone may turn two-factor on from "Bảo mật tài khoản".
OTP_REQUIRED_FOR_OFFICERS = env.bool("OTP_REQUIRED_FOR_OFFICERS", default=False)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Cổng thi đua")
# Minutes without a request after which a session ends (0: sessions last SESSION_COOKIE_AGE from
# the sign-in). Each request then saves the session, moving its expiry (production: 30).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=0)
if SESSION_IDLE_TIMEOUT_MINUTES > 0:
    SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
    SESSION_SAVE_EVERY_REQUEST = True
# --- end of two-factor sign-in, idle sessions -------------------------------------------------

# Sign-in throttling (django-axes, core/signin.py) -------------------------------------------------
# Per user name and address: AXES_FAILURE_LIMIT failures lock the pair out for AXES_COOLOFF_HOURS,
# counted from the failure that locked it (attempts refused meanwhile, the right password
# included, are not recorded and do not extend it).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "core.signin.lockout_response"
AXES_HANDLER = "emulation_portal.signin.SigninHandler"
# Every failure is kept (per account, from any address) for the per-account delay.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The "AXES: BEGIN version ..." line would otherwise open every manage.py command's output.
AXES_VERBOSE = False
# Per account, from any address: after LOGIN_ACCOUNT_FREE_FAILURES failures since its last
# sign-in (within LOGIN_ACCOUNT_WINDOW_HOURS), each attempt waits LOGIN_ACCOUNT_DELAY_SECONDS,
# doubled with every further failure, at most LOGIN_ACCOUNT_MAX_DELAY_SECONDS; the owner gets a
# notice (and an e-mail) at LOGIN_ACCOUNT_NOTICE_AFTER failures. An address the account signed
# in from within LOGIN_KNOWN_ADDRESS_DAYS is not delayed.
LOGIN_ACCOUNT_FREE_FAILURES = env.int("LOGIN_ACCOUNT_FREE_FAILURES", default=10)
LOGIN_ACCOUNT_DELAY_SECONDS = env.int("LOGIN_ACCOUNT_DELAY_SECONDS", default=30)
LOGIN_ACCOUNT_MAX_DELAY_SECONDS = env.int("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", default=15 * 60)
LOGIN_ACCOUNT_WINDOW_HOURS = env.int("LOGIN_ACCOUNT_WINDOW_HOURS", default=24)
LOGIN_ACCOUNT_NOTICE_AFTER = env.int(
    "LOGIN_ACCOUNT_NOTICE_AFTER", default=LOGIN_ACCOUNT_FREE_FAILURES
)
LOGIN_KNOWN_ADDRESS_DAYS = env.int("LOGIN_KNOWN_ADDRESS_DAYS", default=30)
# The client's address: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT names the proxies in front of
# the portal (nginx: 1) that append the address they saw to X-Forwarded-For; then the entry that
# many places from the right (core.signin.client_address). Without proxies a forged header is
# ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.signin.client_address"

# The admin's path; production takes it from the environment (ADMIN_URL).
ADMIN_URL = "admin/"

LANGUAGE_CODE = "vi"
# The empty choice of a filter's select: no filter on that field (django-filter writes "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("— Tất cả —")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# 08/08/2019, 9,50: emulation_portal/formats/vi/formats.py.
FORMAT_MODULE_PATH = ["emulation_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# `manage.py backup` writes its dated archives (database + MEDIA_ROOT) here, never inside
# MEDIA_ROOT, and removes those older than BACKUP_KEEP_DAYS (0 keeps them all).
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "backups")))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=30)

# Uploads: evidence and attachments are checked by content; this is the size ceiling in bytes.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A whole request body (several files in one form); larger ones get a Vietnamese 413 page.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=50 * 1024 * 1024)
# All evidence files of one self-assessment together.
ASSESSMENT_EVIDENCE_MAX_BYTES = env.int("ASSESSMENT_EVIDENCE_MAX_BYTES", default=200 * 1024 * 1024)
# An uploaded .xlsx is a zip: its unpacked size and each sheet's rows are checked before reading.
WORKBOOK_MAX_UNCOMPRESSED_BYTES = env.int(
    "WORKBOOK_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
WORKBOOK_MAX_ROWS = env.int("WORKBOOK_MAX_ROWS", default=100_000)
# Sheets of the campaign workbook that apps above assessments add (assessments/exchange/extra.py):
# the `awards` sheet brings past awards into votes' ledger.
CAMPAIGN_WORKBOOK_SHEETS = ["votes.ledger_sheet"]
# Parts a higher app adds to a lower app's page (core/panels.py): the awards on a unit's page and
# on a person's page come from votes' ledger.
UNIT_PAGE_PANELS = ["votes.panels.unit_awards_panel"]
PERSON_PAGE_PANELS = ["votes.panels.person_awards_panel"]

# Content-Security-Policy, enforced: scripts, styles and everything else come from the portal
# itself (static/, vendored libraries included); no inline script, handler or style attribute.
# Bootstrap's CSS draws its form icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The read-only API for other systems (api/): a client's token only, never a session; each
# client's budget of requests; the schema and its documentation served from our own files.
API_RATE = env("API_RATE", default="600/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.IsClient"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng thi đua API",
    "DESCRIPTION": (
        "Read-only: an authority's campaigns, published results and awards. Every request "
        "carries the client's token: `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cong-thi-dua@localhost")
# Links in e-mails start with this (no trailing slash).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# The cache holds the throttles' counts (core/throttle.py: the public verification page's
# uploads, the API's budgets). Development and the tests: this process's memory. Production
# (settings/production.py) shares one Redis cache between all web processes.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: without a broker, tasks run in the calling process (make run needs nothing else).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Tasks a worker sends (a run's chunks) go to the queue it consumes, so test and bench workers
# on their own queue see their own chunks.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Tasks that, run in-process (no broker), run on a thread of their own instead of inside the
# request: the development setting lists the scoring run (core/queue.py).
TASKS_EAGER_IN_BACKGROUND: list[str] = []
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Scoring tasks (plan, chunk, finish): their time limits, and what the watchdog judges a run by.
SCORING_TASK_TIME_LIMIT = env.int("SCORING_TASK_TIME_LIMIT", default=11 * 60)
SCORING_TASK_SOFT_TIME_LIMIT = SCORING_TASK_TIME_LIMIT - 60
# A step at work holds its row locked in the database, and a dead worker's transaction ends
# within seconds (pipeline.py): a chunk or a finish that no transaction holds and that gave no sign
# of life for this long lost its worker, and the watchdog hands it out again.
SCORING_LOST_SECONDS = env.int("SCORING_LOST_SECONDS", default=30)
# A chunk still queued this long had its message lost (the broker lost its queue); an export job
# without a sign of life this long lost its worker (longer than its time limit).
SCORING_STALE_SECONDS = env.int("SCORING_STALE_SECONDS", default=SCORING_TASK_TIME_LIMIT + 60)
# A run still queued after this long waits for the task queue: the page says so and the watchdog
# sends its planning task again.
SCORING_QUEUE_GRACE_SECONDS = env.int("SCORING_QUEUE_GRACE_SECONDS", default=60)
# A chunk (or a finish step) that lost its worker this many times fails the run with a reason.
SCORING_MAX_ATTEMPTS = env.int("SCORING_MAX_ATTEMPTS", default=3)

# Redis hands an unacknowledged message to another worker after the visibility timeout (one hour
# by default). It must exceed the longest a message stays unacknowledged: a task's hard time limit
# (acks_late) and the longest retry countdown (e-mails back off up to an hour). Scoring does not
# wait for it: the watchdog re-dispatches a chunk whose worker vanished (SCORING_LOST_SECONDS).
longest_countdown = 60 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": max(CELERY_TASK_TIME_LIMIT, SCORING_TASK_TIME_LIMIT, longest_countdown)
    + 5 * 60,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "advance-campaign-windows": {
        "task": "campaigns.tasks.campaigns_advance_windows_task",
        "schedule": crontab(minute=5),
    },
    "nightly-scoring": {
        "task": "scoring.tasks.scoring_nightly_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "assessment-notices": {
        "task": "assessments.tasks.assessment_notices_task",
        "schedule": crontab(minute=15),
    },
    "council-files": {  # signed files of issued decisions whose queued task was lost
        "task": "votes.tasks.session_files_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    "unsent-notifications": {
        "task": "notifications.tasks.notifications_unsent_task",
        "schedule": crontab(minute=20),
    },
    "scoring-watchdog": {  # a run whose worker died ends within 2 minutes of a new one
        "task": "scoring.tasks.scoring_watchdog_task",
        "schedule": 15.0,
        "options": {"expires": 14},  # a watchdog that waited its turn is replaced by the next
    },
    "scoring-exports": {  # result files: send again those left waiting, remove week-old ones
        "task": "scoring.tasks.scoring_exports_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# Units per scoring chunk: each chunk is one task, so several workers share a large campaign.
SCORING_CHUNK_SIZE = env.int("SCORING_CHUNK_SIZE", default=5000)

# One console handler, on the root logger. Django's own "django" logger would print an error a
# second time through its console handler under DEBUG: it is emptied and propagates to the root.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # An error page shows a reference; the log line of that error carries it (error_ref=…).
    "filters": {
        "error_ref": {"()": "emulation_portal.error_ref.ErrorRefFilter"},
        # A 4xx (403, 404, a refused form's 422) is one INFO line: user, path, reason.
        "refusals": {"()": "emulation_portal.refusals.RefusalFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s%(error_ref)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["error_ref"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["refusals"]},
        "django.security.csrf": {"filters": ["refusals"]},
    },
}
DEMO_DATA_ALLOWED = True

# Council quorum, a fraction of ALL members: "2/3" means present * 3 >= members * 2.
# Sessions that consider awards may require more (a council regulation may set it higher).
COUNCIL_QUORUM = env.str("COUNCIL_QUORUM", default="2/3")
COUNCIL_AWARD_QUORUM = env.str("COUNCIL_AWARD_QUORUM", default="2/3")
