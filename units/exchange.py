"""Units in and out of .xlsx: the `units` sheet (docs/domain.md: code, name, kind, parent_code)
with optional validity dates. Reading checks every cell; `units.services.units_import` writes."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.workbooks import (
    Row,
    WorkbookError,
    WorkbookFile,
    column_widths,
    date_cell,
    find_cycle,
    open_workbook,
    read_sheet,
    text_cell,
)

from .kinds import kind_code
from .models import Unit
from .rules import managed_unit_ids

SHEET = "units"
COLUMNS = ("code", "name", "kind", "parent_code", "valid_from", "valid_to")
DATE_COLUMNS = ("valid_from", "valid_to")
EXPORT_COLUMNS = [*COLUMNS, "successor_code"]


@dataclass(frozen=True)
class UnitLine:
    """One row of the sheet. A date column the sheet lacks is `None` and left as stored."""

    row: Row
    code: str
    name: str
    kind: str
    parent_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(frozen=True)
class UnitsSheet:
    lines: list[UnitLine]
    date_columns: frozenset[str]  # the optional date columns the sheet has


def units_export(units: QuerySet[Unit], target: str | IO[bytes]) -> None:
    """Write `units` ordered by code with their kind, parent and successor codes.

    One query, read in chunks, written in write-only mode: 10,000 units stay cheap."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    # no query for the widths (the export stays at its few queries): codes are short, a name
    # gets the widest column
    column_widths(sheet, EXPORT_COLUMNS, [16, 60, None, 16, None, None, 16])
    sheet.append(EXPORT_COLUMNS)
    rows = units.order_by("code").values_list(
        "code", "name", "kind__code", "parent__code", "valid_from", "valid_to", "successor__code"
    )
    for row in rows.iterator(chunk_size=2000):
        sheet.append(list(row))
    book.save(target)


def read_units(workbook_file: WorkbookFile) -> UnitsSheet:
    """The `units` sheet, every cell checked; the first bad cell refuses the whole file."""
    book = open_workbook(workbook_file)
    try:
        titles = {title.strip().lower(): title for title in book.sheetnames}
        if SHEET not in titles:
            raise WorkbookError(_("thiếu trang tính bắt buộc này."), sheet=SHEET)
        rows = read_sheet(book[titles[SHEET]], SHEET, COLUMNS, optional=DATE_COLUMNS)
    finally:
        book.close()
    if not rows:  # nothing to import is a mistake (a formula without a value reads as empty)
        raise WorkbookError(_("không có dòng dữ liệu nào (dòng 1 là tên cột)."), sheet=SHEET)
    present = frozenset(rows[0].cells) & set(DATE_COLUMNS) if rows else frozenset()
    return UnitsSheet(_lines(rows), present)


def _lines(rows: Iterable[Row]) -> list[UnitLine]:
    lines: list[UnitLine] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = text_cell(row, "code", 32, required=True)
        if code in seen:
            reason = _("mã “%(code)s” đã có ở dòng %(row)s.") % {"code": code, "row": seen[code]}
            raise row.error("code", reason)
        seen[code] = row.number
        name = text_cell(row, "name", 255, required=True)
        kind = text_cell(row, "kind", 120, required=True)
        if not kind_code(kind):
            raise row.error("kind", _("“%(kind)s” không phải là tên loại đơn vị.") % {"kind": kind})
        valid_from, valid_to = date_cell(row, "valid_from"), date_cell(row, "valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            raise row.error("valid_to", _("ngày hết hiệu lực trước ngày bắt đầu hiệu lực."))
        parent_code = text_cell(row, "parent_code", 32)
        lines.append(UnitLine(row, code, name, kind, parent_code, valid_from, valid_to))
    return lines


def check_hierarchy(lines: list[UnitLine]) -> None:
    """Refuse a parent that is neither in the file nor stored, and any loop the file would make,
    including one through stored units. Reads every stored unit's parent code in one query."""
    parents = {
        code: parent or "" for code, parent in Unit.objects.values_list("code", "parent__code")
    }
    parents.update({line.code: line.parent_code for line in lines})  # every known code
    for line in lines:
        if line.parent_code and line.parent_code not in parents:
            reason = _("không có đơn vị mã “%(code)s”.") % {"code": line.parent_code}
            raise line.row.error("parent_code", reason)
        loop = find_cycle(line.code, parents)
        if loop:
            reason = _("tạo vòng lặp: %(path)s.") % {"path": " → ".join(loop)}
            raise line.row.error("parent_code", reason)


def check_authority(lines: list[UnitLine], actor: User) -> None:
    """Refuse any row that reaches outside the subtrees `actor` manages: a stored unit outside
    them, or a new or changed parent outside them (a unit without a parent is a superuser's).
    Unchanged parents pass, so a manager may re-import the row of their own authority unit."""
    if actor.is_superuser:
        return
    codes = {line.code for line in lines} | {line.parent_code for line in lines}
    stored = {
        code: (pk, parent or "")
        for code, pk, parent in Unit.objects.filter(code__in=codes).values_list(
            "code", "pk", "parent__code"
        )
    }
    allowed = managed_unit_ids(actor, [pk for pk, _parent in stored.values()])
    inside = {code for code, (pk, _parent) in stored.items() if pk in allowed}
    for line in lines:
        if line.code in stored and line.code not in inside:
            reason = _("đơn vị “%(code)s” nằm ngoài phạm vi bạn phụ trách.")
            raise line.row.error("code", reason % {"code": line.code})
        if line.code in stored and stored[line.code][1] == line.parent_code:
            continue
        if not line.parent_code:
            reason = _("chỉ quản trị hệ thống được đặt đơn vị không có cấp trên.")
            raise line.row.error("parent_code", reason)
        if line.parent_code in stored and line.parent_code not in inside:
            reason = _("đơn vị cấp trên “%(code)s” nằm ngoài phạm vi bạn phụ trách.")
            raise line.row.error("parent_code", reason % {"code": line.parent_code})
