"""Reading .xlsx workbooks cell by cell, for every import of the portal (units, campaigns).

An import is all or nothing: the first bad cell raises a WorkbookError that names the sheet, the
Excel row, the column and the reason, in the user's language.
"""

import datetime
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WorkbookFile = str | Path | IO[bytes]


class WorkbookError(ValidationError):
    """The workbook is refused: where (sheet, Excel row, column) and why."""

    def __init__(
        self,
        reason: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.sheet, self.row, self.column, self.reason = sheet, row, column, reason
        super().__init__(where(sheet, row, column, reason), code="bad_workbook")


def where(sheet: str | None, row: int | None, column: str | None, reason: str) -> str:
    params = {"sheet": sheet, "row": row, "column": column, "reason": reason}
    if sheet is None:
        return reason
    if row is None:
        return _("Trang tính “%(sheet)s”: %(reason)s") % params
    if column is None:
        return _("Trang tính “%(sheet)s”, dòng %(row)s: %(reason)s") % params
    return _("Trang tính “%(sheet)s”, dòng %(row)s, cột “%(column)s”: %(reason)s") % params


@dataclass(frozen=True)
class Row:
    """One non-empty data row of a sheet, by column name."""

    sheet: str
    number: int
    cells: dict[str, object]

    def text(self, column: str) -> str:
        return as_text(self.cells.get(column))

    def error(self, column: str | None, reason: str) -> WorkbookError:
        return WorkbookError(reason, sheet=self.sheet, row=self.number, column=column)


def as_text(value: object) -> str:
    """A cell as text; whole numbers lose their ".0" (Excel stores 2 as 2.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def open_workbook(workbook_file: WorkbookFile) -> Any:
    """The workbook, read only; refused before reading if it unpacks or reaches too far.

    A small .xlsx can unpack to gigabytes (a zip bomb): the sizes its zip declares are checked
    first, and zipfile never unpacks a member past its declared size. openpyxl parses the XML
    through defusedxml, which refuses entity bombs. Sheets are checked by the size they declare
    here, and by the rows actually read in `read_sheet` (a declared size can be wrong).
    """
    try:
        check_unpacked_size(workbook_file)
        book = openpyxl.load_workbook(workbook_file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise WorkbookError(_("Tệp không phải là bảng tính Excel .xlsx đọc được.")) from None
    try:
        for sheet in book.worksheets:
            check_row_count(sheet.title, sheet.max_row or 0)
    except WorkbookError:
        book.close()
        raise
    return book


def check_unpacked_size(workbook_file: WorkbookFile) -> None:
    limit = settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES
    with zipfile.ZipFile(workbook_file) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if not isinstance(workbook_file, str | Path):
        workbook_file.seek(0)
    if unpacked > limit:
        raise WorkbookError(
            _("Bảng tính giải nén ra %(size)s, vượt quá giới hạn %(limit)s.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)}
        )


def check_row_count(sheet: str, rows: int) -> None:
    limit = settings.WORKBOOK_MAX_ROWS
    if rows > limit:
        raise WorkbookError(
            _("có hơn %(limit)s dòng, vượt quá giới hạn một lần nhập.") % {"limit": limit},
            sheet=sheet,
        )


def read_sheet(
    sheet: Any, name: str, columns: tuple[str, ...], optional: Iterable[str] = ()
) -> list[Row]:
    """The data rows of one sheet; refuses a missing column or one given twice."""
    sheet.reset_dimensions()  # some producers write wrong dimensions; read every row
    lines = sheet.iter_rows(values_only=True)
    positions = column_positions(name, next(lines, ()), columns, set(optional))
    rows = []
    for number, values in enumerate(lines, start=2):
        check_row_count(name, number)
        if all(as_text(value) == "" for value in values):
            continue
        cells = {col: values[i] if i < len(values) else None for col, i in positions.items()}
        rows.append(Row(name, number, cells))
    return rows


def column_positions(
    name: str, header: Iterable[object], columns: tuple[str, ...], optional: set[str]
) -> dict[str, int]:
    """Where each known column is; unknown extra columns are ignored."""
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        title = as_text(value).lower()
        if title in columns:
            if title in positions:
                raise WorkbookError(_("cột này có hai lần."), sheet=name, row=1, column=title)
            positions[title] = index
    for column in columns:
        if column not in positions and column not in optional:
            raise WorkbookError(_("thiếu cột này."), sheet=name, row=1, column=column)
    return positions


def text_cell(row: Row, column: str, max_length: int, *, required: bool = False) -> str:
    value = row.text(column)
    if required and not value:
        raise row.error(column, _("không được để trống."))
    if len(value) > max_length:
        raise row.error(column, _("dài quá %(max)s ký tự.") % {"max": max_length})
    return value


def date_cell(row: Row, column: str) -> datetime.date | None:
    """A real date cell, or text written YYYY-MM-DD; blank is None."""
    value = row.cells.get(column)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = row.text(column)
    if not text:
        return None
    try:
        if ISO_DATE.fullmatch(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise row.error(column, _("“%(value)s” không phải là ngày (YYYY-MM-DD).") % {"value": text})


def find_cycle(code: str, parents: dict[str, str]) -> list[str] | None:
    """The loop through `code` that following `parents` makes, if any."""
    path, current = [code], parents.get(code, "")
    while current:
        if current == code:
            return [*path, code]
        if current in path:
            return None  # a loop above `code` that does not pass through it
        path.append(current)
        current = parents.get(current, "")
    return None


WIDTH_MIN, WIDTH_MAX, WIDTH_MARGIN = 8, 60, 2


def column_widths(
    sheet: Any, headers: Iterable[object], longest: Iterable[int | None] = ()
) -> None:
    """Give each column of `sheet` the width of the longer of its header and its longest value
    (in characters, `longest` in the order of `headers`; None for a number), so that names are
    not cut off. Set before the first row: a write-only sheet takes widths only then."""
    values = [value or 0 for value in longest]
    for index, header in enumerate(headers):
        value = values[index] if index < len(values) else 0
        width = min(max(len(str(header)), value, WIDTH_MIN) + WIDTH_MARGIN, WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width


def fit_columns(sheet: Any) -> None:
    """Give each column of a sheet already written (not write-only) the width of its longest
    cell, within the same bounds as `column_widths`."""
    longest: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = max(len(line) for line in str(cell.value).splitlines() or [""])
                longest[cell.column] = max(longest.get(cell.column, 0), length)
    for column, length in longest.items():
        width = min(max(length, WIDTH_MIN) + WIDTH_MARGIN, WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(column)].width = width
