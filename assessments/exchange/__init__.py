"""The campaign workbook (docs/domain.md, "Data exchange"): a module per sheet (`campaign`, `units`,
`blocks`, `criteria`, `self_scores`, `review_scores`, `people`, `council`), each checking its
rows and applying them through its service's bulk variant; `runner` runs them in order in one
transaction."""

from core.workbooks import WorkbookError

from .runner import ImportSummary, campaign_import
from .sheets import COLUMNS, read_workbook
from .template import workbook_template

__all__ = [
    "COLUMNS",
    "ImportSummary",
    "WorkbookError",
    "campaign_import",
    "read_workbook",
    "workbook_template",
]
