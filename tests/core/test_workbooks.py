"""Uploaded workbooks are refused before reading if they unpack too large or hold too many rows."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from core.workbooks import WorkbookError, open_workbook, read_sheet


def workbook(rows: int) -> io.BytesIO:
    book = Workbook()
    book.active.title = "units"
    book.active.append(["code", "name"])
    for number in range(rows):
        book.active.append([f"U{number}", "Đơn vị"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_workbook_within_the_limits_is_read(settings: object) -> None:
    settings.WORKBOOK_MAX_ROWS = 11  # type: ignore[attr-defined]
    book = open_workbook(workbook(10))
    rows = read_sheet(book["units"], "units", ("code", "name"))
    book.close()
    assert len(rows) == 10


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_reading(
    settings: object,
) -> None:
    buffer = workbook(1)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b"\0" * 2_000_000)  # deflates to a few kilobytes
    buffer.seek(0)
    assert len(buffer.getvalue()) < 100_000
    settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES = 1_000_000  # type: ignore[attr-defined]
    with pytest.raises(WorkbookError, match="giải nén ra .* vượt quá giới hạn"):
        open_workbook(buffer)


def test_a_sheet_that_declares_too_many_rows_is_refused_on_opening(settings: object) -> None:
    settings.WORKBOOK_MAX_ROWS = 5  # type: ignore[attr-defined]
    with pytest.raises(WorkbookError, match="“units”: có hơn 5 dòng"):
        open_workbook(workbook(10))


def test_rows_past_the_limit_are_refused_even_when_the_declared_size_is_wrong(
    settings: object,
) -> None:
    book = open_workbook(workbook(10))
    settings.WORKBOOK_MAX_ROWS = 5  # type: ignore[attr-defined]
    with pytest.raises(WorkbookError, match="có hơn 5 dòng"):
        read_sheet(book["units"], "units", ("code", "name"))
    book.close()


def test_openpyxl_parses_workbooks_through_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
