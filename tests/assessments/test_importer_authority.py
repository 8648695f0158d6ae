"""The campaign workbook under one authority: every row is applied through a bulk service that
checks the manager's authority once for all rows, so a row touching another authority's units
refuses the whole file, naming its sheet and row, and nothing is written."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from assessments.exchange import WorkbookError, campaign_import
from campaigns import services as campaign_services
from tests.assessments.workbooks import Sheets, good_sheets, snapshot, workbook
from tests.factories import UnitFactory, kind, manager_of
from units import services as unit_services
from units.models import Block, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def province() -> Unit:
    """Authority B: the province whose manager imports (the file's district goes under it)."""
    return UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))


@pytest.fixture
def manager(province: Unit) -> User:
    return manager_of(province)


@pytest.fixture
def other() -> Unit:
    """Authority A: another province, with a district and a block of its own."""
    province = UnitFactory(code="CT", name="Thành phố Cần Thơ", kind=kind("tinh"))
    district = UnitFactory(code="CT-X", name="Quận Xa", kind=kind("huyen"), parent=province)
    unit_services.block_create(
        actor=None, code="K-CT", name="Khối Cần Thơ", members=[district], head_unit=district
    )
    return district


def import_as(actor: User, sheets: Sheets, authority_code: str | None = None) -> object:
    return campaign_import(
        workbook_file=io.BytesIO(workbook(sheets)), actor=actor, authority_code=authority_code
    )


def refused_where(
    actor: User, sheets: Sheets, authority_code: str | None = None
) -> tuple[str | None, int | None, str | None, str]:
    before = snapshot()
    with pytest.raises(WorkbookError) as refused:
        import_as(actor, sheets, authority_code)
    assert snapshot() == before  # all or nothing: not even the campaign or its new units
    error = refused.value
    return error.sheet, error.row, error.column, str(error.message)


def test_a_units_row_moving_another_authoritys_unit_under_ones_own_refuses_the_file(
    manager: User, other: Unit
) -> None:
    sheets = good_sheets()
    sheets["units"].append(["CT-X", "Quận Xa", "huyen", "KL"])

    sheet, row, column, message = refused_where(manager, sheets)

    assert (sheet, row, column) == ("units", 6, "code")
    assert "“CT-X” nằm ngoài phạm vi bạn phụ trách" in message
    assert Unit.objects.get(code="CT-X").parent == Unit.objects.get(code="CT")


def test_a_units_row_renaming_another_authoritys_unit_in_place_is_refused(
    manager: User, other: Unit
) -> None:
    sheets = good_sheets()
    sheets["units"].append(["CT-X", "Quận Đổi Tên", "huyen", "CT"])

    assert refused_where(manager, sheets, authority_code="KG")[:3] == ("units", 6, "code")
    assert Unit.objects.get(code="CT-X").name == "Quận Xa"


def test_a_blocks_row_putting_another_authoritys_unit_in_a_block_is_refused(
    manager: User, other: Unit
) -> None:
    sheets = good_sheets()
    sheets["blocks"].append(["K-XA", "Khối xã, thị trấn", "CT-X"])

    sheet, row, column, message = refused_where(manager, sheets)

    assert (sheet, row, column) == ("blocks", 4, "unit_code")
    assert "“CT-X” nằm ngoài phạm vi bạn phụ trách" in message


def test_a_blocks_row_renaming_another_authoritys_block_is_refused(
    manager: User, other: Unit
) -> None:
    sheets = good_sheets()
    sheets["blocks"].append(["K-CT", "Khối lấn sân", "KL-HND"])

    sheet, row, column, message = refused_where(manager, sheets)

    assert (sheet, row, column) == ("blocks", 4, "code")
    assert "khối “K-CT” có đơn vị nằm ngoài phạm vi bạn phụ trách" in message
    assert Block.objects.get(code="K-CT").name == "Khối Cần Thơ"


def test_a_self_scores_row_of_another_authoritys_unit_is_refused_with_its_row(
    manager: User, other: Unit
) -> None:
    sheets = good_sheets()
    sheets["self_scores"].append(["CT-X", "1.1", 5, None, None])

    sheet, row, column, message = refused_where(manager, sheets)

    assert (sheet, row, column) == ("self_scores", 7, "unit_code")
    assert "“CT-X” nằm ngoài phạm vi của cơ quan phát động" in message


def test_a_file_renames_a_block_of_ones_own_authority_through_the_block_service(
    manager: User,
) -> None:
    import_as(manager, good_sheets())
    block = Block.objects.get(code="K-XA")
    head = Unit.objects.get(code="KL-TT")
    unit_services.block_update(
        actor=manager, block=block, name=block.name, members=[head], head_unit=head, year=2019
    )
    sheets = good_sheets()
    for row in sheets["blocks"][1:]:
        row[1] = "Khối các xã, thị trấn"

    summary = import_as(manager, sheets)

    block.refresh_from_db()
    assert block.name == "Khối các xã, thị trấn"
    assert (block.head_unit, block.year) == (head, 2019)  # kept, as the block form keeps them
    assert set(block.members.values_list("code", flat=True)) == {"KL-TT", "KL-BA"}
    assert summary.updated["block"] == 1  # type: ignore[attr-defined]
    assert not import_as(manager, sheets).changed  # type: ignore[attr-defined]


def test_the_campaign_moves_only_to_an_authority_one_manages_and_only_as_a_draft(
    manager: User, province: Unit, other: Unit
) -> None:
    """The campaign sheet's service: the new authority is checked as creating it there would be."""
    fields = {"title": "Văn hóa công sở"} | {
        name: datetime.date(2026, month, day)
        for name, month, day in [
            ("starts_on", 1, 1),
            ("ends_on", 12, 31),
            ("window_opens_on", 11, 1),
            ("window_closes_on", 11, 30),
        ]
    }
    campaign, _counts = campaign_services.campaign_upsert(
        actor=manager, code="VHCS", authority=province, fields=fields
    )
    with pytest.raises(PermissionDenied):
        campaign_services.campaign_upsert(
            actor=manager, code="VHCS", authority=other.parent, fields=fields
        )
    campaign.refresh_from_db()
    assert campaign.authority == province
