"""The `units` sheet: code, name, kind, parent_code; applied through
`units.services.units_upsert`, which checks the actor's authority once for every row."""

from collections import Counter

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from core.workbooks import Row, text_cell
from core.workbooks import find_cycle as cycle
from units.exchange import UnitLine
from units.kinds import kind_code
from units.services import units_upsert

from .sheets import Known, duplicate


def check(rows: list[Row], known: Known) -> list[UnitLine]:
    """The rows, checked: known kinds, parents in the sheet or stored, no loop."""
    in_sheet = {row.text("code") for row in rows}
    parents = {**known.unit_parents}
    for row in reversed(rows):  # the first row of a code wins, as it is the one kept
        parents[row.text("code")] = row.text("parent_code")
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        code = text_cell(row, "code", 32, required=True)
        duplicate(row, "code", code, seen)
        name = text_cell(row, "name", 255, required=True)
        kind = text_cell(row, "kind", 120, required=True)
        if not kind_code(kind):
            raise row.error("kind", _("loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": kind})
        parent_code = text_cell(row, "parent_code", 32)
        _check_parent(row, code, parent_code, in_sheet, known, parents)
        checked.append(UnitLine(row, code, name, kind, parent_code, None, None))
    return checked


def _check_parent(
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
    loop = cycle(code, parents)
    if loop:
        raise row.error(
            "parent_code",
            _("cây đơn vị bị vòng lặp: %(path)s.") % {"path": " → ".join(loop)},
        )


def apply(lines: list[UnitLine], *, actor: User | None) -> Counter[str]:
    if not lines:
        return Counter()
    summary = units_upsert(actor=actor, lines=lines)
    return Counter(
        {
            "created:unit": summary.created,
            "updated:unit": summary.updated,
            "created:unit_kind": summary.kinds_created,
        }
    )
