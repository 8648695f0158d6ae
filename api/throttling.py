"""Each client system gets its own budget of requests (settings.API_RATE, e.g. "600/hour")."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient


class ClientRateThrottle(SimpleRateThrottle):
    """Keyed on the client's id, not the address: several machines of one system share it."""

    scope = "client"

    def get_rate(self) -> str:
        return str(settings.API_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiClient):
            return None  # a request without a client is refused before it costs anything
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
