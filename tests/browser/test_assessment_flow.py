"""In the browser: a unit head fills the checklist, uploads evidence and submits; a reviewer
returns it with a reason; the unit resubmits; the reviewer accepts. The reviewer takes the unit's
own scores with one button, and accepting with every box blank asks whether they stand."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Assessment, AssessmentStatus
from campaigns import services as campaign_services
from campaigns.models import Checklist
from tests.campaigns.test_services import PDF
from tests.factories import (
    BlockFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    kind,
)
from units.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-pass-123"


@pytest.fixture
def world(tmp_path: Path, settings: object) -> dict[str, object]:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    district = UnitFactory(code="MT-H", name="Ủy ban MTTQ Việt Nam huyện", kind=kind("mttq"))
    cam_yen = UnitFactory(name="Ủy ban MTTQ Việt Nam xã Cẩm Yên", parent=district)
    block = BlockFactory(name="Cụm MTTQ các xã")
    block.members.set([cam_yen])
    head = UserFactory(username="unithead", password=PASSWORD, roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=cam_yen, role="head")
    council = UserFactory(username="council", password=PASSWORD, roles=[Role.COUNCIL_MEMBER])
    campaign = campaign_services.campaign_create(
        actor=None,
        code="VHCS-2022",
        title="Văn hóa công sở và nơi công cộng",
        authority=district,
        starts_on="2022-06-09",
        ends_on="2099-12-31",
        window_opens_on="2022-06-10",
        window_closes_on="2099-12-01",
    )
    checklist: Checklist = campaign.checklist  # type: ignore[assignment]
    section = campaign_services.criterion_save(
        actor=None, checklist=checklist, code="I", title="Thái độ", max_points=Decimal(0)
    )
    campaign_services.criterion_save(
        actor=None,
        checklist=checklist,
        code="1.1",
        parent=section,
        title="Thái độ với người dân",
        max_points=Decimal(10),
        evidence_required=True,
    )
    campaign_services.criterion_save(
        actor=None,
        checklist=checklist,
        code="1.2",
        parent=section,
        title="Không uống rượu bia",
        kind="yes_no",
        max_points=Decimal(5),
        critical=True,
    )
    campaign_services.campaign_enrol_block(actor=None, campaign=campaign, block=block)
    campaign_services.campaign_launch(actor=None, campaign=campaign)
    campaign_services.campaign_transition(actor=None, campaign=campaign, action="open_window")
    campaign_services.council_seat_set(actor=None, campaign=campaign, user=council)
    services.review_assign(actor=None, campaign=campaign, reviewer=council, block=block)
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(PDF)
    return {"evidence": evidence, "enrolment": campaign.enrolments.get()}


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_whole_round_of_self_assessment_and_review(
    live_server: object, page: Page, world: dict[str, object]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "unithead")
    page.get_by_role("link", name="Tự chấm điểm").first.click()
    page.get_by_role("link", name="Chấm điểm", exact=True).click()
    page.get_by_label("1.1. Thái độ với người dân").fill("8.5")
    page.get_by_role("group", name="1.2. Không uống rượu bia").get_by_label(
        "Đạt", exact=True
    ).check()
    expect(page.locator("#running-total")).to_contain_text("13,50 / 15,00")
    page.get_by_role("button", name="Nộp bản tự chấm điểm").click()
    page.get_by_role("dialog").get_by_role("button", name="Nộp bản tự chấm điểm").click()
    missing = page.get_by_role("link", name="1.1. Thái độ với người dân: chưa có minh chứng")
    expect(missing).to_be_visible()
    expect(page.get_by_role("alert").filter(has=missing)).to_be_focused()
    page.get_by_label("Minh chứng 1.1").set_input_files(str(world["evidence"]))
    page.get_by_role("button", name="Nộp bản tự chấm điểm").click()
    page.get_by_role("dialog").get_by_role("button", name="Nộp bản tự chấm điểm").click()
    expect(page.get_by_text("Đã nộp bản tự chấm điểm.")).to_be_visible()

    log_in(page, base, "council")
    page.get_by_role("link", name="Thẩm định", exact=True).first.click()
    page.get_by_role("link", name="Thẩm định", exact=True).last.click()
    expect(page.get_by_role("link", name="bien-ban.pdf")).to_be_visible()
    page.get_by_label("1.1. Thái độ với người dân").fill("7")
    page.get_by_label("Lý do trả lại").fill("Bổ sung biên bản họp")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    page.get_by_role("dialog").get_by_role("button", name="Trả lại để bổ sung").click()
    expect(page.get_by_text("Đã trả lại bản tự chấm điểm.")).to_be_visible()

    log_in(page, base, "unithead")
    page.get_by_role("link", name="Tự chấm điểm").first.click()
    page.get_by_role("link", name="Chấm điểm", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Bổ sung biên bản họp")).to_be_visible()
    page.get_by_label("1.1. Thái độ với người dân").fill("9")
    page.get_by_role("button", name="Nộp bản tự chấm điểm").click()
    page.get_by_role("dialog").get_by_role("button", name="Nộp bản tự chấm điểm").click()
    expect(page.get_by_text("Đã nộp bản tự chấm điểm.")).to_be_visible()

    log_in(page, base, "council")
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name="Thẩm định", exact=True).last.click()
    page.get_by_role("button", name="Chấp nhận").click()
    page.get_by_role("dialog").get_by_role("button", name="Chấp nhận").click()
    expect(page.get_by_text("Đã chấp nhận bản tự chấm điểm.")).to_be_visible()

    assessment = Assessment.objects.get(enrolment=world["enrolment"])
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert assessment.items.get(criterion__code="1.1").self_score == Decimal("9")
    assert assessment.reviews.get(criterion__code="1.1").score == Decimal("7")
    assert assessment.events.filter(
        field="status", new_value="returned", reason="Bổ sung biên bản họp"
    ).exists()


def submitted(world: dict[str, object]) -> Assessment:
    """The unit's assessment, submitted with 1.1 at 8,5 and 1.2 passed (Đạt)."""
    enrolment = world["enrolment"]
    assessment = services.assessment_for(enrolment)  # type: ignore[arg-type]
    head = enrolment.unit.memberships.get(role="head").user  # type: ignore[attr-defined]
    criteria = {c.code: c.pk for c in enrolment.campaign.checklist.criteria.all()}  # type: ignore[attr-defined]
    services.assessment_save_draft(
        actor=head,
        assessment=assessment,
        version=assessment.version,
        entries={criteria["1.1"]: ("8.5", ""), criteria["1.2"]: ("5", "")},
    )
    services.evidence_add(
        actor=head,
        assessment=assessment,
        criterion_id=criteria["1.1"],
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )
    return services.assessment_submit(actor=head, assessment=assessment, version=assessment.version)


def open_review(page: Page, base: str) -> None:
    log_in(page, base, "council")
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name="Thẩm định", exact=True).last.click()


def test_the_reviewer_takes_the_units_own_scores_for_every_blank_box(
    live_server: object, page: Page, world: dict[str, object]
) -> None:
    assessment = submitted(world)
    open_review(page, live_server.url)  # type: ignore[attr-defined]
    score = page.get_by_label("1.1. Thái độ với người dân")
    passed = page.get_by_role("group", name="1.2. Không uống rượu bia").get_by_label(
        "Đạt", exact=True
    )
    expect(score).to_have_value("")
    expect(passed).not_to_be_checked()

    page.get_by_role("button", name="Lấy điểm tự chấm cho mọi ô còn trống").click()
    expect(score).to_have_value("8,5")
    expect(passed).to_be_checked()

    score.fill("7")  # the reviewer changes one, then thinks better of it
    page.get_by_role("button", name="Lấy điểm tự chấm 1.1").click()
    expect(score).to_have_value("8,5")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text("Đã lưu điểm thẩm định.")).to_be_visible()
    assert sorted(assessment.reviews.values_list("criterion__code", "score")) == [
        ("1.1", Decimal("8.5")),
        ("1.2", Decimal(5)),
    ]


def test_accepting_with_every_box_blank_asks_whether_the_units_scores_stand(
    live_server: object, page: Page, world: dict[str, object]
) -> None:
    assessment = submitted(world)
    open_review(page, live_server.url)  # type: ignore[attr-defined]
    page.get_by_label("Nhận xét 1.1").fill("Biên bản rõ ràng, nhiều dòng\nvà dài")
    page.get_by_role("button", name="Chấp nhận").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Chưa có điểm thẩm định nào cho Ủy ban MTTQ Việt Nam xã Cẩm Yên")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED

    page.get_by_role("button", name="Chấp nhận").click()
    dialog.get_by_role("button", name="Giữ điểm tự chấm và chấp nhận").click()
    expect(page.get_by_text("Đã chấp nhận bản tự chấm điểm.")).to_be_visible()
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert not assessment.reviews.exists()


PHONE = {"width": 390, "height": 844}
MEASURE = """() => {
  const boxes = [...document.querySelectorAll(
    ".score-sheet input:not([type=hidden]):not([type=radio]), .score-sheet textarea,"
    + " .score-sheet .pass-fail .form-check, .score-sheet button:not(.btn-link)"
  )].filter((element) => element.offsetParent !== null);
  return {
    pageWidth: document.documentElement.scrollWidth,
    lowest: Math.min(...boxes.map((element) => element.getBoundingClientRect().height)),
    scoreWidth: Math.min(...[...document.querySelectorAll(".score-sheet input[inputmode=decimal]")]
      .map((element) => element.getBoundingClientRect().width)),
  };
}"""


def test_both_forms_fit_a_phone_with_boxes_a_finger_can_hit(
    live_server: object, page: Page, world: dict[str, object]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)
    log_in(page, base, "unithead")
    page.goto(f"{base}/assessments/{world['enrolment'].pk}/")  # type: ignore[attr-defined]
    own = page.evaluate(MEASURE)
    submitted(world)
    open_review(page, base)
    review = page.evaluate(MEASURE)
    for measured in (own, review):
        assert measured["pageWidth"] <= PHONE["width"], measured
        assert measured["lowest"] >= 44, measured
        assert measured["scoreWidth"] >= 120, measured
