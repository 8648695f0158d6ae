"""Units in and out of .xlsx: a good file twice, each kind of bad file, the pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import UnitFactory, UserFactory, kind
from units.exchange import units_import
from units.models import Unit, UnitKind
from units.roles import Role
from units.services import unit_kinds_ensure
from units.workbooks import WorkbookError

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "kind", "parent_code"]
GOOD = [
    ["KL", "Huyện Kiên Lương", "huyen", ""],
    ["KL-TT", "Thị trấn Kiên Lương", "Thị trấn", "KL"],
    ["KL-HND", "Hội Nông dân huyện Kiên Lương", "Hội Nông dân", "KL"],
]


def workbook(rows: list[list[object]], header: list[str] = HEADER, sheet: str = "units") -> bytes:
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Unit.objects.order_by("code").values_list("code", "name", "kind__code", "parent__code")
    )


def test_a_good_file_imports_once_and_a_second_time_changes_nothing() -> None:
    unit_kinds_ensure()  # a transactional test before this one may have flushed the kinds
    first = units_import(workbook_file=io.BytesIO(workbook(GOOD)))
    assert (first.created, first.updated) == (3, 0)
    assert first.kinds["unit_kind"] == 1  # "Hội Nông dân" is a new kind: kinds are data
    assert Unit.objects.get(code="KL-TT").kind.code == "thi_tran"
    assert Unit.objects.get(code="KL-TT").parent.code == "KL"
    before = snapshot()
    second = units_import(workbook_file=io.BytesIO(workbook(GOOD)))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert snapshot() == before and UnitKind.objects.filter(name="Hội Nông dân").count() == 1


def test_a_changed_name_is_an_update() -> None:
    unit_kinds_ensure()
    units_import(workbook_file=io.BytesIO(workbook(GOOD)))
    changed = [GOOD[0], ["KL-TT", "Thị trấn Kiên Lương (mới)", "thi_tran", "KL"]]
    summary = units_import(workbook_file=io.BytesIO(workbook(changed)))
    assert summary.updated == 1
    assert Unit.objects.search("kien luong (moi)").get().code == "KL-TT"


def test_a_parent_already_in_the_database_is_accepted() -> None:
    UnitFactory(code="KG", kind=kind("tinh"))
    units_import(workbook_file=io.BytesIO(workbook([["KL", "Huyện Kiên Lương", "huyen", "KG"]])))
    assert Unit.objects.get(code="KL").parent.code == "KG"


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (workbook(GOOD, sheet="don_vi"), "“units”"),
        (workbook([["KL", "Huyện", "huyen"]], header=["code", "name", "kind_x"]), "cột “kind”"),
        (workbook([*GOOD, ["X", "Xã X", "xa", "KHONG-CO"]]), "dòng 5, cột “parent_code”"),
        (workbook([["A", "A", "xa", "B"], ["B", "B", "xa", "A"]]), "dòng 2, cột “parent_code”"),
        (workbook([*GOOD, ["KL", "Trùng", "xa", ""]]), "dòng 5, cột “code”"),
        (workbook([["KL", "", "huyen", ""]]), "dòng 2, cột “name”"),
        (
            workbook([["KL", "Huyện", "huyen", "", "01/07/2025"]], header=[*HEADER, "valid_from"]),
            "cột “valid_from”",
        ),
        (b"not a workbook", "không phải là bảng tính"),
    ],
)
def test_a_bad_file_is_refused_where_it_is_wrong_and_nothing_is_saved(
    content: bytes, where: str
) -> None:
    UnitFactory(code="EXISTING")
    before = snapshot()
    with pytest.raises(WorkbookError) as error:
        units_import(workbook_file=io.BytesIO(content))
    assert where in error.value.messages[0]
    assert snapshot() == before


def test_a_cycle_through_units_already_stored_is_refused() -> None:
    parent = UnitFactory(code="P")
    UnitFactory(code="C", parent=parent)
    with pytest.raises(WorkbookError, match="vòng lặp"):
        units_import(workbook_file=io.BytesIO(workbook([["P", "P", "xa", "C"]])))
    assert Unit.objects.get(code="P").parent is None


def test_a_manager_exports_the_filtered_tree(client: Client) -> None:
    units_import(workbook_file=io.BytesIO(workbook(GOOD)))
    client.force_login(UserFactory(roles=[Role.CAMPAIGN_MANAGER]))
    response = client.get(reverse("units:export"), {"q": "hoi nong dan"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][:4] == ("code", "name", "kind", "parent_code")
    assert [row[0] for row in rows[1:]] == ["KL-HND"]


def test_a_manager_imports_through_the_page_and_a_unit_head_cannot(client: Client) -> None:
    upload = SimpleUploadedFile("don-vi.xlsx", workbook(GOOD))
    client.force_login(UserFactory(roles=[Role.CAMPAIGN_MANAGER]))
    response = client.post(reverse("units:import"), {"file": upload}, follow=True)
    assert "3 đơn vị mới" in response.content.decode()
    head = Client()
    head.force_login(UserFactory(roles=[Role.UNIT_HEAD]))
    assert head.get(reverse("units:import")).status_code == 403
    assert head.get(reverse("units:export")).status_code == 403


def test_the_page_shows_where_a_bad_file_is_wrong(client: Client) -> None:
    client.force_login(UserFactory(roles=[Role.CAMPAIGN_MANAGER]))
    bad = workbook([["X", "Xã X", "xa", "KHONG-CO"]])
    response = client.post(
        reverse("units:import"), {"file": SimpleUploadedFile("don-vi.xlsx", bad)}
    )
    assert response.status_code == 200
    assert "dòng 2, cột “parent_code”" in response.content.decode()
    assert not Unit.objects.filter(code="X").exists()
