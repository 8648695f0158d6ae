"""What a manager downloads is a real file: the right type, saved under a name with the campaign
code; the CSV starts with a BOM (Excel reads Vietnamese right) and keeps the exchange columns; the
.xlsx and the PDF speak Vietnamese."""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from scoring import pdf, pipeline
from scoring import services as runs
from scoring.exports import COLUMNS
from tests.factories import manager_of
from tests.scoring.scoring_cases import Case
from tests.scoring.test_export_jobs import downloaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def case() -> Case:
    case = Case().criterion("1", max_points="10").criterion("2", kind="yes_no", critical=True)
    case.unit("Xã Bình An", {"1": "9.5", "2": "10"}, block="Khối xã")
    case.unit('=HYPERLINK("x")', {"1": "7", "2": "0"}, block="Khối xã")
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    return case


@pytest.fixture
def manager(case: Case) -> User:
    return manager_of(case.campaign.authority)


def download(client: Client, manager: User, case: Case, fmt: str):  # type: ignore[no-untyped-def]
    client.force_login(manager)
    return client.get(reverse("scoring:export", args=[case.campaign.code, fmt]))


def test_the_csv_has_a_bom_the_exchange_columns_and_a_filename(
    client: Client, manager: User, case: Case
) -> None:
    response = download(client, manager, case, "csv")

    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith("attachment;") and f"ket-qua-{case.campaign.code}.csv" in disposition
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert "Xã Bình An" in {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("x")' in {row[1] for row in rows[1:]}  # never run as a formula


def test_the_xlsx_is_in_vietnamese_with_the_exchange_sheet_after_it(
    client: Client, manager: User, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    response = downloaded(client, case, "xlsx", django_capture_on_commit_callbacks)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"ket-qua-{case.campaign.code}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    people, exchange = book.worksheets
    header = [cell.value for cell in people[1]]
    assert header[:3] == ["Hạng", "Mã đơn vị", "Tên đơn vị"]
    assert "Xếp loại" in header and "Dẫn đầu cụm/khối" in header
    first = [cell.value for cell in people[2]]
    assert first[2] == "Xã Bình An" and first[3] == "Khối xã"
    assert "Hoàn thành" in first[7] and first[8] in ("Có", "Không")
    assert people.cell(row=2, column=7).number_format == "0.00"
    assert [cell.value for cell in exchange[1]] == COLUMNS


def test_the_pdf_is_an_attachment(
    client: Client, manager: User, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    response = downloaded(client, case, "pdf", django_capture_on_commit_callbacks)

    assert response["Content-Type"] == "application/pdf"
    assert f"ket-qua-{case.campaign.code}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_pdf_scores_are_written_as_vietnamese_readers_write_them() -> None:
    with translation.override("vi"):
        assert pdf.score(Decimal("97.5")) == "97,50"
        assert pdf.score(None) == ""


def test_an_unknown_format_is_404(client: Client, manager: User, case: Case) -> None:
    assert download(client, manager, case, "exe").status_code == 404
