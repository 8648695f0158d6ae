"""`make loadtest`: the production settings, less TLS. Locust speaks plain HTTP to gunicorn on the
loopback, so cookies may not insist on HTTPS and nothing redirects to it; everything else (DEBUG
off, PostgreSQL, Redis, real workers, password hashing, sessions, axes) is production's."""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = False
