"""In the browser, across two levels: xã Kiên Lương's closed session makes its file for the
province's Bằng khen and sends it; tỉnh An Giang's office returns it with a reason; the commune
reads the reason in its notices, replaces the tờ trình with an edited one and sends it again; the
province puts it on its council's session, the council votes and closes, the decision is issued,
and the commune's notices carry it with the link to the signed decision."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.votes.two_levels import two_levels
from units.selectors import authority_profile
from votes import services
from votes.models import Proposal, ProposalStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's
REASON = "Báo cáo thành tích chưa có xác nhận của Hội Nông dân tỉnh."


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def edited_docx() -> bytes:
    document = Document()
    document.add_paragraph("Tờ trình đã bổ sung xác nhận của Hội Nông dân tỉnh")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_commune_proposes_the_province_returns_then_decides(
    live_server: object, page: Page, media_root: object
) -> None:
    world = two_levels()
    base = live_server.url  # type: ignore[attr-defined]
    commune, province = world.commune, world.province

    # The commune's session adopted the proposal: its officer makes the file and sends it.
    log_in(page, base, commune.officer.username)
    page.goto(f"{base}/council/{commune.campaign.code}/sessions/{commune.session.pk}/")
    page.get_by_role("button", name="Lập hồ sơ đề nghị").click()
    expect(page.locator("[data-proposal-status]")).to_contain_text("Đang soạn")
    expect(page.locator("[data-checklist]")).to_contain_text("Báo cáo thành tích")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator("[data-proposal-status]")).to_contain_text("Đã gửi")
    proposal = Proposal.objects.get()

    # The province's office returns it with a reason.
    log_in(page, base, province.officer.username)
    page.goto(f"{base}/council/proposals/")
    page.get_by_role("link", name="Xã Kiên Lương").click()
    page.get_by_label("Lý do trả lại").fill(REASON)
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("[data-proposal-status]")).to_contain_text("Bị trả lại")

    # The commune reads the reason in its notices, corrects the tờ trình and sends again.
    log_in(page, base, commune.officer.username)
    page.goto(f"{base}/notifications/")
    expect(page.get_by_text(REASON)).to_be_visible()
    page.get_by_role("link", name="Hồ sơ đề nghị khen thưởng bị trả lại").click()
    expect(page.locator("[data-return-reason]")).to_contain_text(REASON)
    page.get_by_label("Văn bản").select_option("to-trinh")
    page.get_by_label("Tệp đã sửa").set_input_files(
        {
            "name": "to-trinh-da-sua.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": edited_docx(),
        }
    )
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("bản đã sửa: to-trinh-da-sua.docx")).to_be_visible()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator("[data-proposal-status]")).to_contain_text("Đã gửi")

    # The province puts it on its council's session.
    log_in(page, base, province.officer.username)
    page.goto(f"{base}/council/proposals/{proposal.pk}/")
    page.get_by_label("Phiên họp Hội đồng cấp tỉnh").select_option(str(province.session.pk))
    page.get_by_role("button", name="Đưa ra phiên họp").click()
    expect(page.locator("[data-proposal-status]")).to_contain_text("Đưa ra Hội đồng")

    # The council votes (the secretary in the browser, the others as recorded) and closes.
    session = province.session
    for member in province.members:
        services.attendance_set(actor=None, session=session, user=member, present=True)
    session = services.voting_open(actor=None, session=session)
    secretary, *others = province.members
    for nomination in session.nominations.all():
        for member in others:
            services.vote_cast(voter=member, session=session, nomination=nomination, choice="yes")
    session_url = f"{base}/council/{province.campaign.code}/sessions/{session.pk}/"
    log_in(page, base, secretary.username)
    page.goto(session_url)
    for _nomination in range(2):
        page.get_by_role("button", name="Đồng ý", exact=True).first.click()
        page.locator("#confirm-dialog").get_by_role("button", name="Biểu quyết: Đồng ý").click()
        expect(page.get_by_text("Đã ghi nhận phiếu.")).to_be_visible()
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    page.locator("#confirm-dialog").locator("[data-confirm-ok]").click()
    expect(page.get_by_text("Đã kết thúc")).to_be_visible()

    # The province's office issues the decision.
    log_in(page, base, province.officer.username)
    page.goto(session_url)
    head = authority_profile(province.authority).head  # type: ignore[union-attr]
    page.get_by_label("Người ký").select_option(str(head.pk))
    page.get_by_role("button", name="Ban hành, cấp số quyết định").click()
    expect(page.get_by_text("Đã ban hành: Số 1/QĐ-UBND")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECIDED

    # The decision reaches the commune's notices, with the signed file's verification page.
    log_in(page, base, commune.officer.username)
    page.goto(f"{base}/notifications/")
    notice = page.get_by_role("link", name="Quyết định khen thưởng 1/QĐ-UBND")
    expect(notice).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Hạnh")).to_be_visible()
    notice.click()
    expect(page.get_by_text("1/QĐ-UBND").first).to_be_visible()
    assert "/v/" in page.url

    # The award is on the nominee's page, and the commune's ledger export lists it.
    unit = world.unit_nomination.enrolment.unit
    page.goto(f"{base}/units/{unit.pk}/")
    awards = page.get_by_role("table", name="Khen thưởng đã nhận")
    expect(awards).to_contain_text("1/QĐ-UBND")
    page.goto(f"{base}/council/ledger/?q=bang+khen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert any(unit.name in row and "1/QĐ-UBND" in row for row in rows), rows
