"""The Excel import (docs/domain.md, "Data exchange"): all or nothing, keyed by code, idempotent."""

import copy
import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.exchange import WorkbookError, campaign_import, workbook_template
from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentItem,
    CriterionScore,
    ReviewItem,
)
from assessments.tallies import criterion_scores_drift
from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignEvent, CampaignStatus, CouncilSeat, Criterion
from tests.assessments.workbooks import (
    Sheets,
    counts,
    good_sheets,
    snapshot,
    workbook,
    workbook_file,
)
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Block, BlockMember, Unit, UnitKind
from units.roles import Role

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def province() -> Unit:
    """The province above the district, already in the database; the city RG lies under it."""
    province = UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    UnitFactory(code="RG", name="Thành phố Rạch Giá", kind=kind("huyen"), parent=province)
    return province


@pytest.fixture
def member() -> User:
    """A council member who already has an account (and a password)."""
    return UserFactory(username="thanh.pct")


def run(sheets: Sheets, **kwargs: object):  # type: ignore[no-untyped-def]
    """Import as the system (the management command's door) unless an actor is given."""
    kwargs.setdefault("actor", None)
    return campaign_import(workbook_file=workbook_file(sheets), **kwargs)  # type: ignore[arg-type]


def set_cell(sheets: Sheets, sheet: str, row: int, column: str, value: object) -> None:
    """Write `value` at an Excel row (header = row 1) and a column named in the header."""
    rows = sheets[sheet]
    rows[row - 1][rows[0].index(column)] = value


def assessment_of(unit_code: str) -> Assessment:
    return Assessment.objects.get(enrolment__unit__code=unit_code)


# A good file -------------------------------------------------------------------------------------


def test_a_good_file_creates_the_campaign_and_launches_it(province: Unit, member: User) -> None:
    summary = run(good_sheets())

    campaign = Campaign.objects.get(code="VHCS-2019")
    assert summary.campaign == campaign
    assert campaign.title == "Văn hóa công sở 2019"
    assert campaign.starts_on == datetime.date(2019, 8, 8)
    assert campaign.ends_on == datetime.date(2019, 12, 31)
    assert campaign.window_opens_on == datetime.date(2019, 11, 1)
    assert campaign.window_closes_on == datetime.date(2019, 11, 30)
    assert campaign.authority == province  # the one root's parent, found in the database
    # Launched, and its window (November 2019) passed long ago: closed at once by the calendar.
    assert campaign.status == CampaignStatus.WINDOW_CLOSED
    assert campaign.checklist.is_frozen
    assert (summary.units, summary.criteria, summary.assessments, summary.review_scores) == (
        4,
        5,
        3,
        4,
    )


def test_a_good_file_creates_units_with_their_parents_and_kinds(province: Unit) -> None:
    run(good_sheets())

    district = Unit.objects.get(code="KL")
    assert district.parent == province
    assert district.kind.code == "huyen"
    assert Unit.objects.get(code="KL-TT").parent == district
    assert Unit.objects.get(code="KL-BA").kind.code == "xa"  # matched by the kind's name
    farmers = Unit.objects.get(code="KL-HND").kind
    assert (farmers.code, farmers.name) == ("hoi_nong_dan", "Hội Nông dân")  # a new kind


def test_a_good_file_enrols_every_unit_it_names_in_its_block(province: Unit) -> None:
    campaign = run(good_sheets()).campaign

    enrolments = {e.unit.code: e for e in campaign.enrolments.select_related("unit", "block")}
    assert set(enrolments) == {"KL", "KL-TT", "KL-BA", "KL-HND"}
    block = Block.objects.get(code="K-XA")
    assert block.name == "Khối xã, thị trấn"
    assert set(block.members.values_list("code", flat=True)) == {"KL-TT", "KL-BA"}
    assert enrolments["KL-TT"].block == block
    assert enrolments["KL-BA"].block == block
    assert enrolments["KL"].block is None


def test_a_good_file_stores_the_checklist_in_row_order(province: Unit) -> None:
    campaign = run(good_sheets()).campaign

    criteria = list(Criterion.objects.filter(checklist=campaign.checklist).order_by("order"))
    assert [c.code for c in criteria] == ["I", "1.1", "1.2", "2", "3"]
    section, points, yes_no, deduction, bonus = criteria
    assert section.parent is None and section.max_points == 0
    assert points.parent == section and points.max_points == 10 and points.evidence_required
    assert yes_no.kind == "yes_no" and yes_no.critical and yes_no.parent == section
    assert (deduction.kind, bonus.kind) == ("deduction", "bonus")


def test_a_unit_with_a_submitted_on_day_is_submitted_at_the_latest_day(province: Unit) -> None:
    run(good_sheets())

    submitted = assessment_of("KL-TT")
    midnight = datetime.datetime(2019, 11, 25, tzinfo=VIETNAM)
    # Submitted on that day, and accepted on paper: the file brings its review of a past round.
    assert submitted.status == "accepted"
    assert submitted.submitted_at == midnight
    assert submitted.last_submitted_at == midnight
    items = {i.criterion.code: i for i in submitted.items.select_related("criterion")}
    assert items["1.1"].self_score == Decimal("9.5")
    assert items["1.1"].note == "Đeo thẻ đầy đủ"
    assert items["2"].self_score is None  # a blank deduction is stored as NULL


def test_a_unit_without_a_submitted_on_day_is_a_draft(province: Unit) -> None:
    run(good_sheets())

    draft = assessment_of("KL-BA")
    assert draft.status == "draft"
    assert draft.submitted_at is None
    scores = dict(draft.items.values_list("criterion__code", "self_score"))
    assert scores == {"1.1": Decimal(7), "1.2": None}


def test_review_scores_are_stored_and_a_missing_reviewer_gets_an_account_without_password(
    province: Unit, member: User
) -> None:
    campaign = run(good_sheets()).campaign

    reviewer = User.objects.get(username="hd.lan")
    assert not reviewer.has_usable_password()
    assert reviewer.groups.filter(name=Role.COUNCIL_MEMBER).exists()
    assert CouncilSeat.objects.filter(campaign=campaign, user=reviewer).exists()
    assert CouncilSeat.objects.filter(campaign=campaign, user=member).exists()
    review = ReviewItem.objects.get(
        reviewer=reviewer, criterion__code="1.1", stage=1, assessment__enrolment__unit__code="KL-TT"
    )
    assert (review.score, review.comment) == (Decimal(9), "Cần niêm yết thủ tục đầy đủ")
    assert ReviewItem.objects.get(reviewer=member).score == Decimal("6.5")
    assert member.has_usable_password()  # an existing account is left as it was


def test_a_review_of_a_unit_without_self_scores_hangs_on_an_empty_draft(province: Unit) -> None:
    run(good_sheets())

    assessment = assessment_of("KL-HND")
    assert assessment.status == "draft"
    assert not assessment.items.exists()
    assert assessment.reviews.get().score == Decimal(8)


def test_score_changes_are_recorded_as_assessment_events(province: Unit) -> None:
    run(good_sheets())

    events = AssessmentEvent.objects.filter(assessment=assessment_of("KL-TT"))
    assert set(events.values_list("field", "criterion__code", "new_value")) == {
        ("status", None, "submitted"),
        ("status", None, "accepted"),  # reviewed in the file of a past round: accepted on paper
        ("self_score", "1.1", "9.5"),
        ("note", "1.1", "Đeo thẻ đầy đủ"),
        ("self_score", "1.2", "5"),
        ("review_score", "1.1", "9"),
        ("review_score", "1.2", "5"),
    }
    assert all(event.actor is None for event in events)


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(province: Unit) -> None:
    sheets = good_sheets()
    sheets["self_scores"].insert(3, [None] * 5)  # an empty row 4
    set_cell(sheets, "self_scores", 6, "score", "abc")  # was row 5: KL-BA, 1.1

    with pytest.raises(WorkbookError) as refused:
        run(sheets)

    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "self_scores",
        6,
        "score",
    )


def test_only_the_campaign_sheet_is_required() -> None:
    sheets = {"campaign": good_sheets()["campaign"]}

    campaign = run(sheets).campaign

    assert campaign.status == CampaignStatus.DRAFT  # nothing to launch with
    assert campaign.authority is None


# Importing again ---------------------------------------------------------------------------------


def test_second_import_of_the_same_file_changes_nothing(province: Unit, member: User) -> None:
    run(good_sheets())
    before = snapshot()

    summary = run(good_sheets())

    assert snapshot() == before
    assert not summary.changed


def test_second_import_of_the_template_changes_nothing() -> None:
    campaign_import(actor=None, workbook_file=io.BytesIO(workbook_template()))
    before = snapshot()

    campaign_import(actor=None, workbook_file=io.BytesIO(workbook_template()))

    assert snapshot() == before


def test_an_updated_file_updates_names_and_records_score_changes(province: Unit) -> None:
    run(good_sheets())
    draft_version = assessment_of("KL-BA").version
    submitted_version = assessment_of("KL-TT").version
    sheets = good_sheets()
    set_cell(sheets, "units", 4, "name", "Xã Bình An (mới)")
    set_cell(sheets, "self_scores", 5, "score", 8)
    manager = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=province, role="officer")
    before = counts()

    summary = run(sheets, actor=manager)

    assert Unit.objects.get(code="KL-BA").name == "Xã Bình An (mới)"
    draft = assessment_of("KL-BA")
    assert draft.items.get(criterion__code="1.1").self_score == Decimal(8)
    event = AssessmentEvent.objects.get(assessment=draft, field="self_score", old_value="7.00")
    assert (event.criterion.code, event.new_value, event.actor) == ("1.1", "8", manager)
    assert event.version == draft.version == draft_version + 1
    assert assessment_of("KL-TT").version == submitted_version  # untouched
    assert counts() == {**before, "AssessmentEvent": before["AssessmentEvent"] + 1}
    assert summary.updated == {"unit": 1, "assessment_item": 1, "assessment": 1}


def test_a_changed_note_is_recorded_without_a_score_event(province: Unit) -> None:
    run(good_sheets())
    sheets = good_sheets()
    set_cell(sheets, "self_scores", 5, "note", "Đã bổ sung")

    run(sheets)

    events = AssessmentEvent.objects.filter(assessment=assessment_of("KL-BA"), old_value="Bản nháp")
    assert list(events.values_list("field", "new_value")) == [("note", "Đã bổ sung")]


def test_a_unit_that_left_a_block_competes_in_none(province: Unit) -> None:
    run(good_sheets())
    sheets = good_sheets()
    del sheets["blocks"][2]  # KL-BA leaves K-XA

    campaign = run(sheets).campaign

    assert not BlockMember.objects.filter(unit__code="KL-BA").exists()
    assert campaign.enrolments.get(unit__code="KL-BA").block is None
    assert CampaignEvent.objects.filter(campaign=campaign, action="block", subject="KL-BA").exists()


def test_enrolments_the_file_no_longer_names_are_kept(province: Unit) -> None:
    run(good_sheets())
    sheets = good_sheets()
    del sheets["units"][4]  # KL-HND
    del sheets["review_scores"][4]

    campaign = run(sheets).campaign

    assert campaign.enrolments.filter(unit__code="KL-HND").exists()


def test_an_existing_campaigns_status_and_authority_are_kept(province: Unit) -> None:
    campaign = draft_campaign(province)

    run(good_sheets())

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.authority == province
    assert campaign.title == "Văn hóa công sở 2019"
    assert CampaignEvent.objects.filter(campaign=campaign, action="update", subject="title")


def test_the_authority_option_sets_the_authority(province: Unit) -> None:
    campaign = run(good_sheets(), authority_code="KL").campaign

    assert campaign.authority.code == "KL"


def test_an_unknown_authority_code_is_refused_and_nothing_is_written(province: Unit) -> None:
    before = counts()

    with pytest.raises(Exception, match="ZZ"):
        run(good_sheets(), authority_code="ZZ")

    assert counts() == before


def test_a_frozen_checklist_imported_unchanged_is_accepted(province: Unit) -> None:
    run(good_sheets())
    sheets = good_sheets()
    set_cell(sheets, "self_scores", 5, "score", 6)

    run(sheets)

    assert assessment_of("KL-BA").items.get(criterion__code="1.1").self_score == 6


def test_a_changed_criterion_of_a_frozen_checklist_is_refused(province: Unit) -> None:
    run(good_sheets())
    sheets = good_sheets()
    set_cell(sheets, "criteria", 4, "max_points", 10)
    before = snapshot()

    with pytest.raises(WorkbookError, match="Bộ tiêu chí đã khóa") as refused:
        run(sheets)

    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "criteria",
        4,
        "max_points",
    )
    assert snapshot() == before


def test_a_criterion_left_out_of_a_frozen_checklist_is_refused(province: Unit) -> None:
    run(good_sheets())
    sheets = good_sheets()
    del sheets["criteria"][5]

    with pytest.raises(WorkbookError, match="Bộ tiêu chí đã khóa") as refused:
        run(sheets)

    assert (refused.value.row, refused.value.column) == (6, "code")


def test_a_reviewer_may_not_review_their_own_unit(province: Unit, member: User) -> None:
    run(good_sheets())
    MembershipFactory(user=member, unit=Unit.objects.get(code="KL-BA"))
    before = snapshot()

    with pytest.raises(WorkbookError, match="không được thẩm định") as refused:
        run(good_sheets())

    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "review_scores",
        4,
        "unit_code",
    )
    assert snapshot() == before


# Bad files ---------------------------------------------------------------------------------------


def cell(sheet: str, row: int, column: str, value: object) -> Callable[[Sheets], None]:
    return lambda sheets: set_cell(sheets, sheet, row, column, value)


def append(sheet: str, row: list[object]) -> Callable[[Sheets], None]:
    return lambda sheets: sheets[sheet].append(row)


def drop_column(sheet: str, column: str) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        index = sheets[sheet][0].index(column)
        for row in sheets[sheet]:
            del row[index]

    return change


def drop_row(sheet: str, row: int) -> Callable[[Sheets], None]:
    return lambda sheets: sheets[sheet].pop(row - 1)


def add_sheet(name: str) -> Callable[[Sheets], None]:
    return lambda sheets: sheets.update({name: [["code"], ["x"]]})


def drop_sheet(name: str) -> Callable[[Sheets], None]:
    return lambda sheets: sheets.pop(name)


BAD_FILES = {
    "wrong sheet name": (add_sheet("Sheet1"), "Sheet1", None, None, "không phải tên trang tính"),
    "no campaign sheet": (drop_sheet("campaign"), "campaign", None, None, "thiếu trang tính"),
    "two campaign rows": (
        append("campaign", ["X", "X", "2019-01-01", "2019-01-02", "2019-01-01", "2019-01-02"]),
        "campaign",
        3,
        None,
        "đúng một dòng",
    ),
    "missing column": (drop_column("units", "kind"), "units", 1, "kind", "thiếu cột"),
    "missing score column": (
        drop_column("review_scores", "score"),
        "review_scores",
        1,
        "score",
        "thiếu cột",
    ),
    "text in a number cell": (
        cell("self_scores", 5, "score", "abc"),
        "self_scores",
        5,
        "score",
        "“abc” không phải là số.",
    ),
    "text in max_points": (
        cell("criteria", 3, "max_points", "mười"),
        "criteria",
        3,
        "max_points",
        "không phải là số",
    ),
    "score above the max": (
        cell("self_scores", 2, "score", 11),
        "self_scores",
        2,
        "score",
        "phải từ 0 đến 10",
    ),
    "negative review score": (
        cell("review_scores", 4, "score", -1),
        "review_scores",
        4,
        "score",
        "phải từ 0 đến",
    ),
    "bonus above the max": (
        append("self_scores", ["KL-BA", "3", 6, None, None]),
        "self_scores",
        7,
        "score",
        "phải từ 0 đến 5",
    ),
    "score off the step": (
        cell("self_scores", 5, "score", 7.3),
        "self_scores",
        5,
        "score",
        "phải theo bước 0.5",
    ),
    "deduction off the step": (
        cell("self_scores", 4, "score", 0.25),
        "self_scores",
        4,
        "score",
        "phải theo bước",
    ),
    "yes_no neither 0 nor max": (
        cell("self_scores", 3, "score", 3),
        "self_scores",
        3,
        "score",
        "chỉ nhận 0 hoặc 5",
    ),
    "score for a section": (
        append("self_scores", ["KL-BA", "I", 5, None, None]),
        "self_scores",
        7,
        "score",
        "là mục",
    ),
    "review score for a section": (
        append("review_scores", ["hd.lan", "KL-BA", "I", 5, None]),
        "review_scores",
        6,
        "score",
        "là mục",
    ),
    "unknown parent unit": (
        cell("units", 5, "parent_code", "XX"),
        "units",
        5,
        "parent_code",
        "“XX” không có trong trang units",
    ),
    "unknown parent criterion": (
        cell("criteria", 3, "parent_code", "IX"),
        "criteria",
        3,
        "parent_code",
        "“IX” không có trong trang criteria",
    ),
    "unit hierarchy cycle": (
        cell("units", 2, "parent_code", "KL-TT"),
        "units",
        2,
        "parent_code",
        "vòng lặp: KL → KL-TT → KL",
    ),
    "unit hierarchy cycle through the database": (
        append("units", ["KG", "Tỉnh Kiên Giang", "tinh", "RG"]),
        "units",
        6,
        "parent_code",
        "vòng lặp: KG → RG → KG",
    ),
    "unit that is its own parent": (
        cell("units", 3, "parent_code", "KL-TT"),
        "units",
        3,
        "parent_code",
        "vòng lặp",
    ),
    "criteria cycle": (
        cell("criteria", 2, "parent_code", "1.1"),
        "criteria",
        2,
        "parent_code",
        "vòng lặp: I → 1.1 → I",
    ),
    "duplicate unit code": (
        append("units", ["KL-BA", "Xã Bình An", "xa", "KL"]),
        "units",
        6,
        "code",
        "“KL-BA” bị lặp (đã có ở dòng 4)",
    ),
    "duplicate criterion code": (
        append("criteria", ["1.1", "I", "Lặp", "points", 1, 0, 0]),
        "criteria",
        7,
        "code",
        "bị lặp",
    ),
    "duplicate self score": (
        append("self_scores", ["KL-BA", "1.1", 7, None, None]),
        "self_scores",
        7,
        "criterion_code",
        "bị lặp",
    ),
    "unit in two blocks": (
        append("blocks", ["K-HUYEN", "Khối cơ quan", "KL-BA"]),
        "blocks",
        4,
        "unit_code",
        "đã thuộc khối “K-XA”",
    ),
    "block with two names": (
        cell("blocks", 3, "name", "Khối khác"),
        "blocks",
        3,
        "name",
        "đã có tên",
    ),
    "block member that does not exist": (
        cell("blocks", 3, "unit_code", "XX"),
        "blocks",
        3,
        "unit_code",
        "“XX” không có",
    ),
    "date that is not a date": (
        cell("campaign", 2, "starts_on", "08/08/2019"),
        "campaign",
        2,
        "starts_on",
        "không phải là ngày",
    ),
    "date that does not exist": (
        cell("campaign", 2, "window_opens_on", "2019-02-30"),
        "campaign",
        2,
        "window_opens_on",
        "không phải là ngày",
    ),
    "blank date": (
        cell("campaign", 2, "ends_on", None),
        "campaign",
        2,
        "ends_on",
        "không được để trống",
    ),
    "submitted_on that is not a date": (
        cell("self_scores", 2, "submitted_on", "hôm qua"),
        "self_scores",
        2,
        "submitted_on",
        "không phải là ngày",
    ),
    "ends before it starts": (
        cell("campaign", 2, "ends_on", datetime.date(2019, 1, 1)),
        "campaign",
        2,
        "ends_on",
        "trước ngày bắt đầu",
    ),
    "window closes before it opens": (
        cell("campaign", 2, "window_closes_on", "2019-10-01"),
        "campaign",
        2,
        "window_closes_on",
        "trước ngày mở",
    ),
    "critical not 0 or 1": (
        cell("criteria", 4, "critical", 2),
        "criteria",
        4,
        "critical",
        "“2” phải là 0 hoặc 1",
    ),
    "evidence_required not 0 or 1": (
        cell("criteria", 3, "evidence_required", "có"),
        "criteria",
        3,
        "evidence_required",
        "phải là 0 hoặc 1",
    ),
    "unknown criterion kind": (
        cell("criteria", 5, "kind", "trừ điểm"),
        "criteria",
        5,
        "kind",
        "loại tiêu chí “trừ điểm” không hợp lệ",
    ),
    "blank kind for a criterion without children": (
        cell("criteria", 6, "kind", None),
        "criteria",
        6,
        "kind",
        "chỉ mục có tiêu chí con",
    ),
    "yes_no with max 0": (
        cell("criteria", 4, "max_points", 0),
        "criteria",
        4,
        "max_points",
        "lớn hơn 0",
    ),
    "negative max_points": (
        cell("criteria", 3, "max_points", -1),
        "criteria",
        3,
        "max_points",
        "điểm tối đa phải từ 0",
    ),
    "self score of an unknown unit": (
        cell("self_scores", 5, "unit_code", "XX"),
        "self_scores",
        5,
        "unit_code",
        "đơn vị “XX” không có",
    ),
    "self score of an unknown criterion": (
        cell("self_scores", 5, "criterion_code", "9.9"),
        "self_scores",
        5,
        "criterion_code",
        "tiêu chí “9.9” không có",
    ),
    "review score of an unknown unit": (
        cell("review_scores", 3, "unit_code", "XX"),
        "review_scores",
        3,
        "unit_code",
        "đơn vị “XX” không có",
    ),
    "review score of an unknown criterion": (
        cell("review_scores", 3, "criterion_code", "9.9"),
        "review_scores",
        3,
        "criterion_code",
        "tiêu chí “9.9” không có",
    ),
    "blank review score": (
        cell("review_scores", 2, "score", None),
        "review_scores",
        2,
        "score",
        "không được để trống",
    ),
    "reviewer that is not a username": (
        cell("review_scores", 2, "reviewer", "Hội đồng / Lan"),
        "review_scores",
        2,
        "reviewer",
        "tên đăng nhập",
    ),
    "submitted unit without a row for a leaf": (
        drop_row("self_scores", 3),
        "self_scores",
        2,
        "submitted_on",
        "đã nộp nhưng chưa chấm các tiêu chí: 1.2",
    ),
    "submitted unit with a blank leaf score": (
        cell("self_scores", 3, "score", None),
        "self_scores",
        2,
        "submitted_on",
        "chưa chấm các tiêu chí: 1.2",
    ),
}


@pytest.mark.parametrize(
    ("change", "sheet", "row", "column", "reason"), BAD_FILES.values(), ids=BAD_FILES.keys()
)
def test_a_bad_file_is_refused_where_it_is_wrong_and_nothing_is_written(
    province: Unit,
    member: User,
    change: Callable[[Sheets], None],
    sheet: str,
    row: int | None,
    column: str | None,
    reason: str,
) -> None:
    sheets = good_sheets()
    change(sheets)
    before = snapshot()

    with pytest.raises(WorkbookError) as refused:
        run(sheets)

    error = refused.value
    assert (error.sheet, error.row, error.column) == (sheet, row, column)
    assert reason in error.reason
    message = error.messages[0]
    assert message.startswith(f"Trang tính “{sheet}”")
    if row is not None:
        assert f"dòng {row}" in message
    if column is not None:
        assert f"cột “{column}”" in message
    assert snapshot() == before


def test_the_message_names_sheet_row_column_and_reason_in_vietnamese(province: Unit) -> None:
    sheets = good_sheets()
    set_cell(sheets, "self_scores", 5, "score", "abc")

    with pytest.raises(WorkbookError) as refused:
        run(sheets)

    assert refused.value.messages == [
        "Trang tính “self_scores”, dòng 5, cột “score”: “abc” không phải là số."
    ]


def test_the_first_bad_cell_in_sheet_order_is_reported(province: Unit) -> None:
    sheets = good_sheets()
    set_cell(sheets, "self_scores", 2, "score", "abc")
    set_cell(sheets, "units", 5, "name", None)
    set_cell(sheets, "units", 5, "parent_code", "XX")  # a later column of the same row
    set_cell(sheets, "units", 4, "parent_code", "KL-BA")  # a cycle, an earlier row

    with pytest.raises(WorkbookError) as refused:
        run(sheets)

    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "units",
        4,
        "parent_code",
    )


def test_a_blank_score_is_allowed_in_a_draft(province: Unit) -> None:
    run(good_sheets())

    assert assessment_of("KL-BA").items.get(criterion__code="1.2").self_score is None


def test_a_file_that_is_not_a_workbook_is_refused(province: Unit) -> None:
    before = counts()

    with pytest.raises(WorkbookError, match="không phải là bảng tính") as refused:
        campaign_import(actor=None, workbook_file=io.BytesIO(b"%PDF-1.4 not a workbook"))

    assert refused.value.sheet is None
    assert counts() == before


def draft_campaign(authority: Unit) -> Campaign:
    """VHCS-2019 made in the portal: a draft, so an import leaves it a draft (checklist open)."""
    return campaign_services.campaign_create(
        actor=None,
        code="VHCS-2019",
        title="Văn hóa công sở",
        authority=authority,
        starts_on=datetime.date(2019, 8, 8),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )


def test_a_criterion_left_out_of_an_open_checklist_is_deleted(province: Unit) -> None:
    campaign = draft_campaign(province)
    run(good_sheets())
    sheets = good_sheets()
    del sheets["criteria"][5]  # "3", never scored

    summary = run(sheets)

    assert summary.deleted == {"criterion": 1}
    codes = Criterion.objects.filter(checklist=campaign.checklist).values_list("code", flat=True)
    assert list(codes) == ["I", "1.1", "1.2", "2"]


def test_a_criterion_that_already_has_scores_cannot_be_left_out(province: Unit) -> None:
    draft_campaign(province)
    sheets = good_sheets()
    sheets["self_scores"].append(["KL-BA", "3", 1, None, None])
    run(sheets)
    del sheets["criteria"][5]
    del sheets["self_scores"][6]
    before = snapshot()

    with pytest.raises(WorkbookError, match="“3”: tiêu chí này đã có điểm") as refused:
        run(sheets)

    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "criteria",
        6,
        "code",
    )
    assert snapshot() == before


# The template ------------------------------------------------------------------------------------


def test_the_template_has_every_sheet_and_imports_cleanly() -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_template()))
    assert book.sheetnames == [
        "campaign",
        "units",
        "blocks",
        "criteria",
        "self_scores",
        "review_scores",
        "people",
        "council",
        "awards",  # votes' ledger adds it (settings.CAMPAIGN_WORKBOOK_SHEETS)
    ]
    assert [c.value for c in book["criteria"][1]] == [
        "code",
        "parent_code",
        "title",
        "kind",
        "max_points",
        "critical",
        "evidence_required",
    ]

    summary = campaign_import(actor=None, workbook_file=io.BytesIO(workbook_template()))

    # Launched, then moved wherever its window's dates (November 2026) put it today.
    assert summary.campaign.status != CampaignStatus.DRAFT
    assert summary.campaign.calendar_status(timezone.localdate()) == summary.campaign.status
    assert (summary.units, summary.criteria, summary.assessments, summary.review_scores) == (
        3,
        3,
        2,
        1,
    )
    assert summary.campaign.authority is None  # its one root has no parent in the database
    seats = summary.campaign.council_seats.values_list("user__username", "role")
    assert list(seats) == [("vd.hoidong", "secretary")]


# The command -------------------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(province: Unit, tmp_path: Path) -> None:
    path = tmp_path / "vhcs.xlsx"
    path.write_bytes(workbook(good_sheets()))
    out = StringIO()

    call_command("import_campaign", str(path), stdout=out)

    assert out.getvalue().startswith(
        "Imported campaign VHCS-2019: 4 units, 5 criteria, 3 assessments, 4 review scores"
    )
    assert Campaign.objects.filter(code="VHCS-2019").exists()


def test_the_command_takes_the_authority_option(province: Unit, tmp_path: Path) -> None:
    path = tmp_path / "vhcs.xlsx"
    path.write_bytes(workbook(good_sheets()))

    call_command("import_campaign", str(path), "--authority", "KG", stdout=StringIO())

    assert Campaign.objects.get(code="VHCS-2019").authority.code == "KG"


def test_a_file_may_not_enrol_units_outside_the_campaigns_authority(
    province: Unit, tmp_path: Path
) -> None:
    path = tmp_path / "vhcs.xlsx"
    path.write_bytes(workbook(good_sheets()))
    before = counts()

    with pytest.raises(CommandError, match="nằm ngoài phạm vi của cơ quan phát động"):
        call_command("import_campaign", str(path), "--authority", "RG", stdout=StringIO())

    assert counts() == before


def test_the_command_refuses_a_bad_file_and_changes_nothing(province: Unit, tmp_path: Path) -> None:
    sheets = good_sheets()
    set_cell(sheets, "self_scores", 5, "score", "abc")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(sheets))
    before = counts()

    with pytest.raises(CommandError, match="dòng 5, cột “score”"):
        call_command("import_campaign", str(path), stdout=StringIO())

    assert counts() == before


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_campaign", str(tmp_path / "none.xlsx"), stdout=StringIO())


def test_unit_kinds_are_created_once(province: Unit) -> None:
    run(good_sheets())
    kinds = UnitKind.objects.count()

    run(copy.deepcopy(good_sheets()))

    assert UnitKind.objects.count() == kinds
    assert AssessmentItem.objects.count() == 5


def test_a_changed_score_moves_the_campaigns_scores_version_and_the_same_file_again_does_not(
    province: Unit,
) -> None:
    """A scoring run started before the file fails at its finish rather than mix old and new."""
    run(good_sheets())
    version = Campaign.objects.get(code="VHCS-2019").scores_version

    run(good_sheets())
    assert Campaign.objects.get(code="VHCS-2019").scores_version == version

    sheets = good_sheets()
    set_cell(sheets, "review_scores", 2, "score", 8)
    run(sheets)
    assert Campaign.objects.get(code="VHCS-2019").scores_version > version


def test_imported_scores_are_the_scores_a_run_reads(province: Unit) -> None:
    """The stored per-criterion scores follow every file: new, changed self and review scores."""
    run(good_sheets())
    campaign = Campaign.objects.get(code="VHCS-2019")
    assert CriterionScore.objects.filter(assessment__enrolment__campaign=campaign).exists()
    assert criterion_scores_drift(campaign.pk) == 0
    reviewed = Assessment.objects.filter(enrolment__campaign=campaign, reviews__isnull=False)
    assert reviewed.exists()
    assert not reviewed.filter(review_started_at__isnull=True).exists()

    sheets = good_sheets()
    set_cell(sheets, "self_scores", 5, "score", 8)
    set_cell(sheets, "review_scores", 2, "score", 8)
    run(sheets)
    assert criterion_scores_drift(campaign.pk) == 0


def many_units(count: int, score: float) -> Sheets:
    """The good file with `count` more communes, each scored and reviewed on 1.1 and 1.2."""
    sheets = good_sheets()
    set_cell(sheets, "campaign", 2, "code", f"VHCS-{count}")
    for n in range(count):
        code = f"KL-X{n}"
        sheets["units"].append([code, f"Xã số {n}", "Xã", "KL", None])
        sheets["self_scores"].append([code, "1.1", score, None, "2019-11-20"])
        sheets["self_scores"].append([code, "1.2", 5, None, "2019-11-20"])
        sheets["review_scores"].append(["hd.lan", code, "1.1", score, None])
    return sheets


def queries_of_a_second_import(count: int) -> int:
    """The queries of an import that changes the self and review scores of every unit."""
    run(many_units(count, 8))
    with CaptureQueriesContext(connection) as context:
        run(many_units(count, 7))
    return len(context.captured_queries)


def test_a_files_scores_cost_a_query_per_changed_unit_not_per_row(province: Unit) -> None:
    """Its rows are read and written together; each changed unit moves its version (one
    conditional UPDATE per assessment and sheet) and nothing else grows with the file."""
    few = queries_of_a_second_import(2)
    many = queries_of_a_second_import(22)
    assert many - few <= 20 * 2
