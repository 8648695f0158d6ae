"""Results out as CSV or .xlsx with exactly DOMAIN.md's columns, streamed row by row."""

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import F, QuerySet
from openpyxl import Workbook

from core.documents import spreadsheet_safe

from .models import Result, ScoringRun

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


def csv_lines(run: ScoringRun) -> Iterator[str]:
    """The CSV one line at a time (a header, then a row per enrolled unit)."""
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
