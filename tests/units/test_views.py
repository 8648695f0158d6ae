"""The unit pages: the tree and its search, the .xlsx export and the import page."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.text import fold
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind, manager_of
from tests.units.workbooks import GOOD, snapshot, workbook
from units.models import Unit
from units.roles import Role
from units.services import unit_kinds_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> User:
    return UserFactory(roles=[Role.CAMPAIGN_MANAGER])


@pytest.fixture
def unit_head() -> User:
    user = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=user)
    return user


@pytest.fixture
def kien_luong() -> Unit:
    """A district, a commune, a township merged into the commune, a farmers' association."""
    district = UnitFactory(code="KL", name="Huyện Kiên Lương", kind=kind("huyen"))
    commune = UnitFactory(code="KL-BA", name="Xã Bình An", parent=district)
    UnitFactory(code="KL-TT", name="Thị trấn Kiên Lương", parent=district, kind=kind("thi_tran"))
    UnitFactory(code="KL-HND", name="Hội Nông dân huyện Kiên Lương", parent=district)
    Unit.objects.filter(code="KL-TT").update(valid_to="2025-06-30", successor=commune)
    return district


def many_units(count: int) -> Unit:
    """`count` communes under one province, written in one statement (bulk: search_name by hand);
    returns the province."""
    province, xa = UnitFactory(kind=kind("tinh")), kind("xa")
    Unit.objects.bulk_create(
        Unit(
            code=f"T{i:05d}", name=f"Xã {i}", search_name=fold(f"Xã {i}"), kind=xa, parent=province
        )
        for i in range(count)
    )
    return province


def exported(response) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content))["units"].iter_rows(values_only=True))


def exported_codes(client: Client, **filters: object) -> list[object]:
    return [row[0] for row in exported(client.get(reverse("units:export"), filters))[1:]]


# The tree -------------------------------------------------------------------------------------


def test_the_tree_lists_units_children_under_their_parent(
    client: Client, unit_head: User, kien_luong: Unit
) -> None:
    client.force_login(unit_head)
    html = client.get(reverse("units:tree")).content.decode()
    assert html.index("Huyện Kiên Lương") < html.index("Xã Bình An")
    assert "hết hiệu lực 30/06/2025" in html
    assert "Xuất Excel" not in html and "Nhập từ Excel" not in html


def test_the_tree_finds_a_unit_typed_without_diacritics(
    client: Client, manager: User, kien_luong: Unit
) -> None:
    client.force_login(manager)
    html = client.get(reverse("units:tree") + "?q=kien+luong").content.decode()
    assert "<td>KL</td>" in html and "<td>KL-TT</td>" in html and "<td>KL-HND</td>" in html
    assert "<td>KL-BA</td>" not in html  # Xã Bình An, shown only as the township's successor
    assert "→ Xã Bình An" in html
    assert "Xuất Excel" in html and "Nhập từ Excel" in html


def test_the_tree_needs_a_login(client: Client) -> None:
    response = client.get(reverse("units:tree"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("count", [10, 1000])
def test_the_tree_runs_the_same_few_queries_for_10_and_1000_units(
    client: Client, manager: User, count: int, django_assert_max_num_queries
) -> None:
    many_units(count)
    client.force_login(manager)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("units:tree"))
    assert response.status_code == 200


# Export ---------------------------------------------------------------------------------------


def test_a_manager_exports_every_unit_of_their_authority(client: Client, kien_luong: Unit) -> None:
    client.force_login(manager_of(kien_luong))
    response = client.get(reverse("units:export"))
    assert response["Content-Disposition"].startswith('attachment; filename="don-vi.xlsx"')
    rows = exported(response)
    assert rows[0] == (
        "code",
        "name",
        "kind",
        "parent_code",
        "valid_from",
        "valid_to",
        "successor_code",
    )
    stored = Unit.objects.order_by("code").values_list(
        "code", "name", "kind__code", "parent__code", "valid_to", "successor__code"
    )
    assert [(*r[:4], r[5] and r[5].date(), r[6]) for r in rows[1:]] == list(stored)
    assert rows[-1][5:] == (datetime.datetime(2025, 6, 30), "KL-BA")


def test_the_export_keeps_the_tree_pages_filters(client: Client, kien_luong: Unit) -> None:
    client.force_login(manager_of(kien_luong))
    assert exported_codes(client, q="kien luong") == ["KL", "KL-HND", "KL-TT"]
    assert exported_codes(client, q="kien luong", active=True) == ["KL", "KL-HND"]
    assert exported_codes(client, kind=kind("thi_tran").pk) == ["KL-TT"]
    assert exported_codes(client, kind="not-a-kind") == []  # the tree page shows none either


def test_an_exported_file_imports_back_unchanged(
    client: Client, manager: User, kien_luong: Unit
) -> None:
    MembershipFactory(user=manager, unit=kien_luong, role="officer")  # the file is all theirs
    client.force_login(manager)
    content = b"".join(client.get(reverse("units:export")).streaming_content)
    before = snapshot()
    upload = SimpleUploadedFile("don-vi.xlsx", content)
    response = client.post(reverse("units:import"), {"file": upload}, follow=True)
    assert "0 đơn vị mới, 0 cập nhật, 4 không đổi" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("count", [10, 1000])
def test_the_export_runs_the_same_few_queries_for_10_and_1000_units(
    client: Client, count: int, django_assert_max_num_queries
) -> None:
    client.force_login(manager_of(many_units(count)))
    with django_assert_max_num_queries(6):
        rows = exported(client.get(reverse("units:export")))
    assert len(rows) == count + 2  # the header and the province


def test_a_manager_of_another_authority_does_not_export_its_units(
    client: Client, kien_luong: Unit
) -> None:
    other = UnitFactory(code="HT", name="Huyện Hòn Đất", kind=kind("huyen"))
    UnitFactory(code="HT-SK", name="Xã Sóc Sơn", parent=other)
    client.force_login(manager_of(other))

    assert exported_codes(client) == ["HT", "HT-SK"]
    assert exported_codes(client, q="kien luong") == []  # not even when searched for by name


def test_a_superuser_exports_the_units_of_every_authority(client: Client, kien_luong: Unit) -> None:
    UnitFactory(code="HT", name="Huyện Hòn Đất", kind=kind("huyen"))
    client.force_login(UserFactory(is_superuser=True))

    assert exported_codes(client) == ["HT", "KL", "KL-BA", "KL-HND", "KL-TT"]


def test_a_manager_without_an_authority_exports_no_unit(
    client: Client, manager: User, kien_luong: Unit
) -> None:
    client.force_login(manager)

    assert exported_codes(client) == []


# Import ---------------------------------------------------------------------------------------


def test_a_manager_imports_a_file(client: Client, manager: User) -> None:
    unit_kinds_ensure()
    province = UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    MembershipFactory(user=manager, unit=province, role="officer")
    client.force_login(manager)
    assert client.get(reverse("units:import")).status_code == 200
    rows = [[*GOOD[0][:3], "KG"], *GOOD[1:]]  # the district under the manager's province
    upload = SimpleUploadedFile("don-vi.xlsx", workbook(rows).getvalue())
    response = client.post(reverse("units:import"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("units:tree")
    assert "3 đơn vị mới, 0 cập nhật, 0 không đổi" in html
    assert "1 loại đơn vị mới" in html
    assert Unit.objects.get(code="KL-TT").parent.code == "KL"


def test_the_import_page_shows_where_a_bad_file_is_wrong(client: Client, manager: User) -> None:
    client.force_login(manager)
    bad = workbook([*GOOD, ["X", "Xã X", "xa", "KHONG-CO"]]).getvalue()
    response = client.post(
        reverse("units:import"), {"file": SimpleUploadedFile("don-vi.xlsx", bad)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Trang tính “units”, dòng 5, cột “parent_code”: không có đơn vị mã “KHONG-CO”." in html
    assert not Unit.objects.exists()


def test_the_import_page_refuses_a_file_that_is_not_xlsx_inside(
    client: Client, manager: User
) -> None:
    client.force_login(manager)
    fake = SimpleUploadedFile("don-vi.xlsx", b"code,name,kind,parent_code\n")
    response = client.post(reverse("units:import"), {"file": fake})
    assert response.status_code == 422
    assert "không đúng với loại .xlsx" in response.content.decode()


def test_the_import_page_refuses_a_sheet_without_data_rows(client: Client, manager: User) -> None:
    """Formulas without a value read as empty cells: a file that imports nothing is a mistake."""
    client.force_login(manager)
    empty = workbook([["=1+1", "=1+1", "=1+1", "=1+1"]]).getvalue()
    response = client.post(
        reverse("units:import"), {"file": SimpleUploadedFile("don-vi.xlsx", empty)}
    )
    assert response.status_code == 422
    assert "Trang tính “units”: không có dòng dữ liệu nào" in response.content.decode()


@pytest.mark.parametrize("name", ["units:import", "units:export"])
def test_a_unit_head_may_not_import_or_export(client: Client, unit_head: User, name: str) -> None:
    client.force_login(unit_head)
    assert client.get(reverse(name)).status_code == 403
    upload = SimpleUploadedFile("don-vi.xlsx", workbook(GOOD).getvalue())
    assert client.post(reverse("units:import"), {"file": upload}).status_code == 403
    assert not Unit.objects.filter(code="KL").exists()


@pytest.mark.parametrize("name", ["units:import", "units:export"])
def test_anonymous_is_sent_to_log_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
