"""The official units, the hierarchy rules, and diacritic-free search (on SQLite and PostgreSQL)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.factories import UnitFactory, kind
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_load_admin_units_loads_34_provinces_and_3321_communes_once() -> None:
    first = services.admin_units_load()
    assert (first.provinces, first.communes, first.created) == (34, 3321, 3355)
    provinces = Unit.objects.filter(kind__code="tinh", parent__isnull=True)
    assert provinces.count() == 34
    assert Unit.objects.get(code="01").name == "Thành phố Hà Nội"
    communes = Unit.objects.exclude(kind__code="tinh")
    assert communes.count() == 3321
    assert not communes.filter(parent__isnull=True).exists()
    assert all(len(code) == 5 for code in communes.values_list("code", flat=True))
    assert set(communes.values_list("parent__kind__code", flat=True)) == {"tinh"}
    second = services.admin_units_load()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3355)
    assert Unit.objects.count() == 3355


def test_the_command_prints_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_admin_units")
    assert "provinces: 34, communes: 3321, created: 3355" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("kien luong", "Huyện Kiên Lương"),
        ("KIÊN LƯƠNG", "Huyện Kiên Lương"),
        ("duong hoa", "Xã Dương Hòa"),
        ("dong thap", "Đồng Tháp"),
    ],
)
def test_search_ignores_case_and_vietnamese_diacritics(query: str, found: str) -> None:
    for name in ["Huyện Kiên Lương", "Xã Dương Hòa", "Đồng Tháp", "Xã Bình An"]:
        UnitFactory(name=name)
    assert list(Unit.objects.search(query).values_list("name", flat=True)) == [found]


def test_a_cycle_in_the_hierarchy_is_refused() -> None:
    district = UnitFactory(kind=kind("huyen"))
    commune = UnitFactory(parent=district)
    hamlet = UnitFactory(parent=commune)
    with pytest.raises(ValidationError, match="vòng lặp"):
        services.unit_update(unit=district, parent=hamlet)
    district.refresh_from_db()
    assert district.parent is None


def test_a_merger_keeps_the_old_units_and_links_them_to_the_successor() -> None:
    district = UnitFactory(kind=kind("huyen"))
    old_a, old_b = UnitFactory(parent=district), UnitFactory(parent=district)
    hamlet = UnitFactory(parent=old_a, kind=kind("ban_cong_tac_mt"))
    merged = services.unit_create(code="NEW", name="Xã Mới", kind=kind("xa"), parent=district)
    services.unit_merge(units=[old_a, old_b], into=merged, on=datetime.date(2025, 7, 1))
    for old in (old_a, old_b):
        old.refresh_from_db()
        assert old.valid_to == datetime.date(2025, 6, 30) and old.successor == merged
    hamlet.refresh_from_db()
    assert hamlet.parent == merged


def test_a_rename_makes_a_successor_and_keeps_the_old_name() -> None:
    unit = UnitFactory(name="Xã Cũ")
    renamed = services.unit_rename(
        unit=unit, name="Xã Mới", code="MOI", on=datetime.date(2025, 7, 1)
    )
    unit.refresh_from_db()
    assert unit.name == "Xã Cũ" and unit.successor == renamed and unit.valid_to is not None
