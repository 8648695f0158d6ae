"""Workbooks for the import tests, built with openpyxl from {sheet: rows} (row 1 = the header).

`good_sheets()` is a 2019 Kiên Lương campaign that imports cleanly; the bad-file tests change one
cell of it. In each sheet the Excel row number of `rows[i]` is i + 1.
"""

import datetime
import io
from collections.abc import Iterable

import openpyxl
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Assessment, AssessmentEvent, AssessmentItem, ReviewItem
from campaigns.models import (
    Campaign,
    CampaignEvent,
    Checklist,
    CouncilSeat,
    Criterion,
    Enrolment,
)
from units.models import Block, BlockMember, Unit, UnitKind

Sheets = dict[str, list[list[object]]]

# Every table an import may write to, for "nothing changed" checks.
MODELS = [
    Campaign,
    CampaignEvent,
    Checklist,
    Criterion,
    Enrolment,
    CouncilSeat,
    UnitKind,
    Unit,
    Block,
    BlockMember,
    User,
    User.groups.through,
    Group,
    Assessment,
    AssessmentItem,
    ReviewItem,
    AssessmentEvent,
]


def good_sheets() -> Sheets:
    """A campaign of the district of Kiên Lương (under the province KG, already in the DB)."""
    return {
        "campaign": [
            ["code", "title", "starts_on", "ends_on", "window_opens_on", "window_closes_on"],
            [
                "VHCS-2019",
                "Văn hóa công sở 2019",
                "2019-08-08",  # dates as text ...
                datetime.date(2019, 12, 31),  # ... and as real date cells
                datetime.datetime(2019, 11, 1),
                "2019-11-30",
            ],
        ],
        "units": [
            ["code", "name", "kind", "parent_code", "ghi chú"],  # an extra column is ignored
            ["KL", "Huyện Kiên Lương", "huyen", "KG", "cấp huyện"],
            ["KL-TT", "Thị trấn Kiên Lương", "thi_tran", "KL", None],
            ["KL-BA", "Xã Bình An", "Xã", "KL", None],
            ["KL-HND", "Hội Nông dân huyện", "Hội Nông dân", "KL", None],
        ],
        "blocks": [
            ["code", "name", "unit_code"],
            ["K-XA", "Khối xã, thị trấn", "KL-TT"],
            ["K-XA", "Khối xã, thị trấn", "KL-BA"],
        ],
        "criteria": [
            ["code", "parent_code", "title", "kind", "max_points", "critical", "evidence_required"],
            ["I", None, "Thái độ, trách nhiệm", None, None, 0, 0],
            ["1.1", "I", "Tác phong, lề lối làm việc", "points", 10, 0, 1],
            ["1.2", "I", "Không uống rượu, bia trong giờ làm việc", "yes_no", 5, 1, 0],
            ["2", None, "Vi phạm giờ giấc", "deduction", 5, 0, 0],
            ["3", None, "Sáng kiến cải cách hành chính", "bonus", 5, 0, 0],
        ],
        "self_scores": [
            ["unit_code", "criterion_code", "score", "note", "submitted_on"],
            ["KL-TT", "1.1", 9.5, "Đeo thẻ đầy đủ", "2019-11-20"],
            ["KL-TT", "1.2", 5, None, datetime.date(2019, 11, 25)],
            ["KL-TT", "2", None, None, None],
            ["KL-BA", "1.1", 7, "Bản nháp", None],
            ["KL-BA", "1.2", None, None, None],
        ],
        "review_scores": [
            ["reviewer", "unit_code", "criterion_code", "score", "comment"],
            ["hd.lan", "KL-TT", "1.1", 9, "Cần niêm yết thủ tục đầy đủ"],
            ["hd.lan", "KL-TT", "1.2", "5", None],
            ["thanh.pct", "KL-BA", "1.1", 6.5, None],
            ["hd.lan", "KL-HND", "1.1", 8, None],
        ],
    }


def workbook(sheets: Sheets) -> bytes:
    """An .xlsx with one sheet per key, in the dict's order."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=number, column=column, value=value)  # type: ignore[arg-type]
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def workbook_file(sheets: Sheets) -> io.BytesIO:
    return io.BytesIO(workbook(sheets))


def upload(sheets: Sheets, name: str = "phong-trao.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook(sheets))


def counts(models: Iterable[type] = MODELS) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}  # type: ignore[attr-defined]


def snapshot(models: Iterable[type] = MODELS) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, as values: equal snapshots mean nothing was written."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())  # type: ignore[attr-defined]
        for model in models
    }
