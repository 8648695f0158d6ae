"""The `people` sheet (docs/domain.md: username, full_name, email, unit_code, role): accounts of
the units' people, one row per role in a unit. No password ever travels in a file: a new account
is invited to set its own. Reading checks every cell; `units.people.people_upsert` writes. The
campaign workbook reads the same sheet with the same checks (assessments.exchange.people)."""

from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.workbooks import Row, WorkbookError, WorkbookFile, open_workbook, read_sheet, text_cell

from .models import Membership

SHEET = "people"
COLUMNS = ("username", "full_name", "email", "unit_code", "role")


@dataclass(frozen=True)
class PersonLine:
    row: Row
    username: str
    full_name: str
    email: str
    unit_code: str
    role: str


def read_people(workbook_file: WorkbookFile) -> list[Row]:
    """The `people` sheet's data rows; refuses a missing sheet or column."""
    book = open_workbook(workbook_file)
    try:
        titles = {title.strip().lower(): title for title in book.sheetnames}
        if SHEET not in titles:
            raise WorkbookError(_("thiếu trang tính bắt buộc này."), sheet=SHEET)
        return read_sheet(book[titles[SHEET]], SHEET, COLUMNS)
    finally:
        book.close()


def check_people(rows: list[Row], unit_codes: set[str]) -> list[PersonLine]:
    """Every cell checked: a valid username, a name and an e-mail address the same on every row
    of one username, a known unit, a role among head, staff, officer, one row per person and unit.
    """
    first: dict[str, PersonLine] = {}
    seen: dict[tuple[str, str], int] = {}
    lines = []
    for row in rows:
        line = _line(row, unit_codes)
        key = (line.username.lower(), line.unit_code)
        if key in seen:
            reason = _("“%(username)s” đã có vai trò ở đơn vị này tại dòng %(row)s.")
            raise row.error("unit_code", reason % {"username": line.username, "row": seen[key]})
        seen[key] = row.number
        earlier = first.setdefault(line.username.lower(), line)
        for column in ("username", "full_name", "email"):
            if getattr(line, column) != getattr(earlier, column):
                reason = _("khác với dòng %(row)s của cùng tài khoản (“%(value)s”).")
                value = getattr(earlier, column)
                raise row.error(column, reason % {"row": earlier.row.number, "value": value})
        lines.append(line)
    return lines


def _line(row: Row, unit_codes: set[str]) -> PersonLine:
    username = text_cell(row, "username", 150, required=True)
    _check(row, "username", username, UnicodeUsernameValidator())
    full_name = text_cell(row, "full_name", 150, required=True)
    email = text_cell(row, "email", 254, required=True)
    _check(row, "email", email, validate_email)
    unit_code = text_cell(row, "unit_code", 32, required=True)
    if unit_code not in unit_codes:
        raise row.error("unit_code", _("không có đơn vị mã “%(code)s”.") % {"code": unit_code})
    role = text_cell(row, "role", 16, required=True).lower()
    if role not in Membership.Role.values:
        reason = _("“%(value)s” không phải là vai trò (chỉ nhận: %(roles)s).")
        roles = ", ".join(Membership.Role.values)
        raise row.error("role", reason % {"value": row.text("role"), "roles": roles})
    return PersonLine(row, username, full_name, email, unit_code, role)


def _check(row: Row, column: str, value: str, validator: object) -> None:
    try:
        validator(value)  # type: ignore[operator]
    except ValidationError as error:
        raise row.error(column, error.messages[0]) from None
