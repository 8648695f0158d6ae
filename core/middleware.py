"""Send a session that still owes its second step (or the set-up that its user must complete)
there, from every page but those marked with core.twofactor.allowed_while (logout, the step,
the set-up, the language switch, the password reset pages, the health check)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .twofactor import PENDING_SESSION_KEY, Pending


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        session = getattr(request, "session", None)
        pending = session.get(PENDING_SESSION_KEY) if session is not None else None
        if pending is None or not request.user.is_authenticated:
            return None
        if pending in getattr(view_func, "two_factor_allowed_while", ()):
            return None
        target = "two_factor_step" if pending == Pending.VERIFY else "two_factor_set_up"
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
