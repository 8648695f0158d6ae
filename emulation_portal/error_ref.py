"""A short reference for each error a person sees: on the error page, in the log line, and as the
`error_ref` tag of the error tracker's event, so a user's "mã lỗi 3f9a0c1e" finds all three.

One reference per request, made on first use: by the error tracker when it captures the
exception (before Django calls the 500 handler), or by the error handler. Kept in a context
variable that every request starts without; nothing here imports a model (the logging
configuration loads this module before the apps are ready).
"""

import logging
import secrets
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started

# None outside a request; "" in a request that has no reference yet.
_current: ContextVar[str | None] = ContextVar("error_ref", default=None)


def error_ref() -> str:
    """This request's reference (8 hexadecimal characters), made on first use."""
    ref = _current.get()
    if not ref:
        ref = secrets.token_hex(4)
        _current.set(ref)
        _tag(ref)
    return ref


def issued_ref() -> str | None:
    """The reference this request has shown or sent, if any."""
    return _current.get() or None


def _tag(ref: str) -> None:
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - a dependency, always installed
        return
    if sentry_sdk.get_client().is_active():
        sentry_sdk.set_tag("error_ref", ref)


def _start(**_kwargs: Any) -> None:
    _current.set("")


def _finish(**_kwargs: Any) -> None:
    _current.set(None)


request_started.connect(_start, dispatch_uid="error_ref_start")
request_finished.connect(_finish, dispatch_uid="error_ref_finish")


def _tag_event(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    """Every event captured during a request carries the request's reference."""
    if _current.get() is not None:
        event.setdefault("tags", {})["error_ref"] = error_ref()
    return event


try:
    from sentry_sdk.scope import add_global_event_processor
except ImportError:  # pragma: no cover
    pass
else:
    add_global_event_processor(_tag_event)


class ErrorRefFilter(logging.Filter):
    """Adds ` error_ref=…` to a log line written during a request that issued a reference (the
    error handlers issue one before Django logs the error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ref = issued_ref()
        record.error_ref = f" error_ref={ref}" if ref else ""
        return True
