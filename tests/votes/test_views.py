"""A council session through the pages: no count before the close, then the minutes and the
decision as real downloads with the official layout and rounded amounts."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.factories import MembershipFactory, UserFactory
from units import services as unit_services
from units.roles import Role
from votes.models import Award, Ballot, CouncilSession

from .pdf import pdf_text

pytestmark = pytest.mark.django_db
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"  # the commune decides it itself


def act(client: Client, code: str, session: CouncilSession, action: str, **data: object) -> None:
    """One step of the session, as confirmed in its dialog."""
    client.post(
        reverse("votes:action", args=[code, session.pk, action]), {**data, "confirmed": "1"}
    )


def run_session(published) -> CouncilSession:  # type: ignore[no-untyped-def]
    case, manager, secretary = published
    code = case.campaign.code
    manager.post(
        reverse("votes:sessions", args=[code]),
        {
            "held_on": "2026-12-20",
            "starts_at": "14:00",
            "venue": "Hội trường UBND",
            "place_name": "Kiên Lương",
            "considers_awards": "on",
        },
    )
    session = CouncilSession.objects.get()
    act(manager, code, session, "attendance", present=[str(session.attendance.get().user_id)])
    act(manager, code, session, "prefill", award=Award.objects.get(name=AWARD).pk)
    nomination = session.nominations.get()
    assert nomination.enrolment.unit.name == "Xã Bình An"
    act(secretary, code, session, "open")
    act(secretary, code, session, "vote", nomination=nomination.pk, choice="yes")
    page = secretary.get(reverse("votes:session", args=[code, session.pk])).content.decode()
    assert "100%" not in page and "Bạn đã biểu quyết." in page
    minutes = secretary.get(reverse("votes:minutes", args=[code, session.pk]))
    assert minutes.status_code == 404  # no count anywhere before the close
    download = secretary.get(reverse("votes:document", args=[code, session.pk, "pdf"]))
    assert download.status_code == 404
    act(secretary, code, session, "close")
    session.refresh_from_db()
    assert session.status == "closed"
    return session


def test_a_full_session_shows_results_as_a_share_of_all_members(published) -> None:  # type: ignore[no-untyped-def]
    session = run_session(published)
    case, _manager, secretary = published
    assert Ballot.objects.filter(choice="yes").count() == 1
    page = secretary.get(reverse("votes:session", args=[case.campaign.code, session.pk]))
    assert "1/1 thành viên (100%)" in page.content.decode()


def test_the_decision_is_an_official_docx_with_rounded_amounts(published) -> None:  # type: ignore[no-untyped-def]
    session = run_session(published)
    case, manager, secretary = published
    code = case.campaign.code
    profile = unit_services.authority_profile_update(
        actor=None,
        authority=case.campaign.authority,
        issuing_body="ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG",
        name="Ủy ban nhân dân xã Kiên Lương",
        code="UBND",
        place_name="Kiên Lương",
        head_name="Nguyễn Văn An",
    )
    act(manager, code, session, "issue", signer=profile.head.pk)
    response = secretary.get(reverse("votes:document", args=[code, session.pk, "docx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert code in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (30, 20)
    assert (round(section.right_margin.mm), round(section.bottom_margin.mm)) == (15, 20)
    assert document.styles["Normal"].font.name == "Times New Roman"
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG",
        "Số: 1/QĐ-UBND",
        "Kiên Lương, ngày 20 tháng 12 năm 2026",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "Nguyễn Văn An",
        "CHỦ TỊCH",
        "Nghị định số 152/2025/NĐ-CP",
    ):
        assert words in text, words
    cells = [c.text for row in document.tables[1].rows for c in row.cells]
    assert "Xã Bình An" in cells and "Xã Bình Trị" not in cells
    # 0.6 × 2,530,000 (in force on 20/12/2026) = 1,518,000, rounded up to 1,520,000
    assert "1.520.000 đ" in cells
    for amount in re.findall(r"([\d.]+) đ", text):
        assert int(amount.replace(".", "")) % 10_000 == 0


def test_the_minutes_pdf_names_the_meeting_and_each_count(published) -> None:  # type: ignore[no-untyped-def]
    session = run_session(published)
    case, _manager, secretary = published
    code = case.campaign.code
    response = secretary.get(reverse("votes:document", args=[code, session.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert code in response["Content-Disposition"]
    text = pdf_text(response.content)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "14 giờ 00, ngày 20/12/2026",
        "Hội trường UBND",
        "Thư ký: Lan Trần Thị",
        "có mặt 1/1 thành viên",
        "Xã Bình An",
        "1/1 thành viên (100%)",
        "Không biểu quyết",
    ):
        assert words in text, words


def test_the_minutes_page_shows_attendance_and_each_share(published) -> None:  # type: ignore[no-untyped-def]
    session = run_session(published)
    case, _manager, secretary = published
    html = secretary.get(reverse("votes:minutes", args=[case.campaign.code, session.pk]))
    text = html.content.decode()
    assert "Thành phần tham dự" in text and "Có mặt 1/1 thành viên" in text
    assert "Xã Bình An" in text and "1/1 thành viên (100%)" in text and "Đạt" in text


def test_a_unit_head_cannot_see_the_council(published) -> None:  # type: ignore[no-untyped-def]
    case, _manager, _secretary = published
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=case.units["Xã Bình An"].unit)
    client = Client()
    client.force_login(head)
    assert client.get(reverse("votes:sessions", args=[case.campaign.code])).status_code == 403


def test_the_public_page_lists_commended_units_without_login(published) -> None:  # type: ignore[no-untyped-def]
    run_session(published)
    case = published[0]
    html = Client().get(reverse("votes:commended", args=[case.campaign.code])).content.decode()
    assert f"Xã Bình An — {AWARD}" in html and "Dẫn đầu cụm/khối" in html
