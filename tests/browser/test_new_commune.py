"""A new commune runs its first round in the browser, from nothing but its own account.

The province's officer has given the commune's emulation officer an account (an invitation by
mail). From there everything is done on the pages: the officer sets a password through the link,
fills the authority's profile, invites three unit heads and five council members (each sets a
password through their link), seats the council, creates and launches a campaign whose window
opens by its date without celery beat; the heads submit; the council reviews, votes and closes;
the decision carries the profile's letterhead, "Số: 1/QĐ-UBND" and the chairman's name, and the
next decision gets number 2.
"""

import datetime
import re
from decimal import Decimal

import docx
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignStatus, Checklist
from tests.factories import UnitFactory, UserFactory, kind
from units.models import AuthoritySigner, IssuedDocument, Membership, Unit
from units.people import person_create
from votes import services as votes
from votes.models import Award, CouncilSession, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Tan-Lap-2026!"
COMMUNE = "Xã Tân Lập"
UNITS = {
    "TL-VP": "Văn phòng HĐND và UBND xã Tân Lập",
    "TL-MT": "Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Lập",
    "TL-ND": "Hội Nông dân xã Tân Lập",
}
HEADS = [  # username, full name, unit code
    ("tl.vanphong", "Lê Văn Phong", "TL-VP"),
    ("tl.mattran", "Trần Thị Mai", "TL-MT"),
    ("tl.nongdan", "Nguyễn Văn Nông", "TL-ND"),
]
COUNCIL = [  # username, full name, council role (the option's label)
    ("tl.chutich", "Phạm Văn Chánh", "Chủ tịch"),
    ("tl.thuky", "Đoàn Thị Thư", "Thư ký"),
    ("tl.uyvien1", "Võ Văn Một", "Ủy viên"),
    ("tl.uyvien2", "Huỳnh Thị Hai", "Ủy viên"),
    ("tl.uyvien3", "Lâm Văn Ba", "Ủy viên"),
]
CHAIRMAN = "Phạm Văn Chánh"
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"


@pytest.fixture
def commune(settings: object, tmp_path: object) -> Unit:
    """What the province gives a new commune: the commune and its agencies in the tree, a checklist
    template, and its officer's account with an invitation in the outbox."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    province = UnitFactory(code="AG", name="Tỉnh An Giang", kind=kind("tinh"))
    commune = UnitFactory(code="TL", name=COMMUNE, kind=kind("xa"), parent=province)
    for code, name in UNITS.items():
        UnitFactory(code=code, name=name, parent=commune)
    template = Checklist.objects.create(name="Văn hóa công sở (mẫu)", is_template=True)
    campaign_services.criterion_save(
        actor=None,
        checklist=template,
        code="1",
        title="Thái độ với người dân",
        max_points=Decimal(10),
    )
    officer = UserFactory(username="ag.thidua", is_superuser=True)  # the province's officer
    person_create(
        actor=officer,
        username="tl.thidua",
        full_name="Ngô Thị Thi",
        email="thidua@tanlap.example.invalid",
        unit=commune,
        role=Membership.Role.OFFICER,
        invite=True,
    )
    return commune


def invitation(username: str) -> str:
    """The set-password link of the last mail sent to `username`."""
    for message in reversed(mail.outbox):
        if f" {username}." in message.body:
            return re.search(r"(/accounts/invitation/\S+/)", message.body).group(1)  # type: ignore[union-attr]
    raise AssertionError(f"no invitation for {username} in the outbox")


def set_password(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + invitation(username))
    expect(page.get_by_text(username, exact=True)).to_be_visible()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Đã đặt lại mật khẩu")).to_be_visible()


def docx_text(path: object) -> str:
    """Every paragraph of a .docx, its tables' cells included, one per line."""
    document = docx.Document(str(path))
    cells = [
        paragraph.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def choose(page: Page, select: str, text: str) -> None:
    """Pick the option of `select` whose label contains `text` (a person: "name (username)")."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.locator(select).select_option(value=value)


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_attached()


def invite(page: Page, base: str, username: str, name: str, unit: str, role: str) -> None:
    page.goto(f"{base}/units/people/new/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Thư điện tử").fill(f"{username.replace('.', '-')}@tanlap.example.invalid")
    page.locator("#id_unit").select_option(label=unit)
    page.locator("#id_role").select_option(label=role)
    if role == "Cán bộ đơn vị":
        page.get_by_label("Thành viên Hội đồng thi đua").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã tạo tài khoản {username}.")).to_be_visible()


def test_a_new_commune_runs_its_first_round(live_server: object, page: Page, commune: Unit) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    today = timezone.localdate()

    # The officer sets a password through the province's invitation, then fills the profile.
    set_password(page, base, "tl.thidua")
    log_in(page, base, "tl.thidua")
    page.goto(f"{base}/units/{commune.pk}/profile/")
    page.get_by_label("Tên cơ quan, tổ chức chủ quản").fill("")
    page.get_by_label("Tên cơ quan ban hành").fill("ỦY BAN NHÂN DÂN\nXÃ TÂN LẬP")
    page.get_by_label("Tên cơ quan trong câu văn").fill("Ủy ban nhân dân xã Tân Lập")
    page.get_by_label("Chữ viết tắt tên cơ quan").fill("UBND")
    page.get_by_label("Địa danh").fill("Tân Lập")
    page.get_by_label("Họ và tên người đứng đầu").fill(CHAIRMAN)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Chủ tịch: {CHAIRMAN}")).to_be_visible()

    # Three unit heads and five council members, each invited by mail.
    for username, name, code in HEADS:
        invite(page, base, username, name, UNITS[code], "Thủ trưởng đơn vị")
    for username, name, _role in COUNCIL:
        invite(page, base, username, name, COMMUNE, "Cán bộ đơn vị")
    assert len(mail.outbox) == 1 + len(HEADS) + len(COUNCIL)
    for username, *_rest in HEADS + COUNCIL:
        set_password(page, base, username)

    # A campaign whose window opens today: the page opens it, no beat runs in this test.
    log_in(page, base, "tl.thidua")
    page.get_by_role("link", name="Tạo phong trào").first.click()
    page.get_by_label("Mã").fill("VHCS-TL-2026")
    page.get_by_label("Tên phong trào").fill("Văn hóa công sở xã Tân Lập năm 2026")
    page.get_by_label("Cơ quan phát động").select_option(label=COMMUNE)
    page.get_by_label("Ngày bắt đầu").fill(f"{today - datetime.timedelta(days=5):%Y-%m-%d}")
    page.get_by_label("Ngày kết thúc").fill(f"{today + datetime.timedelta(days=60):%Y-%m-%d}")
    page.get_by_label("Mở tự chấm điểm từ").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Hạn tự chấm điểm").fill(f"{today + datetime.timedelta(days=20):%Y-%m-%d}")
    page.get_by_label("Bộ tiêu chí mẫu").select_option(label="Văn hóa công sở (mẫu) (v1)")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã tạo phong trào")).to_be_visible()
    code = "VHCS-TL-2026"

    page.get_by_role("link", name="Đơn vị tham gia").click()
    for name in UNITS.values():
        page.get_by_label("Từng đơn vị").select_option(label=name)
        page.get_by_role("button", name="Thêm vào phong trào").click()
        expect(page.get_by_text("Đã thêm 1 đơn vị.")).to_be_visible()

    page.goto(f"{base}/campaigns/{code}/council/")
    for _username, name, role in COUNCIL:
        choose(page, "#id_user", name)
        page.locator("#id_role").select_option(label=role)
        page.get_by_role("button", name="Thêm vào Hội đồng").click()
        expect(page.get_by_text(f"Đã xếp {name} vào Hội đồng.")).to_be_visible()

    page.get_by_role("link", name="Tổng quan").click()
    page.get_by_role("button", name="Phát động").click()
    page.get_by_role("dialog").get_by_role("button", name="Phát động").click()
    expect(page.get_by_text("Phong trào chuyển sang: Đã phát động.")).to_be_visible()
    page.reload()  # the next page a person opens moves the window by its date
    expect(page.get_by_text("Đang tự chấm điểm").first).to_be_visible()
    assert Campaign.objects.get(code=code).status == CampaignStatus.WINDOW_OPEN

    # The heads fill and submit.
    for score, (username, _name, _code) in zip(("9", "8,5", "7"), HEADS, strict=True):
        log_in(page, base, username)
        page.get_by_role("link", name="Tự chấm điểm").first.click()
        page.get_by_role("link", name="Chấm điểm", exact=True).click()
        page.get_by_label("1. Thái độ với người dân").fill(score)
        page.get_by_role("button", name="Nộp bản tự chấm điểm").click()
        page.get_by_role("dialog").get_by_role("button", name="Nộp bản tự chấm điểm").click()
        expect(page.get_by_text("Đã nộp bản tự chấm điểm.")).to_be_visible()

    # The officer closes the window, starts the review and gives it to a member.
    log_in(page, base, "tl.thidua")
    page.goto(f"{base}/campaigns/{code}/")
    for step in ("Đóng tự chấm điểm", "Bắt đầu thẩm định"):
        page.get_by_role("button", name=step).click()
        page.get_by_role("dialog").get_by_role("button", name=step).click()
        expect(page.get_by_text("Phong trào chuyển sang:")).to_be_visible()
    page.goto(f"{base}/campaigns/{code}/reviewers/")
    for name in UNITS.values():
        choose(page, "#id_reviewer", COUNCIL[2][1])
        page.locator("#id_unit").select_option(label=name)
        page.get_by_role("button", name="Phân công").click()
    expect(page.get_by_role("cell", name=UNITS["TL-ND"])).to_be_visible()

    # The member accepts the three.
    log_in(page, base, "tl.uyvien1")
    for _unit in UNITS:
        page.goto(f"{base}/reviews/")
        page.get_by_role("link", name="Thẩm định", exact=True).last.click()
        page.get_by_role("button", name="Chấp nhận").click()
        page.get_by_role("dialog").get_by_role("button", name="Chấp nhận").click()
        expect(page.get_by_text("Đã chấp nhận bản tự chấm điểm.")).to_be_visible()
    assert Campaign.objects.get(code=code).enrolments.filter(
        assessment__status="accepted"
    ).count() == len(UNITS)

    # The council's session: four of five present, one nomination, a secret ballot, the close.
    log_in(page, base, "tl.thidua")
    page.goto(f"{base}/council/{code}/sessions/")
    page.get_by_label("Ngày họp").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Địa điểm họp").fill("Hội trường UBND xã Tân Lập")
    page.get_by_role("button", name="Tạo phiên họp").click()
    session = CouncilSession.objects.get(campaign__code=code)
    session_url = f"{base}/council/{code}/sessions/{session.pk}/"
    page.goto(session_url)
    for _username, name, _role in COUNCIL[:4]:
        page.get_by_label(name, exact=False).check()
    page.get_by_role("button", name="Lưu thành phần tham dự").click()
    page.get_by_text("Thêm đề nghị (tập thể, cá nhân, hộ gia đình)").click()
    page.locator("#id_recipient_kind").select_option(label="Tập thể")
    page.locator("#id_enrolment").select_option(label=UNITS["TL-ND"])
    page.locator("#id_award").select_option(label=AWARD)
    page.get_by_role("button", name="Thêm đề nghị").click()
    expect(page.get_by_role("cell", name=UNITS["TL-ND"])).to_be_visible()
    page.get_by_role("button", name="Mở biểu quyết").click()
    page.locator("#confirm-dialog [data-confirm-ok]").click()  # 4/5 present, 1 nomination
    expect(page.get_by_text("Kết quả chỉ có sau khi kết thúc phiên họp")).to_be_visible()

    for username, _name, _role in [COUNCIL[0], COUNCIL[2], COUNCIL[3], COUNCIL[1]]:
        log_in(page, base, username)  # the secretary last
        page.goto(session_url)
        page.get_by_role("button", name="Đồng ý", exact=True).click()
        page.locator("#confirm-dialog").get_by_role("button", name="Biểu quyết: Đồng ý").click()
        expect(page.get_by_text("Bạn đã biểu quyết.")).to_be_visible()
    page.get_by_role("button", name="Kết thúc phiên họp").click()  # the secretary
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    expect(page.get_by_text("Đã kết thúc")).to_be_visible()

    # The officer issues the decision, signed by the chairman.
    log_in(page, base, "tl.thidua")
    page.goto(session_url)
    choose(page, "#id_signer", CHAIRMAN)
    page.get_by_role("button", name="Ban hành, cấp số quyết định").click()
    expect(page.get_by_text("Đã ban hành: Số 1/QĐ-UBND")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Quyết định khen thưởng (.docx)").click()
    text = docx_text(download.value.path())
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ TÂN LẬP" in text
    assert "Số: 1/QĐ-UBND" in text
    assert CHAIRMAN in text
    assert "CHỦ TỊCH" in text and "KT. CHỦ TỊCH" not in text
    assert UNITS["TL-ND"] in text

    # The next decision of the authority takes the next number of its register.
    people = {user.username: user for user in User.objects.filter(username__startswith="tl.")}
    campaign = Campaign.objects.get(code=code)
    second = votes.session_create(actor=people["tl.thidua"], campaign=campaign, held_on=today)
    for username, _name, _role in COUNCIL[:4]:
        votes.attendance_set(
            actor=people["tl.thidua"], session=second, user=people[username], present=True
        )
    nomination = votes.nomination_add(
        actor=people["tl.thidua"],
        session=second,
        enrolment=campaign.enrolments.get(unit__code="TL-MT"),
        award=Award.objects.get(name=AWARD),
    )
    votes.voting_open(actor=people["tl.thidua"], session=second)
    for username, _name, _role in COUNCIL[:4]:
        votes.vote_cast(voter=people[username], session=second, nomination=nomination, choice="yes")
    votes.session_close(actor=people["tl.thuky"], session=second)
    chairman = AuthoritySigner.objects.get(profile__authority=commune, full_name=CHAIRMAN)
    votes.decision_issue(actor=people["tl.thidua"], session=second, signer=chairman)
    second.refresh_from_db()
    assert second.decision_number == "2/QĐ-UBND"
    assert CouncilSession.objects.get(pk=session.pk).status == SessionStatus.CLOSED

    page.goto(f"{base}/units/{commune.pk}/register/")
    expect(page.get_by_role("cell", name="1/QĐ-UBND", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="2/QĐ-UBND", exact=True)).to_be_visible()
    # each decision's minutes take their number from the same register
    expect(page.get_by_role("cell", name="2/BB-HĐTĐKT", exact=True)).to_be_visible()
    assert IssuedDocument.objects.filter(authority=commune).count() == 4
