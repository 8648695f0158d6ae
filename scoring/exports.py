"""Results out as files. The CSV and the command's .xlsx keep exactly DOMAIN.md's exchange columns
(for other systems); the .xlsx a manager downloads is for people: Vietnamese headers and values,
with the exchange columns on a second sheet. Rows are streamed, so memory stays flat."""

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.documents import spreadsheet_safe

from .models import Classification, Result, ScoringRun

COLUMNS = [
    "unit_code",
    "unit_name",
    "block_code",
    "self_score",
    "final_score",
    "rank",
    "block_rank",
    "classification",
    "exemplary",
    "critical_shortfall",
]


def export_rows(run: ScoringRun) -> QuerySet[Result]:
    return run.results.order_by(F("rank").asc(nulls_last=True), "unit_code").values_list(*COLUMNS)


def cell(value: object) -> object:
    """Two decimals for scores, true/false for flags, empty where there is no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    return spreadsheet_safe(value)


def csv_lines(run: ScoringRun, *, bom: bool = False) -> Iterator[str]:
    """The CSV one line at a time (a header, then a row per enrolled unit). With `bom`, it starts
    with a UTF-8 byte order mark so that Excel reads the Vietnamese names right."""
    if bom:
        yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in export_rows(run).iterator(chunk_size=2000):
        writer.writerow([cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def xlsx_write(run: ScoringRun, target: object) -> None:
    """Write the workbook in openpyxl's write-only mode (memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    sheet.append(COLUMNS)
    for row in export_rows(run).iterator(chunk_size=2000):
        sheet.append([cell(value) for value in row])
    workbook.save(target)


def people_headers() -> list[str]:
    return [
        _("Hạng"),
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Khối thi đua"),
        _("Hạng trong khối"),
        _("Điểm tự chấm"),
        _("Điểm cuối cùng"),
        _("Xếp loại"),
        _("Dẫn đầu cụm/khối"),
        _("Vi phạm tiêu chí bắt buộc"),
    ]


def yes_no(flag: bool) -> str:
    return _("Có") if flag else _("Không")


PEOPLE_COLUMNS = [
    "rank",
    "unit_code",
    "unit_name",
    "block__name",
    "block_rank",
    "self_score",
    "final_score",
    "classification",
    "exemplary",
    "critical_shortfall",
]


def people_rows(run: ScoringRun) -> Iterator[list[object]]:
    """Each result as people read it; scores stay numbers (the sheet formats them)."""
    bands = dict(Classification.choices)
    results = (
        run.results.order_by(F("rank").asc(nulls_last=True), "unit_code")
        .values_list(*PEOPLE_COLUMNS)
        .iterator(chunk_size=2000)
    )
    for rank, code, name, block, block_rank, own, final, band, exemplary, shortfall in results:
        yield [
            rank,
            spreadsheet_safe(code),
            spreadsheet_safe(name),
            spreadsheet_safe(block or ""),
            block_rank,
            own,
            final,
            str(bands.get(band, band)),
            yes_no(exemplary),
            yes_no(shortfall),
        ]


def decimal_cell(sheet: Any, value: Any) -> object:
    """A score with two decimals shown; any other value as it is (a plain value is faster)."""
    if not isinstance(value, Decimal):
        return value
    cell_ = WriteOnlyCell(sheet, value=value)
    cell_.number_format = "0.00"
    return cell_


def xlsx_people_write(run: ScoringRun, target: object) -> None:
    """The download for people: a "Kết quả" sheet in Vietnamese, then the exchange sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Kết quả"))
    sheet.append(people_headers())
    for row in people_rows(run):
        sheet.append([decimal_cell(sheet, value) for value in row])
    exchange = workbook.create_sheet("results")
    exchange.append(COLUMNS)
    for row in export_rows(run).iterator(chunk_size=2000):
        exchange.append([cell(value) for value in row])
    workbook.save(target)
