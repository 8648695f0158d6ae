"""Workbooks for the units import tests, and a snapshot of every stored unit.

In a sheet made by `workbook(rows)` the Excel row of `rows[i]` is i + 2 (row 1 is the header).
"""

import io

from openpyxl import Workbook

from units.models import Unit

HEADER = ["code", "name", "kind", "parent_code"]
# A district of 2019 (kinds given by code, by name without diacritics, and a new kind).
GOOD = [
    ["KL", "Huyện Kiên Lương", "huyen", ""],
    ["KL-TT", "Thị trấn Kiên Lương", "Thi tran", "KL"],
    ["KL-HND", "Hội Nông dân huyện Kiên Lương", "Hội Nông dân", "KL"],
]


def workbook(
    rows: list[list[object]], header: list[str] = HEADER, sheet: str = "units"
) -> io.BytesIO:
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def snapshot() -> list[tuple[object, ...]]:
    """Every unit with the fields an import may write."""
    return list(
        Unit.objects.order_by("code").values_list(
            "code", "name", "search_name", "kind__code", "parent__code", "valid_from", "valid_to"
        )
    )
