"""One action, one service: for each action not covered by test_parity.py and
test_parity_windows.py, the page (the real URL, the real POST, its confirmation step where it has
one) and the other door that exists for it (the management command, the workbook import, or the
direct service call the demo makes, with the same actor) leave the same history rows and the same
notices. Each door is a parameter; every test asserts the history row itself, so a door that went
around the service fails."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentStatus
from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignEvent, CampaignStatus, Registration
from notifications.models import Notification
from scoring import services as runs
from scoring.models import RunStatus, ScoringRun
from tests.assessments.conftest import World, build_world, criterion_add
from tests.assessments.test_assessment_views import hidden_form
from tests.assessments.workbooks import Sheets, good_sheets, workbook
from tests.factories import UnitFactory, authority_profile_of, kind, manager_of
from tests.scoring.scoring_cases import Case
from tests.votes.conftest import Council, make_council
from units.models import AuthorityEvent, AuthoritySigner, Unit
from votes import services as votes
from votes.models import Ballot, SealedBox, SessionStatus, VoteReceipt

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Row = tuple[str, ...]


def history(campaign: Campaign, *actions: str) -> list[Row]:
    """The campaign's history rows, oldest first, without who and when."""
    events = CampaignEvent.objects.filter(campaign=campaign).order_by("pk")
    if actions:
        events = events.filter(action__in=actions)
    return list(events.values_list("action", "subject", "old_value", "new_value", "reason"))


def assessment_history(assessment: Assessment, *fields: str) -> list[tuple[object, ...]]:
    events = assessment.events.order_by("pk")
    if fields:
        events = events.filter(field__in=fields)
    return list(events.values_list("field", "criterion__code", "old_value", "new_value", "reason"))


def notices() -> list[tuple[str, str]]:
    """Every notice sent, as (recipient, subject)."""
    return sorted(Notification.objects.values_list("user__username", "subject"))


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_confirmed(client: Client, url: str, data: dict[str, object]) -> None:
    """Post as the page does, then press the confirmation page's button (no JavaScript)."""
    asked = client.post(url, data)
    assert asked.status_code == 200, asked.status_code  # the confirmation page
    done = client.post(url, hidden_form(asked))
    assert done.status_code == 302, done.status_code


def import_by_command(sheets: Sheets, tmp_path: Path, *args: str) -> None:
    path = tmp_path / "phong-trao.xlsx"
    path.write_bytes(workbook(sheets))
    call_command("import_campaign", str(path), *args)


# Create and launch: the page, the import command, the demo's service call --------------------
# The import command is the system's door (no actor) and makes the campaign of good_sheets()
# under the province KG; the page and the demo's call make theirs under a district.


def a_province() -> None:
    UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))


def a_district() -> tuple[User, Unit]:
    district: Unit = UnitFactory(code="KL", name="Huyện Kiên Lương", kind=kind("huyen"))  # type: ignore[assignment]
    return manager_of(district), district


STARTS, ENDS = datetime.date(2019, 8, 8), datetime.date(2019, 12, 31)
OPENS, CLOSES = datetime.date(2019, 11, 1), datetime.date(2019, 11, 30)


def create_by_page(tmp_path: Path) -> Campaign:
    manager, district = a_district()
    response = logged_in(manager).post(
        reverse("campaigns:create"),
        {
            "code": "VHCS-2019",
            "title": "Văn hóa công sở 2019",
            "authority": district.pk,
            "starts_on": STARTS.isoformat(),
            "ends_on": ENDS.isoformat(),
            "window_opens_on": OPENS.isoformat(),
            "window_closes_on": CLOSES.isoformat(),
            "exemplary_per_block": 1,
            "review_stages": 1,
        },
    )
    assert response.status_code == 302, response.status_code
    return Campaign.objects.get(code="VHCS-2019")


def create_by_command(tmp_path: Path) -> Campaign:
    a_province()
    campaign_only = {"campaign": good_sheets()["campaign"]}  # no units: none enrolled
    import_by_command(campaign_only, tmp_path, "--authority", "KG")
    return Campaign.objects.get(code="VHCS-2019")


def create_as_the_demo(manager: User, district: Unit) -> Campaign:
    return campaign_services.campaign_create(
        actor=manager,
        code="VHCS-2019",
        title="Văn hóa công sở 2019",
        authority=district,
        starts_on=STARTS,
        ends_on=ENDS,
        window_opens_on=OPENS,
        window_closes_on=CLOSES,
    )


def create_by_service(tmp_path: Path) -> Campaign:
    return create_as_the_demo(*a_district())


@pytest.mark.parametrize("door", [create_by_page, create_by_command, create_by_service])
def test_every_door_that_creates_a_campaign_writes_the_same_history(door, tmp_path) -> None:  # type: ignore[no-untyped-def]
    campaign = door(tmp_path)
    assert campaign.status == CampaignStatus.DRAFT and campaign.checklist is not None
    assert history(campaign) == [("create", "", "", CampaignStatus.DRAFT, "")]
    assert notices() == []


def a_draft_ready_to_launch() -> tuple[User, Campaign]:
    """A draft with a scored criterion and two units enrolled, through the services."""
    manager, district = a_district()
    campaign = create_as_the_demo(manager, district)
    criterion_add(campaign, "1.1")
    units: list[Unit] = [UnitFactory(parent=district), UnitFactory(parent=district)]  # type: ignore[list-item]
    campaign_services.campaign_enrol(actor=manager, campaign=campaign, units=units)
    return manager, campaign


def launch_by_page(tmp_path: Path) -> Campaign:
    manager, campaign = a_draft_ready_to_launch()
    url = reverse("campaigns:transition", args=[campaign.code, "launch"])
    post_confirmed(logged_in(manager), url, {})
    return campaign


def launch_by_command(tmp_path: Path) -> Campaign:
    """A new campaign with units and a scored criterion is launched by the import. Its window
    lies ahead: one already past would be closed by the calendar right after the launch
    (tests/assessments/test_past_round.py)."""
    a_province()
    sheets = good_sheets()
    del sheets["self_scores"], sheets["review_scores"]
    ahead = [TODAY + datetime.timedelta(days=days) for days in (10, 90, 30, 60)]
    sheets["campaign"][1][2:6] = [day.isoformat() for day in ahead]
    import_by_command(sheets, tmp_path)
    return Campaign.objects.get(code="VHCS-2019")


def launch_by_service(tmp_path: Path) -> Campaign:
    manager, campaign = a_draft_ready_to_launch()
    return campaign_services.campaign_launch(actor=manager, campaign=campaign)


@pytest.mark.parametrize("door", [launch_by_page, launch_by_command, launch_by_service])
def test_every_door_that_launches_writes_the_same_history(door, tmp_path) -> None:  # type: ignore[no-untyped-def]
    campaign = door(tmp_path)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED and campaign.launched_at
    assert campaign.checklist.is_frozen  # type: ignore[union-attr]
    launched = ("status", "", CampaignStatus.DRAFT, CampaignStatus.LAUNCHED, "")
    assert history(campaign, "status") == [launched]
    assert history(campaign)[-1] == launched  # the last thing each door did
    assert notices() == []


# Reopen a unit's window: the page and the service call -----------------------------------------

REOPEN_REASON = "Đơn vị mất điện ba ngày cuối đợt tự chấm điểm."


def a_closed_window(media_root: Path) -> World:
    world = build_world()
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    return world


def reopen_by_page(world: World, until: datetime.date) -> None:
    enrolment = world.enrolment()
    url = reverse("campaigns:enrolment_reopen", args=[world.campaign.code, enrolment.pk])
    response = logged_in(world.manager).post(
        url, {"until": until.isoformat(), "reason": REOPEN_REASON}
    )
    assert response.status_code == 302, response.status_code


def reopen_by_service(world: World, until: datetime.date) -> None:
    campaign_services.enrolment_reopen(
        actor=world.manager, enrolment=world.enrolment(), until=until, reason=REOPEN_REASON
    )


@pytest.mark.parametrize("door", [reopen_by_page, reopen_by_service])
def test_every_door_that_reopens_a_window_writes_the_same_history(door, media_root) -> None:  # type: ignore[no-untyped-def]
    world = a_closed_window(media_root)
    until = TODAY + datetime.timedelta(days=5)
    before = history(world.campaign)
    door(world, until)
    assert world.enrolment().reopened_until == until
    assert history(world.campaign)[len(before) :] == [
        ("reopen", world.unit_a.code, "", until.isoformat(), REOPEN_REASON)
    ]
    assert notices() == []


# Register: the unit head sends, the manager accepts or returns -----------------------------------

TARGETS = "Hoàn thành xuất sắc; 100% cán bộ đeo thẻ công chức."
RETURN_REASON = "Chỉ tiêu chưa có số liệu cụ thể."


def send_by_page(world: World) -> None:
    response = logged_in(world.head_a).post(
        reverse("campaigns:registration_send", args=[world.campaign.code]), {"targets": TARGETS}
    )
    assert response.status_code == 302, response.status_code


def send_by_service(world: World) -> None:  # as the demo's unit heads do
    campaign_services.registration_send(
        actor=world.head_a, enrolment=world.enrolment(), targets=TARGETS
    )


@pytest.mark.parametrize("door", [send_by_page, send_by_service])
def test_every_door_that_sends_a_registration_writes_the_same_history(door, media_root) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    before = history(world.campaign)
    door(world)
    registration = Registration.objects.get(enrolment=world.enrolment())
    assert registration.status == Registration.Status.SENT and registration.targets == TARGETS
    assert history(world.campaign)[len(before) :] == [
        ("registration", world.unit_a.code, "", Registration.Status.SENT, "")
    ]
    assert notices() == []


def decide_by_page(world: World, registration: Registration, accept: bool) -> None:
    url = reverse("campaigns:registration_decide", args=[world.campaign.code, registration.pk])
    data = {"accept": "1"} if accept else {"accept": "0", "reason": RETURN_REASON}
    response = logged_in(world.manager).post(url, data)
    assert response.status_code == 302, response.status_code


def decide_by_service(world: World, registration: Registration, accept: bool) -> None:
    campaign_services.registration_decide(
        actor=world.manager,
        registration=registration,
        accept=accept,
        reason="" if accept else RETURN_REASON,
    )


@pytest.mark.parametrize("accept", [True, False], ids=["accept", "return"])
@pytest.mark.parametrize("door", [decide_by_page, decide_by_service])
def test_every_door_that_decides_a_registration_writes_the_same_history(  # type: ignore[no-untyped-def]
    door, accept, media_root
) -> None:
    world = build_world()
    send_by_service(world)
    registration = Registration.objects.get(enrolment=world.enrolment())
    before = history(world.campaign)
    door(world, registration, accept)
    registration.refresh_from_db()
    status = Registration.Status.ACCEPTED if accept else Registration.Status.RETURNED
    reason = "" if accept else RETURN_REASON
    assert (registration.status, registration.reason) == (status, reason)
    assert registration.decided_by == world.manager
    assert history(world.campaign)[len(before) :] == [
        ("registration", world.unit_a.code, Registration.Status.SENT, status, reason)
    ]
    said = "đã được chấp nhận" if accept else "bị trả lại"
    assert notices() == [(world.head_a.username, f"Đăng ký thi đua của {world.unit_a.name} {said}")]


# Return an assessment for revision: the review page and the service call (the demo's council) ---

REVISE = "Tiêu chí 1.1 chưa có ảnh chụp khuôn viên trụ sở; đề nghị bổ sung."


def return_by_page(world: World) -> None:
    url = reverse("assessments:review", args=[world.assessment().pk])
    post_confirmed(logged_in(world.reviewer), url, {"action": "return", "reason": REVISE})


def return_by_service(world: World) -> None:
    assessment_services.assessment_return(
        actor=world.reviewer, assessment=world.assessment(), reason=REVISE
    )


@pytest.mark.parametrize("door", [return_by_page, return_by_service])
def test_every_door_that_returns_an_assessment_writes_the_same_history_and_notice(  # type: ignore[no-untyped-def]
    door, media_root
) -> None:
    world = build_world()
    world.submit()
    door(world)
    assessment = world.assessment()
    assert assessment.status == AssessmentStatus.RETURNED and assessment.return_reason == REVISE
    assert assessment_history(assessment, "status", "review_score") == [
        ("status", None, AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, ""),
        ("status", None, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED, REVISE),
    ]
    returned = assessment.events.get(new_value=AssessmentStatus.RETURNED)
    assert returned.actor == world.reviewer
    subject = f"Bản tự chấm điểm của {world.unit_a.name} bị trả lại"
    assert notices() == [(world.head_a.username, subject)]


# Review scores saved: the review page, the service call, the campaign workbook's review sheet ---
# The page and the service call review a submitted assessment of a live campaign; the workbook
# brings the same review of a campaign kept on paper (submitted and reviewed in the file).

REVIEWED = [("review_score", "1.1", "", "6.5", "")]


def review_by_page(tmp_path: Path) -> tuple[Assessment, User]:
    world = build_world()
    world.submit()
    url = reverse("assessments:review", args=[world.assessment().pk])
    score = f"score_{world.criterion('1.1').pk}"
    response = logged_in(world.reviewer).post(url, {score: "6,5", "action": "save"})
    assert response.status_code == 302, response.status_code
    return world.assessment(), world.reviewer


def review_by_service(tmp_path: Path) -> tuple[Assessment, User]:
    world = build_world()
    world.submit()
    assessment_services.review_save(
        actor=world.reviewer, assessment=world.assessment(), entries=world.entries({"1.1": "6.5"})
    )
    return world.assessment(), world.reviewer


def review_by_command(tmp_path: Path) -> tuple[Assessment, User]:
    a_province()
    sheets = good_sheets()
    sheets["self_scores"] = sheets["self_scores"][:3]  # Thị trấn Kiên Lương, submitted
    sheets["review_scores"] = [sheets["review_scores"][0], ["hd.lan", "KL-TT", "1.1", 6.5, None]]
    import_by_command(sheets, tmp_path)
    assessment = Assessment.objects.get(enrolment__unit__code="KL-TT")
    return assessment, User.objects.get(username="hd.lan")


@pytest.mark.parametrize("door", [review_by_page, review_by_service, review_by_command])
def test_every_door_that_saves_review_scores_writes_the_same_history(  # type: ignore[no-untyped-def]
    door, media_root, tmp_path
) -> None:
    assessment, reviewer = door(tmp_path)
    review = assessment.reviews.get()
    assert (review.criterion.code, review.score, review.reviewer, review.stage) == (
        "1.1",
        Decimal("6.5"),
        reviewer,
        1,
    )
    # A saved review decides nothing; the workbook of a round kept on paper (its window passed)
    # also records that the council accepted the unit on paper.
    on_paper = door is review_by_command
    expected = AssessmentStatus.ACCEPTED if on_paper else AssessmentStatus.SUBMITTED
    assert assessment.status == expected
    assert assessment_history(assessment, "review_score") == REVIEWED
    assert notices() == []


# Cancel a scoring run: the runs page and the service call ---------------------------------------
# The run is queued through the service; this test's transaction never commits, so no worker
# takes it: a run stuck in the queue, as when the broker is down.

CANCEL_REASON = "Máy chủ hàng đợi bị tắt."


def cancel_by_page(case: Case, run: ScoringRun, manager: User) -> None:
    url = reverse("scoring:run_cancel", args=[case.campaign.code, run.pk])
    response = logged_in(manager).post(url, {"reason": CANCEL_REASON})
    assert response.status_code == 302, response.status_code


def cancel_by_service(case: Case, run: ScoringRun, manager: User) -> None:
    runs.scoring_run_cancel(actor=manager, run=run, reason=CANCEL_REASON)


@pytest.mark.parametrize("door", [cancel_by_page, cancel_by_service])
def test_every_door_that_cancels_a_run_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    case = Case().criterion("1").unit("Xã A", {"1": "9"}).unit("Xã B", {"1": "7"})
    manager = manager_of(case.campaign.authority)  # type: ignore[arg-type]
    run = runs.scoring_run_start(actor=manager, campaign=case.campaign)
    assert run.status == RunStatus.QUEUED
    door(case, run, manager)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and CANCEL_REASON in run.error
    assert history(case.campaign, "scoring_cancel") == [
        ("scoring_cancel", "1", RunStatus.QUEUED, RunStatus.FAILED, CANCEL_REASON)
    ]
    assert notices() == []


# Council sessions: open voting, vote, close; the session page and the service calls the demo
# makes. A council of three, the first the secretary, one nomination.


def session_url(council: Council, action: str) -> str:
    code = council.session.campaign.code
    return reverse("votes:action", args=[code, council.session.pk, action])


def subject_of(council: Council) -> str:
    return f"Phiên họp {council.session.held_on:%d/%m/%Y}"


def open_by_page(council: Council) -> None:
    response = logged_in(council.members[0]).post(session_url(council, "open"), {"confirmed": "1"})
    assert response.status_code == 302, response.status_code


def open_by_service(council: Council) -> None:
    votes.voting_open(actor=council.members[0], session=council.session)


@pytest.mark.parametrize("door", [open_by_page, open_by_service])
def test_every_door_that_opens_voting_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    council = make_council(3)
    council.attend(2)  # 2 of 3: a quorum of two thirds, compared exactly
    door(council)
    council.session.refresh_from_db()
    assert council.session.status == SessionStatus.VOTING
    assert SealedBox.objects.filter(nomination=council.nomination).count() == 1
    assert history(council.session.campaign, "voting_open") == [
        ("voting_open", subject_of(council), "", "2/3", "")
    ]
    assert notices() == []


def vote_by_page(council: Council, voter: User) -> None:
    response = logged_in(voter).post(
        session_url(council, "vote"),
        {"nomination": council.nomination.pk, "choice": "yes", "confirmed": "1"},
    )
    assert response.status_code == 302, response.status_code


def vote_by_service(council: Council, voter: User) -> None:
    votes.vote_cast(
        voter=voter, session=council.session, nomination=council.nomination, choice="yes"
    )


@pytest.mark.parametrize("door", [vote_by_page, vote_by_service])
def test_every_door_that_casts_a_vote_writes_a_receipt_and_no_history(door) -> None:  # type: ignore[no-untyped-def]
    council = make_council(3)
    council.open()
    voter = council.members[1]
    before = history(council.session.campaign)
    door(council, voter)
    receipts = VoteReceipt.objects.values_list("nomination", "user", "written")
    assert list(receipts) == [(council.nomination.pk, voter.pk, False)]
    box = SealedBox.objects.get(nomination=council.nomination)
    assert (box.yes, box.no, box.abstain) == (1, 0, 0)  # counted, not shown before the close
    assert history(council.session.campaign) == before  # nothing that says who chose what
    assert not CampaignEvent.objects.filter(actor=voter).exists()
    assert notices() == []


def close_by_page(council: Council) -> None:
    response = logged_in(council.members[0]).post(
        session_url(council, "close"), {"decided_on": "2026-12-25", "confirmed": "1"}
    )
    assert response.status_code == 302, response.status_code


def close_by_service(council: Council) -> None:
    votes.session_close(
        actor=council.members[0],
        session=council.session,
        decided_on=datetime.date(2026, 12, 25),
    )


@pytest.mark.parametrize("door", [close_by_page, close_by_service])
def test_every_door_that_closes_a_session_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    council = make_council(3)
    council.open()
    council.vote("yyn")
    door(council)
    council.session.refresh_from_db()
    assert council.session.status == SessionStatus.CLOSED
    assert council.session.decided_on == datetime.date(2026, 12, 25)
    assert council.session.decision_number == ""  # the number comes when it is issued
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["no", "yes", "yes"]
    assert not SealedBox.objects.exists()
    council.nomination.refresh_from_db()
    nomination = council.nomination
    assert (nomination.yes, nomination.no, nomination.passed) == (2, 1, True)  # a majority
    assert history(council.session.campaign, "session_close") == [
        ("session_close", subject_of(council), "", "1/1", "")
    ]
    assert notices() == []


def issue_by_page(council: Council, manager: User, signer: AuthoritySigner) -> None:
    response = logged_in(manager).post(session_url(council, "issue"), {"signer": signer.pk})
    assert response.status_code == 302, response.status_code


def issue_by_service(council: Council, manager: User, signer: AuthoritySigner) -> None:
    votes.decision_issue(actor=manager, session=council.session, signer=signer)


@pytest.mark.parametrize("door", [issue_by_page, issue_by_service])
def test_every_door_that_issues_a_decision_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    # a commune of today decides its own Giấy khen (Luật 06/2022 Điều 80 khoản 3)
    council = make_council(
        3, award="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", authority_kind="xa"
    )
    council.open()
    council.vote("yyn")
    council.close(decided_on=datetime.date(2026, 12, 25))
    authority = council.session.campaign.authority
    manager = manager_of(authority)
    head = authority_profile_of(authority).head
    door(council, manager, head)
    council.session.refresh_from_db()
    assert council.session.decision_number == "1/QĐ-UBND"
    assert history(council.session.campaign, "decision_issue") == [
        ("decision_issue", subject_of(council), "", "1/QĐ-UBND", "")
    ]
    events = AuthorityEvent.objects.filter(authority=authority, action="document_number_allocate")
    assert sorted(events.values_list("actor", "new_value")) == [
        (manager.pk, "1/BB-HĐTĐKT"),  # the minutes' number, from the same register
        (manager.pk, "1/QĐ-UBND"),
    ]
    assert notices() == []
