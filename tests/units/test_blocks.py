"""Managers keep emulation blocks: members and a head unit that belongs to the block."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Block
from units.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client: Client):  # type: ignore[no-untyped-def]
    district = UnitFactory(kind=kind("huyen"))
    communes = [UnitFactory(parent=district) for _ in range(3)]
    user = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=user, unit=district, role="officer")
    client.force_login(user)
    return client, communes


def test_a_manager_creates_and_edits_a_block(manager_client) -> None:  # type: ignore[no-untyped-def]
    client, communes = manager_client
    response = client.post(
        reverse("units:block_add"),
        {
            "code": "KHOI-XA",
            "name": "Khối xã",
            "year": 2026,
            "head_unit": communes[0].pk,
            "members": [c.pk for c in communes[:2]],
        },
    )
    assert response.status_code == 302
    block = Block.objects.get(code="KHOI-XA")
    assert set(block.members.all()) == set(communes[:2]) and block.head_unit == communes[0]
    client.post(
        reverse("units:block_edit", args=[block.pk]),
        {
            "name": "Khối xã, thị trấn",
            "head_unit": communes[2].pk,
            "members": [communes[1].pk, communes[2].pk],
        },
    )
    block.refresh_from_db()
    assert block.name == "Khối xã, thị trấn"
    assert set(block.members.all()) == set(communes[1:])
    assert "Khối xã, thị trấn" in client.get(reverse("units:blocks")).content.decode()


def test_the_head_unit_must_be_a_member(manager_client) -> None:  # type: ignore[no-untyped-def]
    client, communes = manager_client
    response = client.post(
        reverse("units:block_add"),
        {
            "code": "K",
            "name": "K",
            "head_unit": communes[2].pk,
            "members": [communes[0].pk],
        },
    )
    assert response.status_code == 422
    assert "phải là thành viên" in response.content.decode()
    assert not Block.objects.exists()


def test_a_unit_head_cannot_manage_blocks(client: Client) -> None:
    client.force_login(UserFactory(roles=[Role.UNIT_HEAD]))
    assert client.get(reverse("units:blocks")).status_code == 403
    assert client.get(reverse("units:block_add")).status_code == 403
