"""The `people` sheet: username, full_name, email, unit_code, role. Its cells are checked by
`units.people_sheet.check_people` (the same checks as the people page's import) and its rows
applied through `units.people.people_upsert`, which checks the actor's authority for every row
and invites each new account (no password travels in the file)."""

from collections import Counter

from django.contrib.auth.models import User

from core.workbooks import Row
from units.models import Unit
from units.people import people_upsert
from units.people_sheet import PersonLine, check_people


def check(rows: list[Row], unit_codes: set[str]) -> list[PersonLine]:
    """The rows, checked against the units the file or the database holds."""
    return check_people(rows, unit_codes)


def apply(lines: list[PersonLine], *, actor: User | None) -> Counter[str]:
    """After the units sheet: every unit the rows name is stored by now."""
    if not lines:
        return Counter()
    units = {u.code: u for u in Unit.objects.filter(code__in={line.unit_code for line in lines})}
    counts = people_upsert(actor=actor, lines=lines, units=units)
    del counts["unchanged:person"]
    return counts
