"""The ledger's world: a province with two communes, each with an organisation under it; their
officers; and workbooks with an `awards` sheet, imported through the services."""

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from openpyxl import Workbook

from tests.factories import UnitFactory, kind, manager_of
from units.models import Unit
from votes import ledger_sheet
from votes.services import LedgerImport

ROW = (
    "individual",
    "",  # the unit's code, filled in
    "Trần Văn Phúc",
    "LDTT",
    2024,
    "12/QĐ-UBND",
    datetime.date(2024, 12, 20),
    "Nguyễn Văn An",
)


@dataclass
class Ledger:
    province: Unit
    commune: Unit  # xã Kiên Lương
    other: Unit  # xã Hòa Điền, of the same province
    farmers: Unit  # Hội Nông dân xã Kiên Lương, under the commune
    other_farmers: Unit  # under the other commune
    province_officer: User
    officer: User
    other_officer: User


def ledger_world() -> Ledger:
    province = UnitFactory(name="Tỉnh An Giang", kind=kind("tinh"))
    commune = UnitFactory(name="Xã Kiên Lương", kind=kind("xa"), parent=province)
    other = UnitFactory(name="Xã Hòa Điền", kind=kind("xa"), parent=province)
    farmers = UnitFactory(name="Hội Nông dân xã Kiên Lương", kind=kind("hoi"), parent=commune)
    other_farmers = UnitFactory(name="Hội Nông dân xã Hòa Điền", kind=kind("hoi"), parent=other)
    return Ledger(
        province=province,
        commune=commune,
        other=other,
        farmers=farmers,
        other_farmers=other_farmers,
        province_officer=manager_of(province, first_name="Tỉnh"),
        officer=manager_of(commune, first_name="Xã"),
        other_officer=manager_of(other, first_name="Khác"),
    )


def awards_workbook(
    rows: list[tuple[object, ...]],
    *,
    sheet: str = "awards",
    columns: tuple[str, ...] = ledger_sheet.COLUMNS,
) -> io.BytesIO:
    book = Workbook()
    page = book.active
    page.title = sheet
    page.append(list(columns))
    for row in rows:
        page.append(list(row))
    target = io.BytesIO()
    book.save(target)
    target.seek(0)
    target.name = "so-khen-thuong.xlsx"  # type: ignore[attr-defined]
    return target


def row(unit: Unit, **changes: object) -> tuple[object, ...]:
    """ROW for `unit`, with cells changed by column name."""
    values = dict(zip(ledger_sheet.COLUMNS, ROW, strict=True))
    values["unit_code"] = unit.code
    values.update(changes)
    return tuple(values[column] for column in ledger_sheet.COLUMNS)


def imported(
    authority: Unit, rows: list[tuple[object, ...]], actor: User | None = None
) -> LedgerImport:
    return ledger_sheet.awards_import(
        actor=actor, authority=authority, workbook_file=awards_workbook(rows)
    )
