"""Create or update a whole campaign from one .xlsx workbook (DOMAIN.md, "Data exchange").

All or nothing: the workbook is read and checked whole before anything is written. The first bad
cell (sheets in the order of `COLUMNS`, then rows, then columns) rejects the file with a
`WorkbookError` that names the sheet, the Excel row number, the column and the reason. Codes are
the keys, so importing the same file again changes nothing: rows are written, and history events
recorded, only where a value actually changes.
"""

import datetime
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Font

from campaigns.models import (
    Campaign,
    CampaignStatus,
    Checklist,
    CouncilSeat,
    Criterion,
    CriterionKind,
    Enrolment,
    FrozenChecklistError,
)
from campaigns.services import (
    campaign_enrol,
    campaign_event_record,
    campaign_launch,
    campaign_update,
    checklist_leaves,
    require_manager,
)
from core.workbooks import (
    Row,
    WorkbookError,
    WorkbookFile,
    open_workbook,
    read_sheet,
)
from core.workbooks import date_cell as _date
from core.workbooks import find_cycle as _cycle
from core.workbooks import text_cell as _text
from units.kinds import KindIndex
from units.kinds import kind_code as _kind_code
from units.models import Block, BlockMember, Membership, Unit
from units.roles import Role, role_group
from units.services import block_create, block_set_members, unit_create, unit_update

from .models import Assessment, AssessmentEvent, AssessmentItem, AssessmentStatus, ReviewItem
from .scores import check_score, parse_score

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
}
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
SCORED_KINDS = (CriterionKind.POINTS, CriterionKind.YES_NO)
MAX_POINTS_LIMIT = Decimal("9999.99")  # Criterion.max_points: 6 digits, 2 decimals
SUBMISSION_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class ImportSummary:
    """What an import did: rows created, updated and deleted per kind, and the campaign's totals."""

    campaign: Campaign
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    units: int = 0
    criteria: int = 0
    assessments: int = 0
    review_scores: int = 0

    @property
    def changed(self) -> bool:
        return any((self.created, self.updated, self.deleted))


# Reading -----------------------------------------------------------------------------------------


def read_workbook(workbook_file: WorkbookFile) -> dict[str, list[Row]]:
    """Every sheet's data rows; refuses an unknown sheet, a missing column or a missing campaign."""
    book = open_workbook(workbook_file)
    try:
        names = {title: title.strip().lower() for title in book.sheetnames}
        for title, name in names.items():
            if name not in COLUMNS:
                raise WorkbookError(
                    _("không phải tên trang tính được nhận (chỉ nhận: %(names)s).")
                    % {"names": ", ".join(COLUMNS)},
                    sheet=title,
                )
        if "campaign" not in names.values():
            raise WorkbookError(_("thiếu trang tính bắt buộc này."), sheet="campaign")
        return {name: _read_sheet(book[title], name) for title, name in names.items()}
    finally:
        book.close()


def _read_sheet(sheet: Any, name: str) -> list[Row]:
    optional = {column for sheet_name, column in OPTIONAL_COLUMNS if sheet_name == name}
    return read_sheet(sheet, name, COLUMNS[name], optional)


# Cells -------------------------------------------------------------------------------------------


def _number(row: Row, column: str) -> Decimal | None:
    try:
        return parse_score(row.cells.get(column))
    except ValidationError as error:
        raise row.error(column, error.messages[0]) from None


def _required_date(row: Row, column: str) -> datetime.date:
    value = _date(row, column)
    if value is None:
        raise row.error(column, _("không được để trống."))
    return value


def _flag(row: Row, column: str) -> bool:
    value = row.cells.get(column)
    if isinstance(value, bool):
        return value
    text = row.text(column)
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise row.error(column, _("“%(value)s” phải là 0 hoặc 1.") % {"value": text})


def _duplicate(row: Row, column: str, value: str, seen: dict[str, int]) -> None:
    """Refuse the second row with the same key (a code, or codes joined by " / ")."""
    if value in seen:
        raise row.error(
            column,
            _("“%(key)s” bị lặp (đã có ở dòng %(row)s).") % {"key": value, "row": seen[value]},
        )
    seen[value] = row.number


def _depth(code: str, parents: dict[str, str]) -> int:
    depth, current = 0, parents.get(code, "")
    while current:
        depth, current = depth + 1, parents.get(current, "")
    return depth


# Checked rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    code: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    window_opens_on: datetime.date
    window_closes_on: datetime.date

    def fields(self) -> dict[str, object]:
        return {
            "title": self.title,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "window_opens_on": self.window_opens_on,
            "window_closes_on": self.window_closes_on,
        }


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    kind: str
    parent_code: str


@dataclass(frozen=True)
class BlockRow:
    code: str
    name: str
    unit_code: str


@dataclass(frozen=True)
class CriterionRow:
    """A criterion as the file (or, with no `criteria` sheet, the stored checklist) gives it."""

    code: str
    parent_code: str
    title: str
    kind: str
    max_points: Decimal
    critical: bool
    evidence_required: bool

    def values(self) -> dict[str, object]:
        return {
            "title": self.title,
            "kind": self.kind,
            "max_points": self.max_points,
            "critical": self.critical,
            "evidence_required": self.evidence_required,
        }


@dataclass(frozen=True)
class SelfScoreRow:
    unit_code: str
    criterion_code: str
    score: Decimal | None
    note: str
    submitted_on: datetime.date | None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ReviewRow:
    reviewer: str
    unit_code: str
    criterion_code: str
    score: Decimal
    comment: str
    line: int = field(default=0, compare=False)


@dataclass
class Plan:
    """Everything the workbook says, checked; `criteria` is None when the sheet is absent."""

    campaign: CampaignRow
    existing: Campaign | None
    authority_code: str | None
    units: list[UnitRow]
    blocks: list[BlockRow]
    criteria: list[CriterionRow] | None
    checklist: dict[str, CriterionRow]
    self_scores: list[SelfScoreRow]
    reviews: list[ReviewRow]

    def enrolled_codes(self) -> list[str]:
        """Every unit the file names, in the order it first names them."""
        codes = [row.code for row in self.units]
        codes += [row.unit_code for row in self.blocks]
        codes += [row.unit_code for row in self.self_scores]
        codes += [row.unit_code for row in self.reviews]
        return list(dict.fromkeys(codes))


@dataclass
class Known:
    """What the database already holds about the codes and names the file uses (few queries)."""

    units: dict[str, Unit]
    unit_parents: dict[str, str]
    users: dict[str, User]
    memberships: set[tuple[str, str]]


# Checking: the campaign sheet -------------------------------------------------------------------


def _check_campaign(rows: list[Row]) -> CampaignRow:
    if len(rows) != 1:
        number = rows[1].number if len(rows) > 1 else 2
        raise WorkbookError(_("phải có đúng một dòng dữ liệu."), sheet="campaign", row=number)
    row = rows[0]
    code = _text(row, "code", 40, required=True)
    if "/" in code or code != "".join(code.split()):
        raise row.error("code", _("mã không được chứa dấu cách hay dấu “/”."))
    checked = CampaignRow(
        code=code,
        title=_text(row, "title", 300, required=True),
        starts_on=_required_date(row, "starts_on"),
        ends_on=_required_date(row, "ends_on"),
        window_opens_on=_required_date(row, "window_opens_on"),
        window_closes_on=_required_date(row, "window_closes_on"),
    )
    if checked.ends_on < checked.starts_on:
        raise row.error("ends_on", _("ngày kết thúc trước ngày bắt đầu."))
    if checked.window_closes_on < checked.window_opens_on:
        raise row.error("window_closes_on", _("hạn tự chấm điểm trước ngày mở tự chấm điểm."))
    return checked


def _check_launched_dates(row: CampaignRow, existing: Campaign) -> None:
    """After launch the start and the window's opening are fixed (as in campaign_update)."""
    if existing.status == CampaignStatus.DRAFT:
        return
    for column in ("starts_on", "window_opens_on"):
        if getattr(existing, column) != getattr(row, column):
            raise WorkbookError(
                _("Phong trào đã phát động: không thể thay đổi nội dung này."),
                sheet="campaign",
                row=2,
                column=column,
            )


# Checking: units and blocks ----------------------------------------------------------------------


def _check_units(rows: list[Row], known: Known) -> list[UnitRow]:
    """Units, sorted so that a parent comes before its children."""
    in_sheet = {row.text("code") for row in rows}
    parents = {**known.unit_parents}
    for row in reversed(rows):  # the first row of a code wins, as it is the one kept
        parents[row.text("code")] = row.text("parent_code")
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        code = _text(row, "code", 32, required=True)
        _duplicate(row, "code", code, seen)
        name = _text(row, "name", 255, required=True)
        kind = _text(row, "kind", 120, required=True)
        if not _kind_code(kind):
            raise row.error("kind", _("loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": kind})
        parent_code = _text(row, "parent_code", 32)
        _check_unit_parent(row, code, parent_code, in_sheet, known, parents)
        checked.append(UnitRow(code, name, kind, parent_code))
    return sorted(checked, key=lambda unit: _depth(unit.code, parents))


def _check_unit_parent(
    row: Row,
    code: str,
    parent_code: str,
    in_sheet: set[str],
    known: Known,
    parents: dict[str, str],
) -> None:
    if not parent_code:
        return
    if parent_code not in in_sheet and parent_code not in known.units:
        raise row.error(
            "parent_code",
            _("đơn vị cấp trên “%(code)s” không có trong trang units hay trong cơ sở dữ liệu.")
            % {"code": parent_code},
        )
    loop = _cycle(code, parents)
    if loop:
        raise row.error(
            "parent_code",
            _("cây đơn vị bị vòng lặp: %(path)s.") % {"path": " → ".join(loop)},
        )


def _check_blocks(rows: list[Row], unit_codes: set[str]) -> list[BlockRow]:
    names: dict[str, tuple[str, int]] = {}
    member_of: dict[str, tuple[str, int]] = {}
    checked = []
    for row in rows:
        code = _text(row, "code", 32, required=True)
        name = _text(row, "name", 255, required=True)
        first_name, first_row = names.setdefault(code, (name, row.number))
        if name != first_name:
            raise row.error(
                "name",
                _("khối “%(code)s” đã có tên “%(name)s” ở dòng %(row)s.")
                % {"code": code, "name": first_name, "row": first_row},
            )
        unit_code = _known_unit(row, "unit_code", unit_codes)
        block, block_row = member_of.setdefault(unit_code, (code, row.number))
        if block_row != row.number:
            raise row.error(
                "unit_code",
                _(
                    "đơn vị “%(unit)s” đã thuộc khối “%(block)s” ở dòng %(row)s; mỗi đơn vị chỉ "
                    "thuộc một khối trong phong trào."
                )
                % {"unit": unit_code, "block": block, "row": block_row},
            )
        checked.append(BlockRow(code, name, unit_code))
    return checked


def _known_unit(row: Row, column: str, unit_codes: set[str]) -> str:
    code = _text(row, column, 32, required=True)
    if code not in unit_codes:
        raise row.error(
            column,
            _("đơn vị “%(code)s” không có trong trang units hay trong cơ sở dữ liệu.")
            % {"code": code},
        )
    return code


# Checking: criteria ------------------------------------------------------------------------------


def _check_criteria(
    rows: list[Row], stored: list[CriterionRow], frozen: bool
) -> list[CriterionRow]:
    in_sheet = {row.text("code") for row in rows}
    sections = {row.text("parent_code") for row in rows} - {""}
    parents: dict[str, str] = {}
    for row in reversed(rows):
        parents[row.text("code")] = row.text("parent_code")
    seen: dict[str, int] = {}
    checked = []
    for position, row in enumerate(rows):
        criterion = _check_criterion(row, in_sheet, sections, parents, seen)
        if frozen:
            _compare_frozen(row, criterion, stored[position] if position < len(stored) else None)
        checked.append(criterion)
    if frozen and len(stored) > len(rows):
        raise WorkbookError(
            FrozenChecklistError().messages[0],
            sheet="criteria",
            row=(rows[-1].number if rows else 1) + 1,
            column="code",
        )
    return checked


def _check_criterion(
    row: Row,
    in_sheet: set[str],
    sections: set[str],
    parents: dict[str, str],
    seen: dict[str, int],
) -> CriterionRow:
    code = _text(row, "code", 32, required=True)
    _duplicate(row, "code", code, seen)
    parent_code = _text(row, "parent_code", 32)
    if parent_code and parent_code not in in_sheet:
        raise row.error(
            "parent_code",
            _("mục cha “%(code)s” không có trong trang criteria.") % {"code": parent_code},
        )
    loop = _cycle(code, parents) if parent_code else None
    if loop:
        raise row.error(
            "parent_code", _("bộ tiêu chí bị vòng lặp: %(path)s.") % {"path": " → ".join(loop)}
        )
    title = _text(row, "title", 500, required=True)
    kind = _criterion_kind(row, is_section=code in sections)
    max_points = _max_points(row, kind, is_section=code in sections)
    critical = _flag(row, "critical")
    evidence_required = _flag(row, "evidence_required")
    return CriterionRow(code, parent_code, title, kind, max_points, critical, evidence_required)


def _criterion_kind(row: Row, *, is_section: bool) -> str:
    kind = row.text("kind").lower()
    if not kind and is_section:
        return CriterionKind.POINTS
    if not kind:
        raise row.error(
            "kind",
            _("phải ghi loại tiêu chí (%(kinds)s); chỉ mục có tiêu chí con được để trống.")
            % {"kinds": ", ".join(CriterionKind.values)},
        )
    if kind not in CriterionKind.values:
        raise row.error(
            "kind",
            _("loại tiêu chí “%(kind)s” không hợp lệ (chỉ nhận %(kinds)s).")
            % {"kind": row.text("kind"), "kinds": ", ".join(CriterionKind.values)},
        )
    return kind


def _max_points(row: Row, kind: str, *, is_section: bool) -> Decimal:
    value = _number(row, "max_points")
    if value is None:
        if is_section:
            return Decimal(0)
        raise row.error("max_points", _("không được để trống."))
    if value < 0 or value > MAX_POINTS_LIMIT or value != round(value, 2):
        raise row.error(
            "max_points",
            _("điểm tối đa phải từ 0 đến %(limit)s, tối đa hai chữ số thập phân.")
            % {"limit": MAX_POINTS_LIMIT},
        )
    if kind == CriterionKind.YES_NO and value == 0 and not is_section:
        raise row.error("max_points", _("tiêu chí đạt/không đạt phải có điểm tối đa lớn hơn 0."))
    return value


def _compare_frozen(row: Row, criterion: CriterionRow, stored: CriterionRow | None) -> None:
    """A frozen checklist may only be imported unchanged: same criteria, same order."""
    if stored is None or stored.code != criterion.code:
        raise row.error("code", FrozenChecklistError().messages[0])
    for column in COLUMNS["criteria"]:
        if getattr(stored, column) != getattr(criterion, column):
            raise row.error(column, FrozenChecklistError().messages[0])


def _stored_criteria(campaign: Campaign | None) -> list[CriterionRow]:
    if campaign is None or campaign.checklist_id is None:
        return []
    criteria = list(Criterion.objects.filter(checklist_id=campaign.checklist_id))
    codes = {c.pk: c.code for c in criteria}
    return [
        CriterionRow(
            c.code,
            codes.get(c.parent_id or 0, ""),
            c.title,
            c.kind,
            c.max_points,
            c.critical,
            c.evidence_required,
        )
        for c in criteria
    ]


def _check_removals(campaign: Campaign | None, rows: list[Row], kept: set[str]) -> None:
    """A criterion that already carries scores cannot be left out of a new checklist."""
    if campaign is None or campaign.checklist_id is None:
        return
    gone = Criterion.objects.filter(checklist_id=campaign.checklist_id).exclude(code__in=kept)
    items = AssessmentItem.objects.filter(criterion__in=gone)
    reviews = ReviewItem.objects.filter(criterion__in=gone)
    used = set(items.values_list("criterion__code", flat=True))
    used |= set(reviews.values_list("criterion__code", flat=True))
    if used:
        code = min(used)
        raise WorkbookError(
            _("thiếu tiêu chí “%(code)s”: tiêu chí này đã có điểm nên không thể bỏ.")
            % {"code": code},
            sheet="criteria",
            row=(rows[-1].number if rows else 1) + 1,
            column="code",
        )


# Checking: scores --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRules:
    """What a score is checked against: the checklist in force and the campaign's step."""

    criteria: dict[str, CriterionRow]
    sections: frozenset[str]
    step: Decimal

    @classmethod
    def of(cls, criteria: list[CriterionRow], step: Decimal) -> "ScoreRules":
        sections = frozenset(c.parent_code for c in criteria) - {""}
        return cls({c.code: c for c in criteria}, sections, step)

    def leaves_to_score(self) -> list[str]:
        return [
            code
            for code, criterion in self.criteria.items()
            if code not in self.sections and criterion.kind in SCORED_KINDS
        ]

    def criterion(self, row: Row, column: str) -> CriterionRow:
        code = _text(row, column, 32, required=True)
        if code not in self.criteria:
            raise row.error(
                column, _("tiêu chí “%(code)s” không có trong bộ tiêu chí.") % {"code": code}
            )
        return self.criteria[code]

    def check(self, row: Row, criterion: CriterionRow, value: Decimal) -> None:
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


def _check_self_scores(
    rows: list[Row], unit_codes: set[str], rules: ScoreRules
) -> list[SelfScoreRow]:
    first_submitted: dict[str, int] = {}
    scored: set[tuple[str, str]] = set()
    for row in rows:
        if row.text("submitted_on"):
            first_submitted.setdefault(row.text("unit_code"), row.number)
        if row.text("score"):
            scored.add((row.text("unit_code"), row.text("criterion_code")))
    to_score = rules.leaves_to_score()
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        unit_code = _known_unit(row, "unit_code", unit_codes)
        criterion = rules.criterion(row, "criterion_code")
        _duplicate(row, "criterion_code", f"{unit_code} / {criterion.code}", seen)
        submitted = unit_code in first_submitted
        score = _self_score(row, rules, criterion, submitted=submitted)
        note = row.text("note")
        submitted_on = _date(row, "submitted_on")
        if first_submitted.get(unit_code) == row.number:
            _check_complete(row, unit_code, [c for c in to_score if (unit_code, c) not in scored])
        if criterion.code not in rules.sections:  # a section row with no score says nothing
            checked.append(
                SelfScoreRow(unit_code, criterion.code, score, note, submitted_on, row.number)
            )
    return checked


def _self_score(
    row: Row, rules: ScoreRules, criterion: CriterionRow, *, submitted: bool
) -> Decimal | None:
    score = _number(row, "score")
    if score is not None:
        rules.check(row, criterion, score)
    elif submitted and criterion.kind in SCORED_KINDS and criterion.code not in rules.sections:
        raise row.error(
            "score",
            _("đơn vị “%(unit)s” đã nộp (có ngày nộp) nên phải có điểm tiêu chí “%(code)s”.")
            % {"unit": row.text("unit_code"), "code": criterion.code},
        )
    return score


def _check_complete(row: Row, unit_code: str, missing: list[str]) -> None:
    if missing:
        raise row.error(
            "submitted_on",
            _("đơn vị “%(unit)s” đã nộp nhưng chưa chấm các tiêu chí: %(codes)s.")
            % {"unit": unit_code, "codes": ", ".join(missing)},
        )


def _check_reviews(
    rows: list[Row], unit_codes: set[str], rules: ScoreRules, known: Known
) -> list[ReviewRow]:
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        reviewer = _reviewer(row)
        unit_code = _known_unit(row, "unit_code", unit_codes)
        if (reviewer, unit_code) in known.memberships:
            raise row.error(
                "unit_code",
                _("“%(user)s” thuộc đơn vị “%(unit)s” nên không được thẩm định đơn vị này.")
                % {"user": reviewer, "unit": unit_code},
            )
        criterion = rules.criterion(row, "criterion_code")
        _duplicate(row, "criterion_code", f"{reviewer} / {unit_code} / {criterion.code}", seen)
        score = _number(row, "score")
        if score is None:
            raise row.error("score", _("không được để trống."))
        rules.check(row, criterion, score)
        checked.append(
            ReviewRow(reviewer, unit_code, criterion.code, score, row.text("comment"), row.number)
        )
    return checked


def _reviewer(row: Row) -> str:
    username = _text(row, "reviewer", 150, required=True)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise row.error(
            "reviewer",
            _("“%(name)s” không phải tên đăng nhập hợp lệ (chữ, số và @ . + - _).")
            % {"name": username},
        ) from None
    return username


# Checking: the whole workbook --------------------------------------------------------------------


def _load_known(sheets: dict[str, list[Row]], authorities: set[str]) -> Known:
    """The database's units the file (or the authority) names, their ancestors, the reviewers."""
    columns = {"units": ("code", "parent_code"), "blocks": ("unit_code",)}
    columns |= {"self_scores": ("unit_code",), "review_scores": ("unit_code",)}
    codes = set(authorities)
    for sheet, names in columns.items():
        codes |= {row.text(name) for row in sheets.get(sheet, []) for name in names}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes - {""}).select_related("kind")}
    usernames = {row.text("reviewer") for row in sheets.get("review_scores", [])}
    return Known(
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


def _authority(plan_units: list[UnitRow], known: Known, existing: Campaign | None) -> str | None:
    """Keep an existing campaign's authority; else the one parent, in the database, of the units."""
    if existing is not None:
        return existing.authority.code if existing.authority else None
    codes = {unit.code for unit in plan_units}
    roots = [unit for unit in plan_units if unit.parent_code not in codes]
    if len(roots) == 1 and roots[0].parent_code in known.units:
        return roots[0].parent_code
    return None


def plan_workbook(
    sheets: dict[str, list[Row]], *, actor: User | None, authority_code: str | None
) -> tuple[Plan, Known]:
    """Check every sheet in order; the first bad cell raises. Reads the database, writes nothing."""
    row = _check_campaign(sheets["campaign"])
    existing = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("authority")
        .filter(code=row.code)
    ).first()
    if existing is not None:
        require_manager(actor, existing)
        _check_launched_dates(row, existing)
    kept = existing.authority.code if existing and existing.authority else ""
    known = _load_known(sheets, {authority_code or "", kept})
    units = _check_units(sheets.get("units", []), known)
    unit_codes = {unit.code for unit in units} | set(known.units)
    if authority_code and authority_code not in unit_codes:
        raise ValidationError(
            _("Không có đơn vị mã “%(code)s” để làm cơ quan phát động.") % {"code": authority_code}
        )
    blocks = _check_blocks(sheets.get("blocks", []), unit_codes)
    criteria = _plan_criteria(sheets, existing)
    stored = criteria if criteria is not None else _stored_criteria(existing)
    step = existing.score_step if existing else Campaign._meta.get_field("score_step").default
    rules = ScoreRules.of(stored, step)
    plan = Plan(
        campaign=row,
        existing=existing,
        authority_code=authority_code or _authority(units, known, existing),
        units=units,
        blocks=blocks,
        criteria=criteria,
        checklist=rules.criteria,
        self_scores=_check_self_scores(sheets.get("self_scores", []), unit_codes, rules),
        reviews=_check_reviews(sheets.get("review_scores", []), unit_codes, rules, known),
    )
    if actor is not None:
        _check_new_campaign_manager(plan, known, actor)
        _check_reviewers_seated(plan, known)
    return plan, known


def _check_new_campaign_manager(plan: Plan, known: Known, actor: User) -> None:
    """Before any unit is written: a new campaign without an authority, or with one already
    stored, must be the actor's (one the file creates is checked when the campaign is made)."""
    code = plan.authority_code
    if plan.existing is None and (code is None or code in known.units):
        authority = known.units[code] if code else None
        require_manager(actor, Campaign(code=plan.campaign.code, authority=authority))


def _check_reviewers_seated(plan: Plan, known: Known) -> None:
    """A manager's file may name new reviewer accounts (created, then seated), never an existing
    account that does not sit on this campaign's council: that would score in its name."""
    seated = set(
        plan.existing.council_seats.values_list("user__username", flat=True)
        if plan.existing
        else []
    )
    for review in plan.reviews:
        if review.reviewer in known.users and review.reviewer not in seated:
            raise WorkbookError(
                _("tài khoản “%(name)s” không phải thành viên Hội đồng của phong trào này.")
                % {"name": review.reviewer},
                sheet="review_scores",
                row=review.line,
                column="reviewer",
            )


def _plan_criteria(
    sheets: dict[str, list[Row]], existing: Campaign | None
) -> list[CriterionRow] | None:
    if "criteria" not in sheets:
        return None
    rows = sheets["criteria"]
    frozen = bool(existing and existing.checklist and existing.checklist.is_frozen)
    criteria = _check_criteria(rows, _stored_criteria(existing), frozen)
    if not frozen:
        _check_removals(existing, rows, {c.code for c in criteria})
    return criteria


# Writing -----------------------------------------------------------------------------------------


@dataclass
class Writer:
    """Writes a checked plan, counting what it creates, updates and deletes."""

    plan: Plan
    known: Known
    actor: User | None
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)

    @property
    def live(self) -> bool:
        """A campaign whose window has opened: its assessments change only through the services
        (window, version check, review stage), never through a file."""
        existing = self.plan.existing
        return existing is not None and existing.status not in LIVE_IMPORTABLE

    def write(self) -> Campaign:
        units = self.write_units()
        campaign = self.write_campaign(units)
        self.write_criteria(campaign)
        blocks = self.write_blocks(units)
        enrolments = self.write_enrolments(campaign, units, blocks)
        self.set_enrolment_blocks(campaign, blocks, enrolments)
        reviewers = self.write_reviewers(campaign)
        self.write_assessments(campaign, enrolments, reviewers)
        if self.plan.existing is None and _launchable(campaign):
            campaign_launch(actor=None, campaign=campaign)
        return campaign

    # Campaign --------------------------------------------------------------------------------

    def write_campaign(self, units: dict[str, Unit]) -> Campaign:
        row, campaign = self.plan.campaign, self.plan.existing
        code = self.plan.authority_code
        authority = units[code] if code else None
        if campaign is None:
            return self.create_campaign(row, authority)
        if any(getattr(campaign, name) != value for name, value in row.fields().items()):
            campaign_update(actor=self.actor, campaign=campaign, **row.fields())
            self.updated["campaign"] += 1
        if campaign.authority_id != (authority.pk if authority else None):
            old = campaign.authority.code if campaign.authority else ""
            campaign.authority = authority
            campaign.save(update_fields=["authority"])
            campaign_event_record(
                campaign=campaign,
                actor=self.actor,
                action="update",
                subject="authority",
                old=old,
                new=code,
            )
            self.updated["campaign"] += 1
        if campaign.checklist is None:
            self.add_checklist(campaign)
        return campaign

    def create_campaign(self, row: CampaignRow, authority: Unit | None) -> Campaign:
        campaign = Campaign(
            code=row.code, authority=authority, created_by=self.actor, **row.fields()
        )
        campaign.full_clean()
        require_manager(self.actor, campaign)
        campaign.save()
        self.add_checklist(campaign)
        campaign_event_record(
            campaign=campaign, actor=self.actor, action="create", new=campaign.status
        )
        self.created["campaign"] += 1
        return campaign

    def add_checklist(self, campaign: Campaign) -> None:
        campaign.checklist = Checklist.objects.create(name=campaign.title, campaign=campaign)
        campaign.save(update_fields=["checklist"])
        self.created["checklist"] += 1

    # Units -----------------------------------------------------------------------------------

    def write_units(self) -> dict[str, Unit]:
        """Create or update the sheet's units, parents first; returns every unit by code."""
        units = dict(self.known.units)
        kinds = KindIndex()
        for row in self.plan.units:
            kind = kinds.find_or_create(row.kind, self.created)
            parent = units[row.parent_code] if row.parent_code else None
            unit = units.get(row.code)
            if unit is None:
                units[row.code] = unit_create(
                    actor=self.actor, code=row.code, name=row.name, kind=kind, parent=parent
                )
                self.created["unit"] += 1
            elif (unit.name, unit.kind_id, unit.parent_id) != (
                row.name,
                kind.pk,
                parent.pk if parent else None,
            ):
                unit_update(actor=self.actor, unit=unit, name=row.name, kind=kind, parent=parent)
                self.updated["unit"] += 1
        return units

    # Criteria --------------------------------------------------------------------------------

    def write_criteria(self, campaign: Campaign) -> None:
        """The checklist becomes the file's: same codes, fields, parents and order."""
        rows = self.plan.criteria
        checklist = campaign.checklist
        if rows is None or checklist is None or checklist.is_frozen:
            return  # a frozen checklist was checked to be identical to the file
        stored = {c.code: c for c in Criterion.objects.filter(checklist=checklist)}
        gone = [c.pk for code, c in stored.items() if code not in {row.code for row in rows}]
        fresh = {row.code for row in rows} - set(stored)
        changed = {
            row.code
            for order, row in enumerate(rows, 1)
            if self.save_criterion(checklist, stored, row, order)
        }
        changed |= {row.code for row in rows if self.set_criterion_parent(stored, row)}
        self.created["criterion"] += len(fresh)
        self.updated["criterion"] += len(changed - fresh)
        if gone:
            Criterion.objects.filter(pk__in=gone).delete()
            self.deleted["criterion"] += len(gone)
        if changed or gone:
            campaign_event_record(
                campaign=campaign, actor=self.actor, action="checklist_import", new=len(rows)
            )

    def save_criterion(
        self, checklist: Checklist, stored: dict[str, Criterion], row: CriterionRow, order: int
    ) -> bool:
        values = {**row.values(), "order": order}
        criterion = stored.get(row.code)
        if criterion is None:
            stored[row.code] = Criterion.objects.create(
                checklist=checklist, code=row.code, **values
            )
            return True
        if all(getattr(criterion, name) == value for name, value in values.items()):
            return False
        for name, value in values.items():
            setattr(criterion, name, value)
        criterion.save()
        return True

    def set_criterion_parent(self, stored: dict[str, Criterion], row: CriterionRow) -> bool:
        criterion = stored[row.code]
        parent = stored[row.parent_code] if row.parent_code else None
        if criterion.parent_id == (parent.pk if parent else None):
            return False
        criterion.parent = parent
        criterion.save(update_fields=["parent"])
        return True

    # Enrolments and blocks ---------------------------------------------------------------------

    def write_enrolments(
        self, campaign: Campaign, units: dict[str, Unit], blocks: dict[str, Block]
    ) -> dict[str, Enrolment]:
        """Enrol every unit the file names, in its block; enrolments it does not name stay."""
        enrolled = set(campaign.enrolments.values_list("unit__code", flat=True))
        new = [code for code in self.plan.enrolled_codes() if code not in enrolled]
        block_of = {row.unit_code: blocks[row.code] for row in self.plan.blocks}
        by_block: dict[Block | None, list[Unit]] = {}
        for code in new:
            by_block.setdefault(block_of.get(code), []).append(units[code])
        for block, members in by_block.items():
            # The same service as the enrolment page: authority, dates, status, history.
            try:
                campaign_enrol(actor=self.actor, campaign=campaign, units=members, block=block)
            except ValidationError as error:
                raise WorkbookError(" ".join(error.messages), sheet="units") from None
            self.created["enrolment"] += len(members)
        enrolments = campaign.enrolments.select_related("unit", "block")
        return {e.unit.code: e for e in enrolments}

    def write_blocks(self, units: dict[str, Unit]) -> dict[str, Block]:
        members: dict[str, list[Unit]] = {}
        names: dict[str, str] = {}
        for row in self.plan.blocks:
            members.setdefault(row.code, []).append(units[row.unit_code])
            names[row.code] = row.name
        stored = {b.code: b for b in Block.objects.filter(code__in=members)}
        return {
            code: self.save_block(stored.get(code), code, names[code], members[code])
            for code in members
        }

    def save_block(self, block: Block | None, code: str, name: str, members: list[Unit]) -> Block:
        """A block's name and members are those of the file (its head unit stays a member)."""
        if block is None:
            self.created["block"] += 1
            self.created["block_member"] += len(members)
            return block_create(actor=self.actor, code=code, name=name, members=members)
        if block.name != name:
            block.name = name
            block.full_clean()
            block.save(update_fields=["name"])
            self.updated["block"] += 1
        wanted = {unit.pk for unit in members} | ({block.head_unit_id} - {None})
        current = set(BlockMember.objects.filter(block=block).values_list("unit_id", flat=True))
        if wanted != current:
            block_set_members(actor=self.actor, block=block, members=members)
            self.created["block_member"] += len(wanted - current)
            self.deleted["block_member"] += len(current - wanted)
        return block

    def set_enrolment_blocks(
        self, campaign: Campaign, blocks: dict[str, Block], enrolments: dict[str, Enrolment]
    ) -> None:
        """Each enrolled unit of the blocks sheet competes in its block; one that left a block
        of the file competes in none; the others keep theirs."""
        wanted = {row.unit_code: blocks[row.code] for row in self.plan.blocks}
        block_ids = {block.pk for block in blocks.values()}
        changed = []
        for code, enrolment in enrolments.items():
            block = wanted.get(code)
            if block is None and enrolment.block_id not in block_ids:
                continue
            if enrolment.block_id == (block.pk if block else None):
                continue
            campaign_event_record(
                campaign=campaign,
                actor=self.actor,
                action="block",
                subject=code,
                old=enrolment.block.code if enrolment.block else "",
                new=block.code if block else "",
            )
            enrolment.block = block
            changed.append(enrolment)
        Enrolment.objects.bulk_update(changed, ["block"])
        self.updated["enrolment"] += len(changed)

    # Reviewers ---------------------------------------------------------------------------------

    def write_reviewers(self, campaign: Campaign) -> dict[str, User]:
        """Every reviewer is a council member of the campaign; a missing account is created."""
        users = dict(self.known.users)
        names = list(dict.fromkeys(row.reviewer for row in self.plan.reviews))
        for name in names:
            if name not in users:
                user = User(username=name)
                user.set_unusable_password()
                user.save()
                users[name] = user
                self.created["user"] += 1
        group = role_group(Role.COUNCIL_MEMBER)
        in_group = set(group.user_set.filter(username__in=names).values_list("pk", flat=True))
        group.user_set.add(*[users[n] for n in names if users[n].pk not in in_group])
        seated = set(campaign.council_seats.values_list("user_id", flat=True))
        new = [CouncilSeat(campaign=campaign, user=users[n]) for n in names]
        new = [seat for seat in new if seat.user.pk not in seated]
        CouncilSeat.objects.bulk_create(new)
        self.created["council_seat"] += len(new)
        return users

    # Assessments -------------------------------------------------------------------------------

    def write_assessments(
        self, campaign: Campaign, enrolments: dict[str, Enrolment], reviewers: dict[str, User]
    ) -> None:
        criteria = {c.code: c for c in Criterion.objects.filter(checklist=campaign.checklist)}
        by_unit: dict[str, tuple[list[SelfScoreRow], list[ReviewRow]]] = {}
        for self_row in self.plan.self_scores:
            by_unit.setdefault(self_row.unit_code, ([], []))[0].append(self_row)
        for review_row in self.plan.reviews:
            by_unit.setdefault(review_row.unit_code, ([], []))[1].append(review_row)
        targets = [enrolments[code] for code in by_unit]
        stored = {
            a.enrolment_id: a
            for a in Assessment.objects.select_for_update().filter(enrolment__in=targets)
        }
        for code, (self_rows, review_rows) in by_unit.items():
            enrolment = enrolments[code]
            assessment = stored.get(enrolment.pk)
            if assessment is None:
                assessment = Assessment.objects.create(enrolment=enrolment)
                self.created["assessment"] += 1
            sync = AssessmentSync(assessment, self.actor, criteria, reviewers)
            sync.apply(self_rows, review_rows, live=self.live)
            self.created.update(sync.created)
            self.updated.update(sync.updated)
            if sync.changed and enrolment.pk in stored:
                self.updated["assessment"] += 1


@dataclass
class AssessmentSync:
    """Brings one assessment in line with the file's rows; records each changed score."""

    assessment: Assessment
    actor: User | None
    criteria: dict[str, Criterion]
    reviewers: dict[str, User]
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    events: list[AssessmentEvent] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.events or self.created or self.updated)

    def apply(
        self, self_rows: list[SelfScoreRow], review_rows: list[ReviewRow], *, live: bool
    ) -> None:
        version = self.assessment.version + 1  # the version this change will produce
        if self_rows:
            self.set_status(self_rows)
        new_items, changed_items = self.items(self_rows)
        new_reviews, changed_reviews = self.reviews(review_rows)
        if not self.changed:
            return
        if live:
            first = self_rows[0] if self_rows else review_rows[0]
            raise WorkbookError(
                _(
                    "phong trào đã mở tự chấm điểm: điểm và trạng thái của “%(unit)s” chỉ thay "
                    "đổi trên trang tự chấm điểm và thẩm định, không qua tệp nhập."
                )
                % {"unit": first.unit_code},
                sheet="self_scores" if self_rows else "review_scores",
                row=first.line,
            )
        for event in self.events:
            event.version = version
        self.assessment.version = version
        self.assessment.save(update_fields=[*self.fields, "version", "updated_at"])
        AssessmentItem.objects.bulk_create(new_items)
        AssessmentItem.objects.bulk_update(changed_items, ["self_score", "note"])
        ReviewItem.objects.bulk_create(new_reviews)
        for review in changed_reviews:
            review.save(update_fields=["score", "comment", "updated_at"])
        AssessmentEvent.objects.bulk_create(self.events)

    def record(self, name: str, old: object, new: object, criterion: Criterion | None) -> None:
        self.events.append(
            AssessmentEvent(
                assessment=self.assessment,
                actor=self.actor,
                field=name,
                criterion=criterion,
                old_value="" if old is None else str(old),
                new_value="" if new is None else str(new),
            )
        )

    def set_status(self, rows: list[SelfScoreRow]) -> None:
        """Submitted on the latest day a row gives (00:00 in Vietnam); a draft without one."""
        days = [row.submitted_on for row in rows if row.submitted_on is not None]
        submitted_at = _midnight(max(days)) if days else None
        status = AssessmentStatus.SUBMITTED if days else AssessmentStatus.DRAFT
        assessment = self.assessment
        if assessment.status != status:
            self.record("status", assessment.status, status, None)
        for name, value in (
            ("status", status),
            ("submitted_at", submitted_at),
            ("last_submitted_at", submitted_at),
        ):
            if getattr(assessment, name) != value:
                setattr(assessment, name, value)
                self.fields.add(name)

    def items(self, rows: list[SelfScoreRow]) -> tuple[list[AssessmentItem], list[AssessmentItem]]:
        """New and changed items; each changed score and note is recorded."""
        stored = {item.criterion_id: item for item in self.assessment.items.all()}
        new, changed = [], []
        for row in rows:
            criterion = self.criteria[row.criterion_code]
            item = stored.get(criterion.pk)
            old_score, old_note = (item.self_score, item.note) if item else (None, "")
            if old_score != row.score:
                self.record("self_score", old_score, row.score, criterion)
            if old_note != row.note:
                self.record("note", old_note, row.note, criterion)
            if item is None:  # a blank score is stored as NULL
                item = AssessmentItem(assessment=self.assessment, criterion=criterion)
                new.append(item)
                self.created["assessment_item"] += 1
            elif (old_score, old_note) != (row.score, row.note):
                changed.append(item)
                self.updated["assessment_item"] += 1
            item.self_score, item.note = row.score, row.note
        return new, changed

    def reviews(self, rows: list[ReviewRow]) -> tuple[list[ReviewItem], list[ReviewItem]]:
        stored = {
            (r.criterion_id, r.reviewer_id): r for r in self.assessment.reviews.filter(stage=1)
        }
        new, changed = [], []
        for row in rows:
            criterion, reviewer = self.criteria[row.criterion_code], self.reviewers[row.reviewer]
            review = stored.get((criterion.pk, reviewer.pk))
            if review is None:
                new.append(
                    ReviewItem(
                        assessment=self.assessment,
                        criterion=criterion,
                        reviewer=reviewer,
                        stage=1,
                        score=row.score,
                        comment=row.comment,
                    )
                )
                self.record("review_score", None, row.score, criterion)
                self.created["review_item"] += 1
            elif review.score != row.score or review.comment != row.comment:
                if review.score != row.score:
                    self.record("review_score", review.score, row.score, criterion)
                review.score, review.comment = row.score, row.comment
                changed.append(review)
                self.updated["review_item"] += 1
        return new, changed


# Before the window opens, a file may still carry a campaign's scores (one kept on paper).
LIVE_IMPORTABLE = (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SUBMISSION_ZONE)


def _launchable(campaign: Campaign) -> bool:
    """What campaign_launch needs: a unit enrolled, a leaf points/yes_no criterion with a max."""
    if campaign.checklist is None or not campaign.enrolments.exists():
        return False
    leaves = checklist_leaves(campaign.checklist)
    return bool(leaves.filter(kind__in=SCORED_KINDS, max_points__gt=0).exists())


# The service -------------------------------------------------------------------------------------


def campaign_import(
    *, workbook_file: WorkbookFile, actor: User | None = None, authority_code: str | None = None
) -> ImportSummary:
    """Create or update a campaign from a workbook, all or nothing.

    Raises WorkbookError (a ValidationError) at the first bad cell, ValidationError for an
    unknown `authority_code`, PermissionDenied when `actor` may not manage the campaign; in each
    case nothing is written. `actor` None is the system (the management command).
    """
    sheets = read_workbook(workbook_file)  # file I/O stays outside the transaction
    with transaction.atomic():
        plan, known = plan_workbook(sheets, actor=actor, authority_code=authority_code)
        writer = Writer(plan, known, actor)
        campaign = writer.write()
        return _summary(campaign, writer)


def _summary(campaign: Campaign, writer: Writer) -> ImportSummary:
    created = +writer.created  # drop zero counts
    return ImportSummary(
        campaign=campaign,
        created=created,
        updated=+writer.updated,
        deleted=+writer.deleted,
        units=campaign.enrolments.count(),
        criteria=Criterion.objects.filter(checklist=campaign.checklist).count(),
        assessments=Assessment.objects.filter(enrolment__campaign=campaign).count(),
        review_scores=ReviewItem.objects.filter(assessment__enrolment__campaign=campaign).count(),
    )


# The template ------------------------------------------------------------------------------------

TEMPLATE_ROWS: dict[str, list[tuple[object, ...]]] = {
    "campaign": [
        (
            "VD-VHCS-2026",
            "Cán bộ, công chức, viên chức thực hiện văn hóa công sở năm 2026",
            datetime.date(2026, 1, 1),
            datetime.date(2026, 12, 31),
            datetime.date(2026, 11, 1),
            datetime.date(2026, 11, 30),
        )
    ],
    "units": [
        ("VD-KL", "Huyện Kiên Lương", "huyen", None),
        ("VD-KL-BA", "Xã Bình An", "Xã", "VD-KL"),
        ("VD-KL-BT", "Xã Bình Trị", "Xã", "VD-KL"),
    ],
    "blocks": [
        ("VD-KHOI-XA", "Khối các xã", "VD-KL-BA"),
        ("VD-KHOI-XA", "Khối các xã", "VD-KL-BT"),
    ],
    "criteria": [
        ("I", None, "Thái độ, trách nhiệm với người dân và doanh nghiệp", None, None, 0, 0),
        ("1.1", "I", "Tác phong, lề lối làm việc chuyên nghiệp", "points", 10, 0, 0),
        ("1.2", "I", "Không uống rượu, bia trong giờ làm việc và giờ nghỉ trưa", "yes_no", 5, 1, 0),
    ],
    "self_scores": [
        (
            "VD-KL-BA",
            "1.1",
            9.5,
            "Niêm yết công khai thủ tục hành chính",
            datetime.date(2026, 11, 20),
        ),
        ("VD-KL-BA", "1.2", 5, None, datetime.date(2026, 11, 20)),
        ("VD-KL-BT", "1.1", 8, "Bản nháp, chưa nộp", None),
    ],
    "review_scores": [
        ("vd.hoidong", "VD-KL-BA", "1.1", 9, "Cần đeo thẻ công chức đầy đủ ở bộ phận một cửa"),
    ],
}
# Shown as a note on the header cell of the template.
TEMPLATE_HINTS = {
    "starts_on": "YYYY-MM-DD",
    "ends_on": "YYYY-MM-DD",
    "window_opens_on": "YYYY-MM-DD",
    "window_closes_on": "YYYY-MM-DD",
    "kind": "Đơn vị: mã hoặc tên loại đơn vị. Tiêu chí: points, yes_no, deduction, bonus; "
    "để trống cho mục có tiêu chí con.",
    "parent_code": "Mã cấp trên; để trống nếu không có.",
    "critical": "0 hoặc 1",
    "evidence_required": "0 hoặc 1",
    "score": "Bước 0,5; yes_no chỉ nhận 0 hoặc điểm tối đa.",
    "submitted_on": "YYYY-MM-DD; để trống nếu đơn vị chưa nộp (bản nháp).",
    "reviewer": "Tên đăng nhập; tài khoản chưa có sẽ được tạo (chưa có mật khẩu).",
}


def workbook_template() -> bytes:
    """An .xlsx with the six sheets, their header rows and example rows that import cleanly."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, columns in COLUMNS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in TEMPLATE_ROWS[name]:
            sheet.append(list(row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            hint = TEMPLATE_HINTS.get(str(cell.value))
            if hint:
                cell.comment = Comment(hint, "Cổng thi đua")
        for letter in "ABCDEFG"[: len(columns)]:
            sheet.column_dimensions[letter].width = 22
        for data in sheet.iter_rows(min_row=2):
            for cell in data:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
