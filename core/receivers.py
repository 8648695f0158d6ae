"""The receivers that record Django's sign-in signals through core.services (connected in
CoreConfig.ready): the one place where a password sign-in, a refusal and a lockout are seen."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from .models import SignInEvent
from .services import sign_in_event_record
from .signins import client_of
from .twofactor import PENDING_SESSION_KEY, pending_after_password


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The password was right: record it and note what the session still owes."""
    if request is None:
        return
    sign_in_event_record(
        kind=SignInEvent.Kind.SIGNED_IN,
        user=user,
        username=user.get_username(),
        client=client_of(request),
    )
    pending = pending_after_password(user)
    if pending is None:
        request.session.pop(PENDING_SESSION_KEY, None)
    else:
        request.session[PENDING_SESSION_KEY] = pending.value


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A refused password, or an attempt refused because axes locked the account out (axes
    receives the signal first, as it is installed before core, and marks the request)."""
    if request is None:  # authenticate() called outside a request (a command)
        return
    locked = bool(getattr(request, "axes_locked_out", False))
    username = str(credentials.get("username") or "")
    sign_in_event_record(
        kind=SignInEvent.Kind.LOCKED_OUT if locked else SignInEvent.Kind.FAILED,
        username=username,
        client=client_of(request),
    )
