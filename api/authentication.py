"""Client systems sign each request with their token: `Authorization: Bearer <token>` (or
`Token <token>`). No session, no password: a signed-in user's cookie opens nothing here."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ApiClient
from .selectors import client_by_token
from .services import api_client_touch

KEYWORDS = (b"bearer", b"token")
# secrets.token_urlsafe(32) makes 43 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class ClientTokenAuthentication(BaseAuthentication):
    """The request's client, found by its token's hash among the clients not revoked."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiClient] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(_("Mã khóa không hợp lệ."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Mã khóa không hợp lệ.")) from error
        client = client_by_token(token)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Mã khóa không đúng hoặc đã bị thu hồi."))
        api_client_touch(client=client)
        return AnonymousUser(), client

    def authenticate_header(self, request: Request) -> str:
        """Makes a request without a token answer 401 (with this challenge), not 403."""
        return 'Bearer realm="api"'


class IsClient(BasePermission):
    """A request signed by a client's token; without one DRF answers 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, ApiClient)


def client_of(request: Request) -> ApiClient:
    client = request.auth
    assert isinstance(client, ApiClient)  # noqa: S101 (IsClient let the request in)
    return client


class ClientTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The schema's security scheme: HTTP bearer."""

    target_class = "api.authentication.ClientTokenAuthentication"
    name = "clientToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
