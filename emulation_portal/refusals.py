"""Refusals in the log: one line at INFO (status, user, path, reason) instead of Django's
warning with a traceback for every 403, 404 or refused form (422). Errors (5xx) keep theirs.

A filter on Django's request loggers (settings LOGGING); loaded with the logging configuration,
so it imports no model.
"""

import logging

REFUSAL = "Refused %s: user=%s path=%s reason=%s"


def reason_of(record: logging.LogRecord, path: str) -> str:
    """The exception's message (PermissionDenied("...")), or Django's words for the status."""
    error = record.exc_info[1] if record.exc_info else None
    if error is not None:
        return str(error) or type(error).__name__
    return record.getMessage().removesuffix(f": {path}")


def user_of(request: object) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return user.get_username()


class RefusalFilter(logging.Filter):
    """Rewrites a 4xx record of django.request (or django.security.csrf) as one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status is None or status >= 500 or request is None:
            return True
        if not logging.getLogger(record.name).isEnabledFor(logging.INFO):
            return False
        path = getattr(request, "path", "")
        reason = reason_of(record, path)
        record.msg, record.args = REFUSAL, (status, user_of(request), path, reason)
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
