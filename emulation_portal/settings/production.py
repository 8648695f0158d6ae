"""Production: gunicorn, Celery worker and beat. Secrets have no default; bad values fail loudly."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, env

DEBUG = False
DEMO_DATA_ALLOWED = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES["default"] = env.db("DATABASE_URL")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every cookie the portal sets travels over HTTPS only; none is read by JavaScript (htmx takes
# the CSRF token from the page, not from the cookie).
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# The shared cache: the throttles (core/throttle.py) count in it, so each budget is one for all
# gunicorn workers and web hosts, not one per process. It is the Redis the workers use
# (CELERY_BROKER_URL, its keys under their own prefix), redis://127.0.0.1:6379/0 without one;
# CACHE_REDIS_URL gives it a database of its own (docs/production.md).
CACHE_REDIS_URL = env(
    "CACHE_REDIS_URL",
    default=(
        CELERY_BROKER_URL
        if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://"))
        else "redis://127.0.0.1:6379/0"
    ),
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": "cache",
    }
}

# --- Two-factor sign-in, idle sessions (base.py; docs/production.md) ---------------------------
# A manager, superuser, council chair or secretary who gave only the password reaches no page.
OTP_REQUIRED_FOR_OFFICERS = True
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
if SESSION_IDLE_TIMEOUT_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT_MINUTES must be a number of minutes (>= 1).")
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# --- end of two-factor sign-in, idle sessions -------------------------------------------------

# The admin lives at a path of the installation's choosing, not the well-known "admin/".
ADMIN_URL = env("ADMIN_URL", default="quan-tri/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or ADMIN_URL == "admin/":
    raise ImproperlyConfigured('ADMIN_URL must look like "quan-tri-abc123/" (not "admin/").')

# Errors go to Sentry or a self-hosted GlitchTip when SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
