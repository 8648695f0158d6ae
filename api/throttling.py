"""Each client system gets its own budget of requests (settings.API_RATE, e.g. "600/hour"),
counted by the portal's one throttle (core.throttle) in the shared cache: every web process
counts against the same budget."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from core.throttle import parse_rate, throttle_hit

from .models import ApiClient


class ClientRateThrottle(BaseThrottle):
    """Keyed on the client's id, not the address: several machines of one system share it."""

    scope = "api-client"

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiClient):
            return True  # a request without a client is refused before it costs anything
        limit, seconds = parse_rate(str(settings.API_RATE))
        hit = throttle_hit(
            scope=self.scope, ident=str(request.auth.pk), limit=limit, window_seconds=seconds
        )
        self.retry_after = hit.retry_after
        return hit.allowed

    def wait(self) -> float | None:
        return self.retry_after
