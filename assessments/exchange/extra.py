"""Sheets a higher app adds to the campaign workbook (the `awards` sheet of votes' ledger).

assessments sits below them and imports none: the project's settings list their modules
(`CAMPAIGN_WORKBOOK_SHEETS`, dotted paths) and the runner loads them by name. Each module gives
`SHEET`, `COLUMNS`, `OPTIONAL`, `LABEL`, `COLUMN_LABELS`, `TEMPLATE_HINTS`, `template_rows()`,
`check(rows, actor=...)` (reads, writes nothing; the first bad cell raises) and
`apply(checked, actor=..., campaign=...)` (in the runner's transaction, returning its counts)."""

from importlib import import_module
from types import ModuleType

from django.conf import settings


def extra_sheets() -> list[ModuleType]:
    """The added sheets' modules, in the order the setting lists them."""
    return [import_module(path) for path in getattr(settings, "CAMPAIGN_WORKBOOK_SHEETS", ())]


def extra_columns() -> dict[str, tuple[str, ...]]:
    return {module.SHEET: tuple(module.COLUMNS) for module in extra_sheets()}
