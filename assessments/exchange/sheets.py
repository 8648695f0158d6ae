"""What every sheet module shares: the workbook's columns, reading it, checking cells, and what
the database already holds about the codes and names the file uses."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from campaigns.models import SCORED_KINDS, Criterion
from campaigns.services import CriterionSpec
from core.workbooks import (
    Row,
    WorkbookError,
    WorkbookFile,
    date_cell,
    open_workbook,
    read_sheet,
    text_cell,
)
from units.models import Membership, Unit
from units.people_sheet import COLUMNS as PEOPLE_COLUMNS

from ..scores import check_score, parse_score
from .extra import extra_columns, extra_sheets

# Each sheet's columns, in the order they are checked; row 1 of the sheet holds these names.
COLUMNS: dict[str, tuple[str, ...]] = {
    "campaign": (
        "code",
        "title",
        "starts_on",
        "ends_on",
        "window_opens_on",
        "window_closes_on",
    ),
    "units": ("code", "name", "kind", "parent_code"),
    "blocks": ("code", "name", "unit_code"),
    "criteria": (
        "code",
        "parent_code",
        "title",
        "kind",
        "max_points",
        "critical",
        "evidence_required",
    ),
    "self_scores": ("unit_code", "criterion_code", "score", "note", "submitted_on"),
    "review_scores": ("reviewer", "unit_code", "criterion_code", "score", "comment"),
    "people": PEOPLE_COLUMNS,
    "council": ("username", "role"),
}
# What a reader calls each sheet and column, shown beside its code on the import page; a
# "sheet.column" entry where the same code means something else in that sheet.
SHEET_LABELS = {
    "campaign": _lazy("Phong trào"),
    "units": _lazy("Đơn vị"),
    "blocks": _lazy("Khối thi đua"),
    "criteria": _lazy("Bộ tiêu chí"),
    "self_scores": _lazy("Điểm tự chấm"),
    "review_scores": _lazy("Điểm thẩm định"),
    "people": _lazy("Người dùng"),
    "council": _lazy("Hội đồng"),
}
COLUMN_LABELS = {
    "code": _lazy("Mã"),
    "name": _lazy("Tên"),
    "title": _lazy("Tên"),
    "campaign.title": _lazy("Tên phong trào"),
    "criteria.title": _lazy("Nội dung tiêu chí"),
    "starts_on": _lazy("Ngày bắt đầu"),
    "ends_on": _lazy("Ngày kết thúc"),
    "window_opens_on": _lazy("Mở tự chấm điểm từ"),
    "window_closes_on": _lazy("Hạn tự chấm điểm"),
    "kind": _lazy("Loại đơn vị"),
    "criteria.kind": _lazy("Cách chấm"),
    "parent_code": _lazy("Mã cấp trên"),
    "unit_code": _lazy("Mã đơn vị"),
    "max_points": _lazy("Điểm tối đa"),
    "critical": _lazy("Bắt buộc đạt"),
    "evidence_required": _lazy("Bắt buộc minh chứng"),
    "criterion_code": _lazy("Mã tiêu chí"),
    "score": _lazy("Điểm"),
    "note": _lazy("Giải trình"),
    "submitted_on": _lazy("Ngày nộp"),
    "reviewer": _lazy("Người thẩm định"),
    "comment": _lazy("Nhận xét"),
    "username": _lazy("Tên đăng nhập"),
    "full_name": _lazy("Họ và tên"),
    "email": _lazy("Thư điện tử"),
    "role": _lazy("Vai trò"),
    "council.role": _lazy("Chức danh"),
}


@dataclass(frozen=True)
class SheetColumns:
    code: str
    label: str
    columns: list[tuple[str, str]]  # (code, what a reader calls it)


def sheet_columns() -> dict[str, SheetColumns]:
    """Every sheet with its columns, each code beside its Vietnamese name (the import page);
    the added sheets (`extra.extra_sheets`) last, with their own names."""
    sheets = {
        sheet: SheetColumns(
            sheet,
            str(SHEET_LABELS[sheet]),
            [
                (name, str(COLUMN_LABELS.get(f"{sheet}.{name}", COLUMN_LABELS[name])))
                for name in names
            ],
        )
        for sheet, names in COLUMNS.items()
    }
    for module in extra_sheets():
        labels = module.COLUMN_LABELS
        sheets[module.SHEET] = SheetColumns(
            module.SHEET,
            str(module.LABEL),
            [(name, str(labels.get(name, name))) for name in module.COLUMNS],
        )
    return sheets


def all_columns() -> dict[str, tuple[str, ...]]:
    """The workbook's sheets and their columns, the added sheets included."""
    return {**COLUMNS, **extra_columns()}


# Columns a sheet may leave out: every cell of a missing one reads as blank.
OPTIONAL_COLUMNS = frozenset(
    {
        ("units", "parent_code"),
        ("criteria", "parent_code"),
        ("criteria", "critical"),
        ("criteria", "evidence_required"),
        ("self_scores", "note"),
        ("self_scores", "submitted_on"),
        ("review_scores", "comment"),
    }
)


def read_workbook(workbook_file: WorkbookFile) -> dict[str, list[Row]]:
    """Every sheet's data rows; refuses an unknown sheet, a missing column or a missing campaign."""
    book = open_workbook(workbook_file)
    try:
        names = {title: title.strip().lower() for title in book.sheetnames}
        known = all_columns()
        for title, name in names.items():
            if name not in known:
                raise WorkbookError(
                    _("không phải tên trang tính được nhận (chỉ nhận: %(names)s).")
                    % {"names": ", ".join(known)},
                    sheet=title,
                )
        if "campaign" not in names.values():
            raise WorkbookError(_("thiếu trang tính bắt buộc này."), sheet="campaign")
        return {name: read_rows(book[title], name) for title, name in names.items()}
    finally:
        book.close()


def read_rows(sheet: Any, name: str) -> list[Row]:
    added = {module.SHEET: module for module in extra_sheets()}
    if name in added:
        return read_sheet(sheet, name, tuple(added[name].COLUMNS), added[name].OPTIONAL)
    optional = {column for sheet_name, column in OPTIONAL_COLUMNS if sheet_name == name}
    return read_sheet(sheet, name, COLUMNS[name], optional)


# Cells -------------------------------------------------------------------------------------------


def number(row: Row, column: str) -> Decimal | None:
    try:
        return parse_score(row.cells.get(column))
    except ValidationError as error:
        raise row.error(column, error.messages[0]) from None


def required_date(row: Row, column: str) -> datetime.date:
    value = date_cell(row, column)
    if value is None:
        raise row.error(column, _("không được để trống."))
    return value


def flag(row: Row, column: str) -> bool:
    value = row.cells.get(column)
    if isinstance(value, bool):
        return value
    cell = row.text(column)
    if cell in ("", "0"):
        return False
    if cell == "1":
        return True
    raise row.error(column, _("“%(value)s” phải là 0 hoặc 1.") % {"value": cell})


def duplicate(row: Row, column: str, value: str, seen: dict[str, int]) -> None:
    """Refuse the second row with the same key (a code, or codes joined by " / ")."""
    if value in seen:
        raise row.error(
            column,
            _("“%(key)s” bị lặp (đã có ở dòng %(row)s).") % {"key": value, "row": seen[value]},
        )
    seen[value] = row.number


def known_unit(row: Row, column: str, unit_codes: set[str]) -> str:
    code = text_cell(row, column, 32, required=True)
    if code not in unit_codes:
        raise row.error(
            column,
            _("đơn vị “%(code)s” không có trong trang units hay trong cơ sở dữ liệu.")
            % {"code": code},
        )
    return code


# What the database holds -------------------------------------------------------------------------


@dataclass
class Known:
    """What the database already holds about the codes and names the file uses (few queries)."""

    units: dict[str, Unit]
    unit_parents: dict[str, str]
    users: dict[str, User]
    memberships: set[tuple[str, str]]

    @classmethod
    def load(cls, sheets: dict[str, list[Row]], authorities: set[str]) -> "Known":
        """The units the file (or the authority) names, their ancestors, the reviewers and the
        council's accounts."""
        columns = {"units": ("code", "parent_code"), "blocks": ("unit_code",)}
        columns |= {"self_scores": ("unit_code",), "review_scores": ("unit_code",)}
        columns |= {"people": ("unit_code",)}
        codes = set(authorities)
        for sheet, names in columns.items():
            codes |= {row.text(name) for row in sheets.get(sheet, []) for name in names}
        units = {
            u.code: u for u in Unit.objects.filter(code__in=codes - {""}).select_related("kind")
        }
        usernames = {row.text("reviewer") for row in sheets.get("review_scores", [])}
        usernames |= {row.text("username") for row in sheets.get("council", [])}
        return cls(
            units=units,
            unit_parents=_unit_parents(units.values()),
            users={u.username: u for u in User.objects.filter(username__in=usernames)},
            memberships=set(
                Membership.objects.filter(user__username__in=usernames).values_list(
                    "user__username", "unit__code"
                )
            ),
        )


def _unit_parents(units: Iterable[Unit]) -> dict[str, str]:
    """Child code -> parent code for the given units and all their ancestors (two queries)."""
    paths = Unit.objects.with_tree_fields().filter(pk__in=[u.pk for u in units])
    ancestor_ids = {pk for path in paths.values_list("tree_path", flat=True) for pk in path}
    pairs = Unit.objects.filter(pk__in=ancestor_ids).values_list("code", "parent__code")
    return {code: parent or "" for code, parent in pairs}


# Scores ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRules:
    """What a score is checked against: the checklist in force and the campaign's step."""

    criteria: dict[str, CriterionSpec]
    sections: frozenset[str]
    step: Decimal

    @classmethod
    def of(cls, criteria: list[CriterionSpec], step: Decimal) -> "ScoreRules":
        sections = frozenset(c.parent_code for c in criteria) - {""}
        return cls({c.code: c for c in criteria}, sections, step)

    def leaves_to_score(self) -> list[str]:
        return [
            code
            for code, criterion in self.criteria.items()
            if code not in self.sections and criterion.kind in SCORED_KINDS
        ]

    def criterion(self, row: Row, column: str) -> CriterionSpec:
        code = text_cell(row, column, 32, required=True)
        if code not in self.criteria:
            raise row.error(
                column, _("tiêu chí “%(code)s” không có trong bộ tiêu chí.") % {"code": code}
            )
        return self.criteria[code]

    def check(self, row: Row, criterion: CriterionSpec, value: Decimal) -> None:
        model = Criterion(code=criterion.code, kind=criterion.kind, max_points=criterion.max_points)
        try:
            check_score(
                criterion=model,
                value=value,
                step=self.step,
                is_section=criterion.code in self.sections,
            )
        except ValidationError as error:
            raise row.error("score", error.messages[0]) from None
