"""Who signs in from where: the client of a request, as the sign-in record keeps it."""

from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest

USER_AGENT_LENGTH = 255


@dataclass(frozen=True)
class SignInClient:
    ip_address: str | None = None
    user_agent: str = ""


def client_of(request: HttpRequest | None) -> SignInClient:
    """The client's address as axes reads it (the same trusted-proxy rule) and its browser."""
    if request is None:
        return SignInClient()
    address = get_client_ip_address(request)
    if address is not None:
        try:
            validate_ipv46_address(address)
        except ValidationError:
            address = None
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
    return SignInClient(ip_address=address, user_agent=agent)
