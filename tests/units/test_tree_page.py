"""The unit tree page: search without diacritics and a constant number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory, kind
from units.models import Unit
from units.roles import Role
from units.text import fold

pytestmark = pytest.mark.django_db


def test_the_tree_page_finds_a_unit_typed_without_diacritics(client: Client) -> None:
    district = UnitFactory(name="Huyện Kiên Lương", kind=kind("huyen"))
    UnitFactory(name="Xã Bình An", parent=district)
    client.force_login(UserFactory(roles=[Role.CAMPAIGN_MANAGER]))
    html = client.get(reverse("units:tree"), {"q": "kien luong"}).content.decode()
    assert "Huyện Kiên Lương" in html and "Xã Bình An" not in html


@pytest.mark.parametrize("n_units", [10, 1000])
def test_the_tree_page_runs_a_constant_number_of_queries(
    client: Client, n_units: int, django_assert_max_num_queries
) -> None:
    root = UnitFactory(kind=kind("tinh"))
    xa = kind("xa")
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"T{i:05d}", name=f"Xã {i}", search_name=fold(f"Xã {i}"), kind=xa, parent=root
            )
            for i in range(n_units)
        ]
    )
    client.force_login(UserFactory(roles=[Role.CAMPAIGN_MANAGER]))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("units:tree"))
    assert response.status_code == 200
