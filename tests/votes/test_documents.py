"""The award file: every document of a closed session is a real download with the campaign code
in its name and the official layout; the tờ trình separates what the authority decides from what
it proposes to the level above; the báo cáo thành tích is for campaign awards only."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from votes import documents, selectors, services
from votes.models import Award

from .conftest import make_council
from .pdf import pdf_text
from .test_views import run_session

pytestmark = pytest.mark.django_db
NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    assert document.styles["Normal"].font.name == "Times New Roman"
    return "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )


@pytest.mark.parametrize(
    ("doc", "fmt", "title"),
    [
        ("quyet-dinh", "docx", "QUYẾT ĐỊNH"),
        ("quyet-dinh", "pdf", "QUYẾT ĐỊNH"),
        ("bien-ban", "pdf", "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"),
        ("to-trinh", "docx", "TỜ TRÌNH"),
        ("kiem-phieu", "docx", "BIÊN BẢN KIỂM PHIẾU"),
    ],
)
def test_every_file_of_a_closed_session_is_a_real_download(published, doc, fmt, title) -> None:  # type: ignore[no-untyped-def]
    session = run_session(published)
    case, _manager, secretary = published
    code = case.campaign.code
    response = secretary.get(reverse("votes:file", args=[code, session.pk, doc, fmt]))
    assert response.status_code == 200
    expected = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats"
    assert response["Content-Type"].startswith(expected)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert code in response["Content-Disposition"] and f".{fmt}" in response["Content-Disposition"]
    text = pdf_text(response.content) if fmt == "pdf" else docx_text(response.content)
    for words in (NATION, MOTTO, title, "Xã Bình An"):
        assert words in text, words
    if doc != "bien-ban":
        assert "Số:" in text


def test_no_file_exists_before_the_close(published) -> None:  # type: ignore[no-untyped-def]
    case, manager, _secretary = published
    manager.post(reverse("votes:sessions", args=[case.campaign.code]), {"held_on": "2026-12-20"})
    session = case.campaign.sessions.get()
    url = reverse("votes:file", args=[case.campaign.code, session.pk, "kiem-phieu", "docx"])
    assert manager.get(url).status_code == 404


GK_XA = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"


def test_the_proposal_goes_to_the_level_above_and_stays_out_of_the_decision() -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa")
    session, enrolment = council.session, council.nomination.enrolment
    higher = services.nomination_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        award=Award.objects.get(name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
        recipient_kind="individual",
        person_name="Nguyễn Thị Lung",
    )
    council.open()
    council.vote("yyy")
    council.vote("yyn", nomination=higher)
    session = council.close()
    outcomes = selectors.outcomes_of(session)
    attendance = selectors.attendance_of(session)
    decision = docx_text(documents.decision_docx(session, outcomes))
    assert GK_XA in decision
    assert "Nguyễn Thị Lung" not in decision
    proposal = docx_text(documents.proposal_docx(session, outcomes, attendance))
    assert "Nguyễn Thị Lung" in proposal and "Cấp tỉnh" in proposal
    assert "1.520.000 đ" in proposal and "Quỹ thi đua, khen thưởng của cấp quyết định" in proposal
    tally = docx_text(documents.tally_docx(session, outcomes, attendance))
    assert "3/3 (100%)" in tally and "2/3 (66,67%)" in tally
    assert "Biểu quyết, trên 50% tổng số thành viên" in tally


def test_a_report_of_achievements_is_for_campaign_awards(published) -> None:  # type: ignore[no-untyped-def]
    case, manager, _secretary = published
    code = case.campaign.code
    manager.post(reverse("votes:sessions", args=[code]), {"held_on": "2026-12-20"})
    session = case.campaign.sessions.get()
    enrolment = case.units["Xã Bình Trị"]
    person = services.nomination_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        award=Award.objects.get(name=GK_XA),
        recipient_kind="individual",
        person_name="Trần Văn Ba",
        position="Công chức Văn phòng",
        achievements="Gương mẫu thực hiện văn hóa công sở.\nKhông vi phạm quy định về đồng phục.",
    )
    annual = services.nomination_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        award=Award.objects.get(name="Tập thể lao động tiên tiến"),
    )
    response = manager.get(reverse("votes:report", args=[code, session.pk, person.pk]))
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert code in response["Content-Disposition"]
    text = docx_text(response.content)
    for words in (
        NATION,
        MOTTO,
        "BÁO CÁO THÀNH TÍCH",
        f"Đề nghị tặng {GK_XA}",
        "Họ và tên: Trần Văn Ba.",
        "Chức vụ: Công chức Văn phòng.",
        "Không vi phạm quy định về đồng phục.",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
        "Nghị định 152/2025/NĐ-CP",
    ):
        assert words in text, words
    assert (
        manager.get(reverse("votes:report", args=[code, session.pk, annual.pk])).status_code == 404
    )


def test_the_public_page_shows_the_councils_exemplary_models_and_the_leading_units(
    published,
) -> None:  # type: ignore[no-untyped-def]
    case, manager, secretary = published
    code = case.campaign.code
    manager.post(reverse("votes:sessions", args=[code]), {"held_on": "2026-12-20"})
    session = case.campaign.sessions.get()
    page = manager.get(reverse("votes:session", args=[code, session.pk])).content.decode()
    assert "Dẫn đầu khối" in page or "Dẫn đầu toàn phong trào" in page  # the prefilled reason
    leading = case.units["Xã Bình An"]
    manager.post(
        reverse("votes:action", args=[code, session.pk, "designate"]),
        {
            "recipient_kind": "collective",
            "enrolment": leading.pk,
            "reason": "Mô hình “Công sở xanh”.",
        },
    )
    designation = session.designations.get()
    assert designation.leading is True
    public = Client().get(reverse("votes:commended", args=[code])).content.decode()
    assert "Mô hình" not in public  # shown once the session is closed
    act_close(manager, secretary, code, session)
    public = Client().get(reverse("votes:commended", args=[code])).content.decode()
    assert "Điển hình tiên tiến" in public and "Mô hình “Công sở xanh”." in public
    assert "Dẫn đầu cụm/khối" in public and "Xếp loại Hoàn thành xuất sắc" in public


def act_close(manager: Client, secretary: Client, code: str, session) -> None:  # type: ignore[no-untyped-def]
    from campaigns.models import CouncilSeat

    seat = CouncilSeat.objects.get(campaign=session.campaign)
    services.attendance_set(actor=None, session=session, user=seat.user, present=True)
    services.nomination_add(
        actor=None,
        session=session,
        enrolment=session.designations.get().enrolment,
        award=Award.objects.get(name="Tập thể lao động tiên tiến"),
    )
    session = services.voting_open(actor=None, session=session)
    services.session_close(actor=None, session=session, missing_accepted=True)
