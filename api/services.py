"""Writes for the client systems: make a token, revoke it, note when it was last used."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_record
from units.models import Unit
from units.rules import managed_unit_ids

from .models import ApiClient, ApiClientEvent

TOKEN_BYTES = 32
# A client's last use is written at most this often, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The stored form of a token: a random 256-bit token needs no salt nor slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def require_manager_of(actor: User, authority: Unit) -> None:
    """Only a manager of the authority (or a superuser) hands out or revokes its tokens."""
    if actor.is_superuser:
        return
    if authority.pk not in managed_unit_ids(actor, [authority.pk]):
        raise PermissionDenied(_("Chỉ cán bộ phụ trách thi đua của cơ quan này được làm việc đó."))


@transaction.atomic
def api_client_create(*, actor: User, authority: Unit, name: str) -> tuple[ApiClient, str]:
    """A client of `authority` and its token, returned once: only its hash is kept."""
    require_manager_of(actor, authority)
    name = name.strip()
    if not name:
        raise ValidationError(_("Nhập tên hệ thống."), code="required")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client = ApiClient.objects.create(
        authority=authority,
        name=name,
        token_prefix=token[:8],
        token_hash=token_hash(token),
        created_by=actor,
    )
    history_record(ApiClientEvent, client=client, actor=actor, action=ApiClientEvent.Action.CREATE)
    return client, token


@transaction.atomic
def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """The token stops working at once; revoking twice changes nothing."""
    require_manager_of(actor, client.authority)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    history_record(ApiClientEvent, client=client, actor=actor, action=ApiClientEvent.Action.REVOKE)
    return client


def api_client_touch(*, client: ApiClient) -> None:
    """Record that the client called (bookkeeping, no history line): one conditional UPDATE,
    at most once a minute per client."""
    now = timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < TOUCH_EVERY:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
