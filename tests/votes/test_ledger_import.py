"""Past awards come into the ledger from an `awards` sheet: all or nothing, each bad cell named
by sheet, row, column and reason; only under the importing authority; the same file twice adds
nothing; each entry gets its history line."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from assessments.exchange import campaign_import, workbook_template
from campaigns.models import Campaign
from core.workbooks import WorkbookError
from tests.factories import UnitFactory
from votes import ledger_sheet
from votes.ledger_sheet import COLUMNS
from votes.models import AwardEntry, LedgerEvent

from .ledger import awards_workbook, imported, ledger_world, row

pytestmark = pytest.mark.django_db


def test_an_import_writes_each_award_with_its_history_line() -> None:
    world = ledger_world()
    result = imported(
        world.commune,
        [
            row(world.farmers),
            row(world.commune, recipient_kind="collective", person_name=None, award_code="TTLDTT"),
        ],
        actor=world.officer,
    )
    assert (result.created, result.unchanged) == (2, 0)
    person = AwardEntry.objects.get(recipient_kind="individual")
    assert person.person_name == "Trần Văn Phúc"
    assert person.unit == world.farmers
    assert person.authority == world.commune
    assert person.award.code == "LDTT"
    assert person.award_name == "Lao động tiên tiến"
    assert (person.year, person.decision_number) == (2024, "12/QĐ-UBND")
    assert person.decision_date == datetime.date(2024, 12, 20)
    assert person.signer == "Nguyễn Văn An"
    assert person.source == "import"
    assert person.created_by == world.officer
    assert person.session is None and person.amount is None
    event = LedgerEvent.objects.get(entry=person)
    assert event.action == "ledger_import"
    assert event.actor == world.officer
    assert event.authority == world.commune
    assert "Trần Văn Phúc" in event.subject and "2024" in event.subject
    assert "12/QĐ-UBND" in event.new_value


def test_the_same_file_twice_adds_nothing() -> None:
    world = ledger_world()
    rows = [row(world.farmers), row(world.farmers, year=2023, decision_number="30/QĐ-UBND")]
    imported(world.commune, rows, actor=world.officer)
    again = imported(world.commune, rows, actor=world.officer)
    assert (again.created, again.unchanged) == (0, 2)
    assert AwardEntry.objects.count() == 2
    assert LedgerEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"unit_code": "KHONG-CO"}, "unit_code", "không có đơn vị mã “KHONG-CO”"),
        ({"award_code": "XYZ"}, "award_code", "không có danh hiệu, hình thức mã “XYZ”"),
        ({"recipient_kind": "team"}, "recipient_kind", "phải là collective, individual"),
        ({"person_name": None}, "person_name", "ghi họ tên khi khen cá nhân"),
        ({"year": "năm ngoái"}, "year", "không phải là năm"),
        ({"decision_date": "20/12/2024"}, "decision_date", "không phải là ngày"),
        ({"decision_date": datetime.date(2023, 1, 5)}, "decision_date", "trong hoặc sau năm"),
        ({"decision_number": None}, "decision_number", "không được để trống"),
        ({"recipient_kind": "household"}, "award_code", "không tặng cho đối tượng"),
    ],
)
def test_a_bad_cell_refuses_the_whole_file_naming_sheet_row_column_and_reason(
    changes: dict[str, object], column: str, reason: str
) -> None:
    world = ledger_world()
    rows = [row(world.farmers, person_name="Lê Thị Hoa"), row(world.farmers, **changes)]
    with pytest.raises(WorkbookError) as refused:
        imported(world.commune, rows, actor=world.officer)
    error = refused.value
    assert (error.sheet, error.row, error.column) == ("awards", 3, column)
    assert reason in error.messages[0]
    assert "Trang tính “awards”, dòng 3" in error.messages[0]
    assert not AwardEntry.objects.exists()  # the good row 2 is not written either
    assert not LedgerEvent.objects.exists()


def test_a_unit_of_another_authority_is_refused() -> None:
    world = ledger_world()
    with pytest.raises(WorkbookError) as refused:
        imported(world.commune, [row(world.other_farmers)], actor=world.officer)
    assert refused.value.column == "unit_code"
    assert "không thuộc Xã Kiên Lương" in refused.value.messages[0]
    assert not AwardEntry.objects.exists()


def test_another_authoritys_officer_cannot_import_into_this_ledger() -> None:
    world = ledger_world()
    with pytest.raises(PermissionDenied):
        imported(world.commune, [row(world.farmers)], actor=world.other_officer)
    assert not AwardEntry.objects.exists()


def test_the_province_imports_for_its_communes_units() -> None:
    world = ledger_world()
    result = imported(
        world.province,
        [row(world.farmers), row(world.other_farmers)],
        actor=world.province_officer,
    )
    assert result.created == 2
    assert set(AwardEntry.objects.values_list("authority", flat=True)) == {world.province.pk}


def test_a_file_without_the_awards_sheet_is_refused() -> None:
    world = ledger_world()
    with pytest.raises(WorkbookError) as refused:
        ledger_sheet.awards_import(
            actor=world.officer,
            authority=world.commune,
            workbook_file=awards_workbook([row(world.farmers)], sheet="units"),
        )
    assert refused.value.sheet == "awards"


# The campaign workbook -------------------------------------------------------------------------


def campaign_book(authority_code: str, awards: list[tuple[object, ...]]) -> object:
    """A campaign workbook of the commune with an `awards` sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "campaign"
    sheet.append(["code", "title", "starts_on", "ends_on", "window_opens_on", "window_closes_on"])
    sheet.append(
        [
            "KL-2024",
            "Văn hóa công sở năm 2024",
            "2024-01-01",
            "2024-12-31",
            "2024-11-01",
            "2024-11-30",
        ]
    )
    page = book.create_sheet("awards")
    page.append(list(COLUMNS))
    for line in awards:
        page.append(list(line))
    target = io.BytesIO()
    book.save(target)
    target.seek(0)
    return target


def test_the_campaign_workbook_brings_its_awards_sheet_into_the_ledger() -> None:
    world = ledger_world()
    book = campaign_book(world.commune.code, [row(world.farmers)])
    summary = campaign_import(
        workbook_file=book, actor=world.officer, authority_code=world.commune.code
    )
    assert summary.created["awards"] == 1
    entry = AwardEntry.objects.get()
    assert entry.authority == world.commune
    assert LedgerEvent.objects.get(entry=entry).actor == world.officer
    again = campaign_import(
        workbook_file=campaign_book(world.commune.code, [row(world.farmers)]),
        actor=world.officer,
        authority_code=world.commune.code,
    )
    assert not again.created.get("awards")
    assert AwardEntry.objects.count() == 1


def test_a_bad_awards_row_refuses_the_whole_campaign_workbook() -> None:
    world = ledger_world()
    foreign = UnitFactory(name="Xã Nơi Khác")
    book = campaign_book(world.commune.code, [row(foreign)])
    with pytest.raises(WorkbookError) as refused:
        campaign_import(workbook_file=book, actor=world.officer, authority_code=world.commune.code)
    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "awards",
        2,
        "unit_code",
    )
    assert not Campaign.objects.filter(code="KL-2024").exists()  # all or nothing
    assert not AwardEntry.objects.exists()


def test_the_workbook_template_has_the_awards_sheet_with_its_header_row() -> None:
    book = load_workbook(io.BytesIO(workbook_template()))
    assert "awards" in book.sheetnames
    header = [cell.value for cell in book["awards"][1]]
    assert header == list(COLUMNS)
