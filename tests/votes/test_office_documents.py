"""Issue 20's "done when": every council document of the demo, opened in LibreOffice (headless,
as .ci/run installs it), has its tables laid out — each column's grid equal to its cells' width,
no column narrower than the longest word it holds, the Quốc hiệu on one line — the pages an
office expects, and the signers' names on the page of their posts. The 2019 decision, read as
text, is the district's, numbered, dated by Nghị định 30. The demo is seeded once for the module
(about 30 s) and rolled back afterwards; each file is converted once."""

import io
import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2022
from votes import documents, selectors, services
from votes.models import Award, CouncilSession

from .office import line_room, narrow_columns, pdf_lines, pdf_rules, to_pdf
from .pdf import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.office]

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# name: (most pages, the signer's post and name that must share the last page)
EXPECTED = {
    "quyet-dinh": (2, "PHÓ CHỦ TỊCH", "Đặng Minh Thành"),
    "to-trinh": (2, "PHÓ CHỦ TỊCH", "Đặng Minh Thành"),
    "kiem-phieu": (2, "CHỦ TRÌ", "Đặng Minh Thành"),
    "bao-cao": (1, "NGƯỜI BÁO CÁO THÀNH TÍCH", "Lê Văn Hội"),
    "bao-cao-ho": (1, "CHỦ HỘ", "Nguyễn Văn Tư"),
}


RULES: dict[str, list[tuple[float, float]]] = {}  # the first page's lines, by document


@pytest.fixture(scope="module")
def files(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, tuple[bytes, list[list[str]]]]]:
    """Each council document of the demo's closed 2019 session: (.docx, the lines of each page
    as LibreOffice prints them); the minutes PDF (reportlab); and the report of a household
    proposed in the demo's planned 2022 session."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        session = CouncilSession.objects.get(campaign__code=CAMPAIGN_2019, status="closed")
        outcomes, attendance = selectors.outcomes_of(session), selectors.attendance_of(session)
        person = session.nominations.get(person_name="Lê Văn Hội")
        assert person.award.period == Award.Period.CAMPAIGN
        made = {
            "quyet-dinh": documents.decision_docx(session, outcomes),
            "to-trinh": documents.proposal_docx(session, outcomes, attendance),
            "kiem-phieu": documents.tally_docx(session, outcomes, attendance),
            "bao-cao": documents.report_docx(person),
        }
        minutes = documents.minutes_pdf(session, outcomes, attendance)
        planned = CouncilSession.objects.get(campaign__code=CAMPAIGN_2022)
        household = services.nomination_add(
            actor=None,
            session=planned,
            enrolment=planned.campaign.enrolments.get(unit__code="MT-CAMYEN"),
            award=Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân huyện"),
            recipient_kind="household",
            person_name="Nguyễn Văn Tư",
            address="Ấp Cẩm Yên, xã Cẩm Yên, huyện Kiên Lương",
            achievements="Hiến 200 m² đất làm đường giao thông nông thôn.",
        )
        made["bao-cao-ho"] = documents.report_docx(household)
        transaction.set_rollback(True)  # leave the test database as it was
    converted = {}
    for name, content in made.items():
        pdf = to_pdf(content)
        converted[name] = (content, pdf_lines(pdf))
        RULES[name] = pdf_rules(pdf)[0]
    converted["bien-ban"] = (minutes, [])
    yield converted


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_table_column_holds_its_longest_word(files, name: str) -> None:  # type: ignore[no-untyped-def]
    content, _pages = files[name]
    assert narrow_columns(content) == []
    needed, room = line_room(content, NATION)
    assert needed <= room, f"the Quốc hiệu needs {needed:.0f} twips, its column gives {room}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_libreoffice_prints_the_expected_pages_with_signers_by_their_names(
    files, name: str
) -> None:  # type: ignore[no-untyped-def]
    _content, lines = files[name]
    pages = [" ".join(page) for page in lines]
    most, post, signer = EXPECTED[name]
    assert 1 <= len(pages) <= most, [page[:80] for page in pages]
    last = pages[-1]
    assert post in last and signer in last
    assert last.index(post) < last.rindex(signer)
    assert NATION in lines[0], "the Quốc hiệu is not printed on one line"
    assert "Độc lập - Tự do - Hạnh phúc" in lines[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_libreoffice_draws_the_rule_lines_under_both_headings(files, name: str) -> None:  # type: ignore[no-untyped-def]
    """Under the issuing body (a third to a half of its line) and under the Tiêu ngữ (as long
    as it): two short lines near the top, side by side; the tables' lines run the full width."""
    top = [(y, length) for y, length in RULES[name] if y > 600 and 40 < length < 250]
    assert len(top) == 2, RULES[name]
    (y_left, _left), (y_right, motto) = sorted(top, key=lambda rule: rule[1])
    assert abs(y_left - y_right) < 60 and 150 < motto < 200


def test_the_minutes_stay_on_one_page_with_their_signers(files) -> None:  # type: ignore[no-untyped-def]
    minutes = files["bien-ban"][0]
    assert len(re.findall(rb"/Type /Page\b", minutes)) == 1
    text = pdf_text(minutes)
    assert "Số:" in text and "Kiên Lương, ngày 20 tháng 12 năm 2019" in text
    assert text.index("CHỦ TRÌ") < text.rindex("Đặng Minh Thành")


def test_the_2019_decision_read_as_text_is_the_districts_dated_by_decree_30(files) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(" ".join(page) for page in files["quyet-dinh"][1])
    assert "ỦY BAN NHÂN DÂN HUYỆN KIÊN LƯƠNG" in text
    assert re.search(r"Số: \d+/QĐ-UBND", text)
    assert "ngày 25 tháng 12 năm 2019" in text
    assert not re.search(r"tháng 0[3-9]", text)
    assert "Nghị định số 91/2017/NĐ-CP" in text and "152/2025" not in text


def test_the_tally_names_its_counting_committee_and_the_report_the_law_then(files) -> None:  # type: ignore[no-untyped-def]
    tally = " ".join(" ".join(page) for page in files["kiem-phieu"][1])
    assert (
        "Ban kiểm phiếu gồm: Đặng Minh Thành (Phó Chủ tịch, chủ trì), Lê Văn Hội (Thư ký)." in tally
    )
    report = " ".join(" ".join(page) for page in files["bao-cao"][1])
    assert "Nghị định 91/2017/NĐ-CP" in report and "152/2025" not in report


def test_a_households_report_is_headed_by_the_household_at_its_address(files) -> None:  # type: ignore[no-untyped-def]
    lines = files["bao-cao-ho"][1][0]
    assert lines[lines.index("HỘ GIA ĐÌNH") + 1] == "NGUYỄN VĂN TƯ"
    report = " ".join(lines)
    assert "Nơi cư trú: Ấp Cẩm Yên, xã Cẩm Yên, huyện Kiên Lương." in report
    assert "Đơn vị đề nghị: Ủy ban Mặt trận Tổ quốc Việt Nam xã Cẩm Yên." in report
