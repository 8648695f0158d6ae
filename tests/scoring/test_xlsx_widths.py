"""Every .xlsx the portal writes gives its columns a width: a unit's name is not cut off."""

import io

import pytest
from openpyxl import load_workbook

from scoring import pipeline
from scoring import services as runs
from scoring.exports import xlsx_people_write, xlsx_write
from tests.scoring.scoring_cases import Case
from units.exchange import units_export
from units.models import Unit

pytestmark = pytest.mark.django_db
LONG = "Ủy ban Mặt trận Tổ quốc Việt Nam xã Bình An huyện Kiên Lương"


def widths(content: bytes) -> list[dict[str, float]]:
    book = load_workbook(io.BytesIO(content))
    return [
        {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJ"}
        for sheet in book.worksheets
    ]


def test_the_results_workbooks_fit_the_longest_name() -> None:
    case = Case().criterion("1", max_points="10")
    case.unit(LONG, {"1": "9.5"}, block="Khối xã").unit("Xã Bình Trị", {"1": "7"}, block="Khối xã")
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    for write, name_column in ((xlsx_write, "B"), (xlsx_people_write, "C")):
        buffer = io.BytesIO()
        write(run, buffer)
        first = widths(buffer.getvalue())[0]
        assert first[name_column] >= len(LONG), (write.__name__, first)
        assert all(width and width >= 8 for width in first.values())


def test_the_units_workbook_fits_the_longest_name() -> None:
    case = Case().criterion("1")
    case.unit(LONG, {"1": "1"})
    buffer = io.BytesIO()
    units_export(Unit.objects.all(), buffer)
    first = widths(buffer.getvalue())[0]
    assert first["B"] >= len(LONG)


def test_the_campaign_workbook_template_fits_its_columns() -> None:
    from assessments.exchange.template import workbook_template

    book = load_workbook(io.BytesIO(workbook_template()))
    for sheet in book.worksheets:
        for column in sheet.iter_cols():
            longest = max(  # a date shows as yyyy-mm-dd
                10 if cell.is_date else len(str(cell.value))
                for cell in column
                if cell.value is not None
            )
            width = sheet.column_dimensions[column[0].column_letter].width
            assert width >= min(longest, 60), (sheet.title, column[0].value)
