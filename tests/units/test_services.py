"""The organisation's services: the official units, the hierarchy, search, and the units import.

The search tests run on SQLite and on PostgreSQL (DATABASE_URL) alike. The calls here act as the
system (`actor=None`, as the official load and the commands do): who may make each change is
tested through the real pages in tests/test_authority.py.
"""

import dataclasses
import datetime
import enum
import io
import sys
import types

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.text import fold
from core.workbooks import WorkbookError
from tests.factories import UnitFactory, kind
from tests.units.workbooks import GOOD, HEADER, snapshot, workbook
from units import services
from units.models import Unit, UnitKind, UnitLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def standard_kinds() -> None:
    services.unit_kinds_ensure()  # a transactional test elsewhere may have flushed them


# The official units ---------------------------------------------------------------------------


def test_load_admin_units_loads_34_provinces_and_3321_communes() -> None:
    summary = services.admin_units_load()
    assert (summary.provinces, summary.communes, summary.created) == (34, 3321, 3355)
    assert (summary.history_units, summary.history_links) == (8, 7)
    current = Unit.objects.filter(valid_to__isnull=True)
    provinces = current.filter(parent__isnull=True)
    assert provinces.count() == 34
    assert set(provinces.values_list("kind__code", flat=True)) == {"tinh"}
    assert Unit.objects.get(code="01").name == "Thành phố Hà Nội"
    communes = current.filter(parent__isnull=False)
    assert communes.count() == 3321
    assert set(communes.values_list("kind__code", flat=True)) == {"xa", "phuong", "dac_khu"}
    assert set(communes.values_list("parent__kind__code", flat=True)) == {"tinh"}
    assert communes.filter(parent__parent__isnull=False).count() == 0
    assert {len(code) for code in provinces.values_list("code", flat=True)} == {2}
    assert {len(code) for code in communes.values_list("code", flat=True)} == {5}
    assert set(current.values_list("valid_from", flat=True)) == {datetime.date(2025, 7, 1)}


def test_load_admin_units_records_the_2025_mergers_of_kien_luong() -> None:
    services.admin_units_load()
    links = set(
        UnitLink.objects.values_list(
            "predecessor__name", "successor__name", "kind", "effective_on", "legal_basis"
        )
    )
    reform_day, resolution = datetime.date(2025, 7, 1), "Nghị quyết 1654/NQ-UBTVQH15"
    assert {
        ("Thị trấn Kiên Lương", "Xã Kiên Lương", "merger", reform_day, resolution),
        ("Xã Bình An", "Xã Kiên Lương", "merger", reform_day, resolution),
        ("Xã Bình Trị", "Xã Kiên Lương", "merger", reform_day, resolution),
        ("Xã Kiên Bình", "Xã Hòa Điền", "merger", reform_day, resolution),
        ("Xã Hòa Điền", "Xã Hòa Điền", "merger", reform_day, resolution),
        ("Xã Dương Hòa", "Phường Tô Châu", "merger", reform_day, resolution),
    } <= links
    ended = Unit.objects.filter(successor_links__isnull=False).distinct()
    assert set(ended.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}
    assert Unit.objects.get(code="KL-TT").kind.code == "thi_tran"
    for code in ("30814", "30811"):  # Hòn Nghệ and Sơn Hải go on
        unit = Unit.objects.get(code=code)
        assert unit.valid_to is None and not unit.successor_links.exists()
    huyen = Unit.objects.get(code="KL")
    assert (huyen.valid_to, huyen.successor_links.exists()) == (datetime.date(2025, 6, 30), False)
    assert services.admin_units_load().history_links == 0  # a second load records nothing


def test_a_second_load_creates_and_changes_nothing() -> None:
    services.admin_units_load()
    before = snapshot()
    summary = services.admin_units_load()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3355)
    assert snapshot() == before


def test_a_load_puts_back_an_official_name_and_parent_changed_by_hand() -> None:
    services.admin_units_load()
    commune = (
        Unit.objects.filter(parent__isnull=False, valid_to__isnull=True)
        .exclude(parent__code="01")
        .first()
    )
    official = (commune.name, commune.search_name, commune.parent_id)
    Unit.objects.filter(pk=commune.pk).update(
        name="Tên sai", search_name="ten sai", parent=Unit.objects.get(code="01")
    )
    summary = services.admin_units_load()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 3354)
    commune.refresh_from_db()
    assert (commune.name, commune.search_name, commune.parent_id) == official
    assert commune.search_name == fold(commune.name)


def test_the_command_prints_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_admin_units")
    out = capsys.readouterr().out
    assert "provinces: 34, communes: 3321, created: 3355, updated: 0, unchanged: 0" in out


class FakeDivision(enum.Enum):
    TINH = "tỉnh"
    HUYEN = "huyện"
    THI_TRAN = "thị trấn"


@dataclasses.dataclass
class FakeUnit:
    code: int
    name: str
    division_type: FakeDivision
    province_code: int = 0
    district_code: int = 0


def fake_package(*levels: list[FakeUnit]) -> types.ModuleType:
    """A stand-in for a vietnam-provinces release that has districts (none installed has)."""

    def listing(items: list[FakeUnit]) -> type:
        return type("Listing", (), {"iter_all": staticmethod(lambda: iter(items))})

    package = types.ModuleType("vietnam_provinces")
    package.Province, package.District, package.Ward = map(  # type: ignore[attr-defined]
        listing, levels
    )
    return package


def test_a_package_with_districts_would_load_them_between_province_and_commune(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = fake_package(
        [FakeUnit(91, "Tỉnh Kiên Giang", FakeDivision.TINH)],
        [FakeUnit(899, "Huyện Kiên Lương", FakeDivision.HUYEN, province_code=91)],
        [FakeUnit(30955, "Thị trấn Kiên Lương", FakeDivision.THI_TRAN, district_code=899)],
    )
    monkeypatch.setitem(sys.modules, "vietnam_provinces", package)
    summary = services.admin_units_load()
    assert (summary.provinces, summary.districts, summary.communes) == (1, 1, 1)
    town = Unit.objects.get(code="30955")
    assert (town.kind.code, town.parent.code, town.parent.parent.code) == ("thi_tran", "899", "91")
    assert town.parent.valid_to == datetime.date(2025, 6, 30)
    assert services.admin_units_load().unchanged == 3


# Search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("kien luong", {"Huyện Kiên Lương"}),
        ("KIÊN LƯƠNG", {"Huyện Kiên Lương"}),
        ("dương hoa", {"Xã Dương Hòa"}),
        ("duong", {"Xã Dương Hòa", "Phường Đường Lâm"}),
        ("duong lam", {"Phường Đường Lâm"}),
        ("ĐƯỜNG", {"Xã Dương Hòa", "Phường Đường Lâm"}),
        ("  binh   an ", {"Xã Bình An"}),
        ("kl-01", {"Xã Bình An"}),
    ],
)
def test_search_ignores_case_and_vietnamese_diacritics(query: str, found: set[str]) -> None:
    for name in ["Huyện Kiên Lương", "Xã Dương Hòa", "Phường Đường Lâm"]:
        UnitFactory(name=name)
    UnitFactory(name="Xã Bình An", code="KL-01")
    assert set(Unit.objects.search(query).values_list("name", flat=True)) == found


# The hierarchy --------------------------------------------------------------------------------


def test_unit_update_refuses_a_parent_that_makes_a_cycle() -> None:
    district = UnitFactory(kind=kind("huyen"))
    commune = UnitFactory(parent=district)
    hamlet = UnitFactory(parent=commune)
    with pytest.raises(ValidationError, match="vòng lặp"):
        services.unit_update(actor=None, unit=district, parent=hamlet)
    district.refresh_from_db()
    assert district.parent is None


def test_a_merger_keeps_the_old_units_closed_and_linked_to_the_successor() -> None:
    district = UnitFactory(kind=kind("huyen"))
    old_a, old_b = UnitFactory(parent=district), UnitFactory(parent=district)
    front = UnitFactory(parent=old_a, kind=kind("ban_cong_tac_mt"))
    merged = services.unit_create(
        actor=None, code="NEW", name="Xã Mới", kind=kind("xa"), parent=district
    )
    services.unit_merge(actor=None, units=[old_a, old_b], into=merged, on=datetime.date(2025, 7, 1))
    for old in (old_a, old_b):
        old.refresh_from_db()
        assert (old.valid_to, old.successor) == (datetime.date(2025, 6, 30), merged)
    front.refresh_from_db()
    assert front.parent == merged


def test_a_rename_makes_a_successor_and_keeps_the_old_unit() -> None:
    unit = UnitFactory(name="Xã Cũ")
    renamed = services.unit_rename(
        actor=None, unit=unit, name="Xã Mới", code="MOI", on=datetime.date(2025, 7, 1)
    )
    unit.refresh_from_db()
    assert (unit.name, unit.successor, unit.valid_to) == (
        "Xã Cũ",
        renamed,
        datetime.date(2025, 6, 30),
    )
    assert (renamed.name, renamed.valid_from) == ("Xã Mới", datetime.date(2025, 7, 1))


# The units import -----------------------------------------------------------------------------


def test_a_good_file_imports_and_a_second_import_changes_nothing() -> None:
    first = services.units_import(actor=None, workbook_file=workbook(GOOD))
    assert (first.created, first.updated, first.unchanged, first.kinds_created) == (3, 0, 0, 1)
    town = Unit.objects.get(code="KL-TT")
    assert (town.kind.code, town.parent.code, town.search_name) == (
        "thi_tran",
        "KL",
        "thi tran kien luong",
    )
    assert UnitKind.objects.get(name="Hội Nông dân").code == "hoi_nong_dan"
    before, kinds = snapshot(), UnitKind.objects.count()
    second = services.units_import(actor=None, workbook_file=workbook(GOOD))
    assert (second.created, second.updated, second.unchanged, second.kinds_created) == (0, 0, 3, 0)
    assert snapshot() == before and UnitKind.objects.count() == kinds


def test_an_import_updates_names_parents_and_dates_that_changed() -> None:
    services.units_import(actor=None, workbook_file=workbook(GOOD))
    changed = [
        GOOD[0] + ["", ""],
        ["KL-TT", "Thị trấn Kiên Lương (mới)", "thi_tran", "", "", ""],
        GOOD[2] + ["", "2025-06-30"],
    ]
    summary = services.units_import(
        actor=None, workbook_file=workbook(changed, header=[*HEADER, "valid_from", "valid_to"])
    )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 1)
    town = Unit.objects.search("kien luong (moi)").get()
    assert (town.code, town.parent) == ("KL-TT", None)
    assert Unit.objects.get(code="KL-HND").valid_to == datetime.date(2025, 6, 30)


def test_an_import_without_date_columns_keeps_the_stored_dates() -> None:
    closed = UnitFactory(code="KL", name="Huyện Kiên Lương", kind=kind("huyen"))
    services.unit_update(actor=None, unit=closed, valid_to=datetime.date(2025, 6, 30))
    summary = services.units_import(actor=None, workbook_file=workbook(GOOD))
    closed.refresh_from_db()
    assert summary.unchanged == 1 and closed.valid_to == datetime.date(2025, 6, 30)


def test_a_parent_already_stored_is_accepted() -> None:
    UnitFactory(code="KG", kind=kind("tinh"))
    rows = [["KL", "Huyện Kiên Lương", "huyen", "KG"]]
    services.units_import(actor=None, workbook_file=workbook(rows))
    assert Unit.objects.get(code="KL").parent.code == "KG"


DATED = [*HEADER, "valid_from", "valid_to"]


@pytest.mark.parametrize(
    ("content", "where"),
    [
        pytest.param(
            workbook(GOOD, sheet="don_vi"), "Trang tính “units”: thiếu trang tính", id="no-sheet"
        ),
        pytest.param(
            workbook([["KL", "Huyện", "huyen"]], header=["code", "name", "kind"]),
            "Trang tính “units”, dòng 1, cột “parent_code”: thiếu cột",
            id="no-column",
        ),
        pytest.param(
            workbook([*GOOD, ["X", "Xã X", "xa", "KHONG-CO"]]),
            "Trang tính “units”, dòng 5, cột “parent_code”: không có đơn vị mã “KHONG-CO”.",
            id="unknown-parent",
        ),
        pytest.param(
            workbook([*GOOD, ["A", "A", "xa", "B"], ["B", "B", "xa", "A"]]),
            "Trang tính “units”, dòng 5, cột “parent_code”: tạo vòng lặp: A → B → A.",
            id="cycle-in-file",
        ),
        pytest.param(
            workbook([*GOOD, ["DB-A", "A", "xa", "DB-B"]]),
            "Trang tính “units”, dòng 5, cột “parent_code”: tạo vòng lặp: "
            "DB-A → DB-B → DB-C → DB-A.",
            id="cycle-through-stored-units",
        ),
        pytest.param(
            workbook([*GOOD, ["KL", "Trùng", "xa", ""]]),
            "Trang tính “units”, dòng 5, cột “code”: mã “KL” đã có ở dòng 2.",
            id="duplicate-code",
        ),
        pytest.param(
            workbook([*GOOD, ["X", "", "xa", ""]]),
            "Trang tính “units”, dòng 5, cột “name”: không được để trống.",
            id="no-name",
        ),
        pytest.param(
            workbook([[*GOOD[0], "01/07/2025", ""]], header=DATED),
            "Trang tính “units”, dòng 2, cột “valid_from”: “01/07/2025” không phải là ngày",
            id="bad-date",
        ),
        pytest.param(
            workbook([[*GOOD[0], "2025-07-01", "2025-06-30"]], header=DATED),
            "Trang tính “units”, dòng 2, cột “valid_to”:",
            id="dates-out-of-order",
        ),
        pytest.param(
            workbook([[*GOOD[0], "2020-01-01"]], header=[*HEADER, "valid_to"]),
            "Trang tính “units”, dòng 2, cột “valid_to”:",
            id="end-before-the-stored-start",
        ),
        pytest.param(
            io.BytesIO(b"not a workbook"), "Tệp không phải là bảng tính Excel", id="not-a-workbook"
        ),
    ],
)
def test_a_bad_file_is_refused_where_it_is_wrong_and_nothing_is_written(
    content: io.BytesIO, where: str
) -> None:
    district = UnitFactory(code="KL", name="Huyện Kiên Lương", kind=kind("huyen"))
    services.unit_update(actor=None, unit=district, valid_from=datetime.date(2025, 7, 1))
    top = UnitFactory(code="DB-A")
    UnitFactory(code="DB-B", parent=UnitFactory(code="DB-C", parent=top))
    before, kinds = snapshot(), list(UnitKind.objects.values_list("code", flat=True))
    with pytest.raises(WorkbookError) as refused:
        services.units_import(actor=None, workbook_file=content)
    assert refused.value.messages == [refused.value.messages[0]]
    assert refused.value.messages[0].startswith(where)
    assert snapshot() == before
    assert list(UnitKind.objects.values_list("code", flat=True)) == kinds
