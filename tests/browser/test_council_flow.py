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
from votes.models import Award, AwardTerm, Ballot, BaseSalary, CouncilSession, SessionStatus
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


def test_a_member_votes_and_the_secretary_closes(live_server: object, page: Page) -> None:
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
    url = f"{base}/council/{case.campaign.code}/sessions/{session.pk}/"

    log_in(page, base, "council")
    page.goto(url)
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    expect(page.get_by_text("Đã ghi nhận phiếu.")).to_be_visible()
    expect(page.get_by_text("Bạn đã biểu quyết.")).to_be_visible()

    log_in(page, base, "secretary")
    page.goto(url)
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(page.get_by_text("Đã kết thúc")).to_be_visible()
    expect(page.get_by_text("2/2 thành viên (100%)").first).to_be_visible()
    expect(page.get_by_role("link", name="Quyết định khen thưởng (.docx)")).to_be_visible()
    assert CouncilSession.objects.get(pk=session.pk).status == SessionStatus.CLOSED
    assert Ballot.objects.filter(choice="yes").count() == 2
