"""In the browser: a council member votes and the secretary closes the session."""

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import CouncilSeat
from scoring import pipeline
from scoring import services as runs
from tests.factories import MembershipFactory, UserFactory
from tests.scoring.scoring_cases import Case
from units.roles import Role
from votes.catalogue import catalogue_ensure
from votes.models import (
    Award,
    AwardTerm,
    Ballot,
    BaseSalary,
    CouncilSession,
    SessionStatus,
    VoteReceipt,
)
from votes.services import (
    attendance_set,
    nominations_prefill,
    session_create,
    voting_open,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-pass-123"


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def vote_yes(page: Page) -> None:
    """The ballot asks once, with the choice shown back, before it is cast."""
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text("Bạn chọn “Đồng ý” cho đề nghị")
    dialog.get_by_role("button", name="Biểu quyết: Đồng ý").click()


def a_session_in_vote(live_server: object, absent: bool = False) -> str:
    """Two members present (and one absent if asked), one nomination, voting open: the session
    page's address."""
    case = Case().criterion("1").unit("Xã Bình An", {"1": "10"})
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    runs.scoring_run_publish(actor=None, run=run, publish_unreviewed=True)
    member = UserFactory(username="council", password=PASSWORD, roles=[Role.COUNCIL_MEMBER])
    secretary = UserFactory(username="secretary", password=PASSWORD, roles=[Role.COUNCIL_MEMBER])
    CouncilSeat.objects.create(campaign=case.campaign, user=member)
    CouncilSeat.objects.create(
        campaign=case.campaign, user=secretary, role=CouncilSeat.Role.SECRETARY
    )
    if absent:
        away = UserFactory(roles=[Role.COUNCIL_MEMBER], first_name="Vắng", last_name="Mặt")
        CouncilSeat.objects.create(campaign=case.campaign, user=away)
    MembershipFactory(
        user=UserFactory(roles=[Role.CAMPAIGN_MANAGER]),
        unit=case.campaign.authority,
        role="officer",
    )
    session = session_create(actor=None, campaign=case.campaign, held_on="2026-12-20")
    for user in (member, secretary):
        attendance_set(actor=None, session=session, user=user, present=True)
    # the catalogue, back after an earlier transactional test's flush
    catalogue_ensure(Award, BaseSalary, AwardTerm)
    award = Award.objects.get(name="Tập thể lao động xuất sắc")
    nominations_prefill(actor=None, session=session, award=award)
    voting_open(actor=None, session=session)
    base = live_server.url  # type: ignore[attr-defined]
    return f"{base}/council/{case.campaign.code}/sessions/{session.pk}/"


def test_a_member_votes_and_the_secretary_closes(live_server: object, page: Page) -> None:
    url = a_session_in_vote(live_server)
    base = live_server.url  # type: ignore[attr-defined]

    log_in(page, base, "council")
    page.goto(url)
    vote_yes(page)
    expect(page.get_by_text("Đã ghi nhận phiếu.")).to_be_visible()
    expect(page.get_by_text("Bạn đã biểu quyết.")).to_be_visible()

    log_in(page, base, "secretary")
    page.goto(url)
    vote_yes(page)
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text("Mọi thành viên có mặt đã biểu quyết")
    dialog.locator("[data-confirm-ok]").click()
    expect(page.get_by_text("Đã kết thúc")).to_be_visible()
    expect(page.get_by_text("2/2 thành viên (100%)").first).to_be_visible()
    expect(page.get_by_role("link", name="Quyết định khen thưởng (.docx)")).to_be_visible()
    assert CouncilSession.objects.get().status == SessionStatus.CLOSED
    assert Ballot.objects.filter(choice="yes").count() == 2


@pytest.mark.parametrize("width", [390, 1366])
def test_a_close_with_a_missing_ballot_is_refused_without_the_tick_box(
    live_server: object, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
    url = a_session_in_vote(live_server)
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "council")
    page.goto(url)
    vote_yes(page)

    log_in(page, base, "secretary")  # who has not voted
    page.goto(url)
    expect(page.locator("[data-missing-ballots]")).to_contain_text("chưa biểu quyết")
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text("Còn 1 thành viên có mặt chưa biểu quyết đủ (1 phiếu)")
    dialog.locator("[data-confirm-ok]").click()
    expect(page.locator("[data-form-errors]")).to_contain_text("Kết thúc dù còn phiếu chưa bỏ")
    assert CouncilSession.objects.get().status == SessionStatus.VOTING

    page.get_by_label("Kết thúc dù còn phiếu chưa bỏ").check()
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    expect(page.get_by_text("Đã kết thúc")).to_be_visible()
    assert CouncilSession.objects.get().status == SessionStatus.CLOSED
    assert Ballot.objects.count() == 1


def test_a_written_ballot_shows_the_member_and_the_choice_in_its_dialog(
    live_server: object, page: Page
) -> None:
    url = a_session_in_vote(live_server, absent=True)
    log_in(page, live_server.url, "secretary")  # type: ignore[attr-defined]
    page.goto(url)
    page.get_by_label("Phiếu bằng văn bản").select_option(label="Không đồng ý")
    page.get_by_role("button", name="Ghi phiếu bằng văn bản").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text("Không đồng ý")
    expect(dialog).to_contain_text("Vắng Mặt")
    dialog.locator("[data-confirm-ok]").click()
    expect(page.get_by_text("Đã ghi nhận phiếu.")).to_be_visible()
    assert VoteReceipt.objects.get().written is True
