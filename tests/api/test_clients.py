"""The manager's page: hand a client system a token (shown once), list, revoke; only for the
authority the manager manages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from api.models import ApiClient, ApiClientEvent
from api.services import api_client_create, api_client_revoke
from tests.factories import UserFactory
from units.roles import Role

from .conftest import Authority

pytestmark = pytest.mark.django_db


def test_a_manager_makes_a_token_shown_once_that_opens_the_api(
    ours: Authority, manager_client: Client
) -> None:
    url = reverse("connections:clients", args=[ours.case.campaign.authority.pk])
    response = manager_client.post(url, {"name": "Cơ sở dữ liệu tỉnh"})
    assert response.status_code == 302
    page = manager_client.get(url).content.decode()
    client = ApiClient.objects.get(name="Cơ sở dữ liệu tỉnh")
    token = page.split("data-token>")[1].split("<")[0]
    assert token.startswith(client.token_prefix) and token not in client.token_hash
    assert token not in manager_client.get(url).content.decode()  # once only
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(reverse("api:campaigns")).status_code == 200
    assert client.events.get().action == ApiClientEvent.Action.CREATE


def test_a_nameless_client_is_refused_beside_its_field(
    ours: Authority, manager_client: Client
) -> None:
    url = reverse("connections:clients", args=[ours.case.campaign.authority.pk])
    before = ApiClient.objects.count()
    response = manager_client.post(url, {"name": "   "})
    assert response.status_code == 422 and ApiClient.objects.count() == before


def test_a_manager_of_another_authority_is_refused(ours: Authority, theirs: Authority) -> None:
    other = Client()
    other.force_login(theirs.manager)
    unit = ours.case.campaign.authority.pk
    assert other.get(reverse("connections:clients", args=[unit])).status_code == 403
    assert other.post(reverse("connections:clients", args=[unit]), {"name": "X"}).status_code == 403
    revoke = reverse("connections:revoke", args=[unit, ours.client.pk])
    assert other.post(revoke, {"confirmed": "1"}).status_code == 403
    ours.client.refresh_from_db()
    assert ours.client.revoked_at is None


def test_a_client_of_another_authority_cannot_be_revoked_through_ones_own(
    ours: Authority, theirs: Authority, manager_client: Client
) -> None:
    unit = ours.case.campaign.authority.pk
    revoke = reverse("connections:revoke", args=[unit, theirs.client.pk])
    assert manager_client.post(revoke, {"confirmed": "1"}).status_code == 404


def test_a_unit_head_cannot_open_the_page(ours: Authority) -> None:
    head = Client()
    head.force_login(UserFactory(roles=[Role.UNIT_HEAD]))
    url = reverse("connections:clients", args=[ours.case.campaign.authority.pk])
    assert head.get(url).status_code == 403


def test_revoking_asks_first_then_stops_the_token(ours: Authority, manager_client: Client) -> None:
    revoke = reverse("connections:revoke", args=[ours.case.campaign.authority.pk, ours.client.pk])
    asked = manager_client.post(revoke)
    assert asked.status_code == 200 and "Thu hồi mã khóa" in asked.content.decode()
    assert ours.api().get(reverse("api:campaigns")).status_code == 200
    assert manager_client.post(revoke, {"confirmed": "1"}).status_code == 302
    assert ours.api().get(reverse("api:campaigns")).status_code == 401
    actions = list(ours.client.events.values_list("action", flat=True))
    assert actions == ["create", "revoke"]


def test_the_services_refuse_someone_who_does_not_manage_the_authority(
    ours: Authority, theirs: Authority
) -> None:
    with pytest.raises(PermissionDenied):
        api_client_create(actor=theirs.manager, authority=ours.case.campaign.authority, name="X")
    with pytest.raises(PermissionDenied):
        api_client_revoke(actor=theirs.manager, client=ours.client)


def test_a_manager_with_one_authority_goes_straight_to_its_page(
    ours: Authority, manager_client: Client
) -> None:
    response = manager_client.get(reverse("connections:list"))
    assert response["Location"] == reverse(
        "connections:clients", args=[ours.case.campaign.authority.pk]
    )
