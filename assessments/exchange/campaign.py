"""The `campaign` sheet: one row with the campaign's code, title and dates; applied through
`campaigns.services.campaign_upsert` (create, or update title and dates, and the authority)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from campaigns.services import campaign_upsert
from core.workbooks import Row, WorkbookError, text_cell
from units.models import Unit

from .sheets import required_date

SHEET = "campaign"


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


def check(rows: list[Row]) -> CampaignRow:
    if len(rows) != 1:
        number = rows[1].number if len(rows) > 1 else 2
        raise WorkbookError(_("phải có đúng một dòng dữ liệu."), sheet=SHEET, row=number)
    row = rows[0]
    code = text_cell(row, "code", 40, required=True)
    if "/" in code or code != "".join(code.split()):
        raise row.error("code", _("mã không được chứa dấu cách hay dấu “/”."))
    checked = CampaignRow(
        code=code,
        title=text_cell(row, "title", 300, required=True),
        starts_on=required_date(row, "starts_on"),
        ends_on=required_date(row, "ends_on"),
        window_opens_on=required_date(row, "window_opens_on"),
        window_closes_on=required_date(row, "window_closes_on"),
    )
    if checked.ends_on < checked.starts_on:
        raise row.error("ends_on", _("ngày kết thúc trước ngày bắt đầu."))
    if checked.window_closes_on < checked.window_opens_on:
        raise row.error("window_closes_on", _("hạn tự chấm điểm trước ngày mở tự chấm điểm."))
    return checked


def check_launched(row: CampaignRow, existing: Campaign) -> None:
    """After launch the start and the window's opening are fixed (as in campaign_update)."""
    if existing.status == CampaignStatus.DRAFT:
        return
    for column in ("starts_on", "window_opens_on"):
        if getattr(existing, column) != getattr(row, column):
            raise WorkbookError(
                _("Phong trào đã phát động: không thể thay đổi nội dung này."),
                sheet=SHEET,
                row=2,
                column=column,
            )


def apply(
    row: CampaignRow, *, actor: User | None, authority: Unit | None
) -> tuple[Campaign, Counter[str]]:
    return campaign_upsert(actor=actor, code=row.code, authority=authority, fields=row.fields())
