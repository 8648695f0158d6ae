"""Units in and out of .xlsx: the `units` sheet of DOMAIN.md (code, name, kind, parent_code),
with optional validity dates. Codes are the keys: importing the same file again changes nothing."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Unit, UnitKind
from .text import fold
from .workbooks import (
    KindIndex,
    Row,
    WorkbookError,
    WorkbookFile,
    date_cell,
    find_cycle,
    open_workbook,
    read_sheet,
    text_cell,
)

SHEET = "units"
COLUMNS = ("code", "name", "kind", "parent_code", "valid_from", "valid_to")
OPTIONAL = ("parent_code", "valid_from", "valid_to")
EXPORT_COLUMNS = [*COLUMNS, "successor_code"]


@dataclass(frozen=True)
class UnitLine:
    code: str
    name: str
    kind: str
    parent_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass
class UnitsImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


def units_export(units: QuerySet[Unit], target: str | IO[bytes]) -> None:
    """Write the units (one query, streamed in write-only mode) with their parent and successor."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(EXPORT_COLUMNS)
    rows = units.order_by("code").values_list(
        "code", "name", "kind__code", "parent__code", "valid_from", "valid_to", "successor__code"
    )
    for row in rows.iterator(chunk_size=2000):
        sheet.append(["" if value is None else value for value in row])
    book.save(target)


def _check(rows: Iterable[Row]) -> list[UnitLine]:
    """Every cell of the sheet, the parents and the hierarchy; the first bad cell refuses all."""
    lines: list[UnitLine] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = text_cell(row, "code", 32, required=True)
        if code in seen:
            raise row.error(
                "code", _("mã “%(code)s” đã có ở dòng %(row)s.") % {"code": code, "row": seen[code]}
            )
        seen[code] = row.number
        valid_from, valid_to = date_cell(row, "valid_from"), date_cell(row, "valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            raise row.error("valid_to", _("ngày hết hiệu lực trước ngày bắt đầu hiệu lực."))
        lines.append(
            UnitLine(
                code,
                text_cell(row, "name", 255, required=True),
                text_cell(row, "kind", 120, required=True),
                text_cell(row, "parent_code", 32),
                valid_from,
                valid_to,
            )
        )
    _check_parents(lines, list(rows))
    return lines


def _check_parents(lines: list[UnitLine], rows: list[Row]) -> None:
    in_file = {line.code for line in lines}
    wanted = {line.parent_code for line in lines if line.parent_code} - in_file
    stored = dict(
        Unit.objects.filter(code__in=wanted | in_file).values_list("code", "parent__code")
    )
    parents = {code: parent or "" for code, parent in stored.items()}
    parents.update({line.code: line.parent_code for line in lines})
    for line, row in zip(lines, rows, strict=True):
        if line.parent_code and line.parent_code not in in_file and line.parent_code not in stored:
            raise row.error(
                "parent_code", _("không có đơn vị mã “%(code)s”.") % {"code": line.parent_code}
            )
        loop = find_cycle(line.code, parents)
        if loop:
            raise row.error(
                "parent_code", _("tạo vòng lặp: %(path)s.") % {"path": " → ".join(loop)}
            )


def read_units(workbook_file: WorkbookFile) -> list[UnitLine]:
    book = open_workbook(workbook_file)
    try:
        sheets = {title.strip().lower(): title for title in book.sheetnames}
        if SHEET not in sheets:
            raise WorkbookError(_("thiếu trang tính bắt buộc này."), sheet=SHEET)
        return _check(read_sheet(book[sheets[SHEET]], SHEET, COLUMNS, OPTIONAL))
    finally:
        book.close()


@transaction.atomic
def units_import(*, workbook_file: WorkbookFile) -> UnitsImportSummary:
    """Create or update the units of the `units` sheet; all or nothing."""
    lines = read_units(workbook_file)
    summary = UnitsImportSummary()
    kinds = KindIndex()
    units = {u.code: u for u in Unit.objects.filter(code__in=[line.code for line in lines])}
    created: set[str] = set()
    changed: set[str] = set()
    for line in lines:
        kind = kinds.find_or_create(line.kind, summary.kinds)
        outcome = _upsert(line, units, kind)
        if outcome == "created":
            created.add(line.code)
        elif outcome == "updated":
            changed.add(line.code)
    parents = {
        u.code: u
        for u in Unit.objects.filter(
            code__in={line.parent_code for line in lines if line.parent_code}
        )
    }
    for line in lines:
        unit = units[line.code]
        parent_id = (
            (units.get(line.parent_code) or parents[line.parent_code]).pk
            if line.parent_code
            else None
        )
        if unit.parent_id != parent_id:
            Unit.objects.filter(pk=unit.pk).update(parent_id=parent_id)
            if line.code not in created:
                changed.add(line.code)
    summary.created, summary.updated = len(created), len(changed)
    summary.unchanged = len(lines) - len(created) - len(changed)
    return summary


def _upsert(line: UnitLine, units: dict[str, Unit], kind: UnitKind) -> str:
    """Create the unit or bring its own fields up to date; says which it did."""
    unit = units.get(line.code)
    values = {
        "name": line.name,
        "kind": kind,
        "valid_from": line.valid_from,
        "valid_to": line.valid_to,
    }
    if unit is None:
        units[line.code] = Unit.objects.create(
            code=line.code, search_name=fold(line.name), **values
        )
        return "created"
    if all(getattr(unit, name) == value for name, value in values.items()):
        return "unchanged"
    for name, value in values.items():
        setattr(unit, name, value)
    unit.save()
    return "updated"
