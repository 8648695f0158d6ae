"""The `awards` sheet (docs/domain.md, "Data exchange"): past awards brought into the ledger.

The campaign workbook's runner (assessments/exchange/runner.py) loads this module by the
`CAMPAIGN_WORKBOOK_SHEETS` setting, since assessments sits below votes: it reads the sheet's
columns here, calls `check` with the other sheets and `apply` in the same transaction. The
ledger's own import page reads a workbook with this sheet alone (`read_awards`)."""

from collections import Counter
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from campaigns.models import Campaign
from core.workbooks import (
    Row,
    WorkbookError,
    WorkbookFile,
    date_cell,
    open_workbook,
    read_sheet,
    text_cell,
)
from units.models import Unit

from .models import RecipientKind
from .services import AwardLine, LedgerImport, award_entries_import

SHEET = "awards"
COLUMNS = (
    "recipient_kind",
    "unit_code",
    "person_name",
    "award_code",
    "year",
    "decision_number",
    "decision_date",
    "signer",
)
OPTIONAL = frozenset({"person_name", "signer"})
LABEL = _lazy("Khen thưởng đã có")
COLUMN_LABELS = {
    "recipient_kind": _lazy("Đối tượng"),
    "unit_code": _lazy("Mã đơn vị"),
    "person_name": _lazy("Họ tên cá nhân, chủ hộ"),
    "award_code": _lazy("Mã danh hiệu, hình thức"),
    "year": _lazy("Năm"),
    "decision_number": _lazy("Số quyết định"),
    "decision_date": _lazy("Ngày quyết định"),
    "signer": _lazy("Người ký"),
}
TEMPLATE_HINTS = {
    "recipient_kind": "collective (tập thể), individual (cá nhân) hoặc household (hộ gia đình).",
    "unit_code": "Mã đơn vị được khen, hoặc đơn vị của cá nhân, hộ gia đình.",
    "person_name": "Họ tên cá nhân hoặc chủ hộ; để trống khi khen tập thể.",
    "award_code": "Mã trong danh mục khen thưởng, ví dụ LDTT, CSTD_CS, GK_XA, BK_TINH.",
    "year": "Năm được khen, ví dụ 2024.",
    "decision_number": "Số, ký hiệu quyết định, ví dụ 12/QĐ-UBND.",
    "decision_date": "YYYY-MM-DD",
}
FIRST_YEAR = 1945


def _year(row: Row) -> int:
    text = row.text("year")
    if not text:
        raise row.error("year", _("không được để trống."))
    last = timezone.localdate().year
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= last:
        raise row.error(
            "year",
            _("“%(value)s” không phải là năm từ %(first)s đến %(last)s.")
            % {"value": text, "first": FIRST_YEAR, "last": last},
        )
    return int(text)


def _line(row: Row) -> AwardLine:
    kind = row.text("recipient_kind")
    if kind not in RecipientKind.values:
        raise row.error(
            "recipient_kind",
            _("“%(value)s” phải là collective, individual hoặc household.") % {"value": kind},
        )
    person = text_cell(row, "person_name", 160)
    if (kind == RecipientKind.COLLECTIVE) == bool(person):
        raise row.error(
            "person_name",
            _("ghi họ tên khi khen cá nhân hoặc hộ gia đình, để trống khi khen tập thể."),
        )
    year = _year(row)
    decided = date_cell(row, "decision_date")
    if decided is None:
        raise row.error("decision_date", _("không được để trống."))
    if decided.year < year or decided > timezone.localdate():
        raise row.error(
            "decision_date",
            _("ngày quyết định phải trong hoặc sau năm được khen, và không sau hôm nay."),
        )
    return AwardLine(
        row=row,
        recipient_kind=kind,
        unit_code=text_cell(row, "unit_code", 32, required=True),
        person_name=" ".join(person.split()),
        award_code=text_cell(row, "award_code", 40, required=True),
        year=year,
        decision_number=text_cell(row, "decision_number", 60, required=True),
        decision_date=decided,
        signer=text_cell(row, "signer", 200),
    )


def award_lines(rows: list[Row]) -> list[AwardLine]:
    """Every row's cells checked; the first bad cell refuses the file."""
    return [_line(row) for row in rows]


def read_awards(workbook_file: WorkbookFile) -> list[AwardLine]:
    """The `awards` sheet of a workbook (other sheets are ignored), every cell checked."""
    book = open_workbook(workbook_file)
    try:
        titles = {title.strip().lower(): title for title in book.sheetnames}
        if SHEET not in titles:
            raise WorkbookError(_("thiếu trang tính bắt buộc này."), sheet=SHEET)
        rows = read_sheet(book[titles[SHEET]], SHEET, COLUMNS, OPTIONAL)
    finally:
        book.close()
    if not rows:
        raise WorkbookError(_("không có dòng dữ liệu nào (dòng 1 là tên cột)."), sheet=SHEET)
    return award_lines(rows)


def awards_import(
    *, actor: User | None, authority: Unit, workbook_file: WorkbookFile
) -> LedgerImport:
    """The ledger's import page: the file read outside the transaction, then the service."""
    lines = read_awards(workbook_file)
    return award_entries_import(actor=actor, authority=authority, lines=lines)


# The campaign workbook's hooks ------------------------------------------------------------------


def check(rows: list[Row], *, actor: User | None) -> list[AwardLine]:
    """The runner's check, before anything is written: each cell."""
    return award_lines(rows)


def apply(lines: list[AwardLine], *, actor: User | None, campaign: Campaign) -> Counter[str]:
    """The runner's apply, in its transaction: into the ledger of the campaign's authority
    (units and awards checked there, the first bad row refusing the whole file)."""
    if not lines:
        return Counter()
    authority = campaign.authority
    if authority is None:
        raise WorkbookError(_("phong trào chưa có cơ quan phát động để ghi sổ."), sheet=SHEET)
    result = award_entries_import(actor=actor, authority=authority, lines=lines)
    return Counter({"created:awards": result.created})


def template_rows() -> list[tuple[Any, ...]]:
    """The template's `awards` sheet: its header row only (its codes would be the reader's)."""
    return []
