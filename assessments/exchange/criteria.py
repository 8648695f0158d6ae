"""The `criteria` sheet: the campaign's checklist, in row order; applied through
`campaigns.services.criteria_import`. A frozen checklist may only come back unchanged."""

from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from assessments.models import AssessmentItem, ReviewItem
from campaigns.models import Campaign, Criterion, CriterionKind, FrozenChecklistError
from campaigns.services import CriterionSpec, criteria_import
from core.workbooks import Row, WorkbookError, text_cell
from core.workbooks import find_cycle as cycle

from .sheets import COLUMNS, duplicate, flag, number

SHEET = "criteria"
MAX_POINTS_LIMIT = Decimal("9999.99")  # Criterion.max_points: 6 digits, 2 decimals


def check(rows: list[Row], existing: Campaign | None) -> list[CriterionSpec]:
    """The sheet's criteria; a frozen checklist must match them, and a criterion that already
    carries scores may not be left out of an open one."""
    stored = stored_criteria(existing)
    frozen = bool(existing and existing.checklist and existing.checklist.is_frozen)
    in_sheet = {row.text("code") for row in rows}
    sections = {row.text("parent_code") for row in rows} - {""}
    parents: dict[str, str] = {}
    for row in reversed(rows):
        parents[row.text("code")] = row.text("parent_code")
    seen: dict[str, int] = {}
    checked = []
    for position, row in enumerate(rows):
        criterion = _check_row(row, in_sheet, sections, parents, seen)
        if frozen:
            _compare_frozen(row, criterion, stored[position] if position < len(stored) else None)
        checked.append(criterion)
    if frozen and len(stored) > len(rows):
        raise WorkbookError(
            FrozenChecklistError().messages[0], sheet=SHEET, row=_after(rows), column="code"
        )
    if not frozen:
        _check_removals(existing, rows, {c.code for c in checked})
    return checked


def _after(rows: list[Row]) -> int:
    return (rows[-1].number if rows else 1) + 1


def _check_row(
    row: Row,
    in_sheet: set[str],
    sections: set[str],
    parents: dict[str, str],
    seen: dict[str, int],
) -> CriterionSpec:
    code = text_cell(row, "code", 32, required=True)
    duplicate(row, "code", code, seen)
    parent_code = text_cell(row, "parent_code", 32)
    if parent_code and parent_code not in in_sheet:
        raise row.error(
            "parent_code",
            _("mục cha “%(code)s” không có trong trang criteria.") % {"code": parent_code},
        )
    loop = cycle(code, parents) if parent_code else None
    if loop:
        raise row.error(
            "parent_code", _("bộ tiêu chí bị vòng lặp: %(path)s.") % {"path": " → ".join(loop)}
        )
    title = text_cell(row, "title", 500, required=True)
    kind = _kind(row, is_section=code in sections)
    max_points = _max_points(row, kind, is_section=code in sections)
    critical = flag(row, "critical")
    evidence_required = flag(row, "evidence_required")
    return CriterionSpec(code, parent_code, title, kind, max_points, critical, evidence_required)


def _kind(row: Row, *, is_section: bool) -> str:
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
    value = number(row, "max_points")
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


def _compare_frozen(row: Row, criterion: CriterionSpec, stored: CriterionSpec | None) -> None:
    """A frozen checklist may only be imported unchanged: same criteria, same order."""
    if stored is None or stored.code != criterion.code:
        raise row.error("code", FrozenChecklistError().messages[0])
    for column in COLUMNS[SHEET]:
        if getattr(stored, column) != getattr(criterion, column):
            raise row.error(column, FrozenChecklistError().messages[0])


def stored_criteria(campaign: Campaign | None) -> list[CriterionSpec]:
    """The campaign's checklist as the sheet would give it (none without a campaign)."""
    if campaign is None or campaign.checklist_id is None:
        return []
    criteria = list(Criterion.objects.filter(checklist_id=campaign.checklist_id))
    codes = {c.pk: c.code for c in criteria}
    return [
        CriterionSpec(
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
    used = set(
        AssessmentItem.objects.filter(criterion__in=gone).values_list("criterion__code", flat=True)
    )
    used |= set(
        ReviewItem.objects.filter(criterion__in=gone).values_list("criterion__code", flat=True)
    )
    if used:
        raise WorkbookError(
            _("thiếu tiêu chí “%(code)s”: tiêu chí này đã có điểm nên không thể bỏ.")
            % {"code": min(used)},
            sheet=SHEET,
            row=_after(rows),
            column="code",
        )


def apply(
    specs: list[CriterionSpec] | None, *, actor: User | None, campaign: Campaign
) -> Counter[str]:
    """The checklist becomes the file's; nothing when the sheet is absent, or when the checklist
    is frozen (it was checked to be identical to the file)."""
    checklist = campaign.checklist
    if specs is None or checklist is None or checklist.is_frozen:
        return Counter()
    return criteria_import(actor=actor, campaign=campaign, specs=specs)
