"""Demo data from the two seed articles (Kiên Lương 2019, UBMTTQ huyện 2022), a 2026 campaign of xã
Kiên Lương after the 2025 reform, and the demo accounts.

Everything is built through the production services, as an official would: campaigns created,
units enrolled, registrations sent by the unit heads and accepted, the paper-era scores of 2019
and 2022 brought in through the campaign workbook import before the window opened, the window
opened and closed, each assessment accepted by a council member, a scoring run computed and
published. The 2026 campaign is live: its unit heads save drafts and submit, a council member
returns one assessment. So every assessment has its history (AssessmentEvent).

Idempotent: codes are the keys, and a campaign that exists is left as it is.
"""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from assessments import services as assessment_services
from assessments.exchange import campaign_import
from assessments.models import Assessment, AssessmentStatus
from campaigns import services as campaign_services
from campaigns.models import (
    Campaign,
    Checklist,
    ConferenceKind,
    CouncilSeat,
    Criterion,
    Enrolment,
    Registration,
)
from core.signing import make_test_certificate
from scoring import pipeline
from scoring import services as runs
from units import people, reform
from units import services as unit_services
from units.models import AuthorityCertificate, AuthoritySigner, Membership, Unit, UnitKind
from units.roles import Role, role_group
from votes.catalogue import catalogue_ensure, conditions_ensure
from votes.models import Award, AwardCondition, AwardTerm, BaseSalary

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "demo"  # noqa: S105 - published demo accounts, refused under production settings
ENDED = reform.REFORM_ON - datetime.timedelta(days=1)  # 30/6/2025, the last day of the districts

# The units before the reform: (code, name, kind, parent code, head's username, head's name).
# The communes of huyện Kiên Lương are those of `units.reform`; Hòn Nghệ and Sơn Hải go on.
UNITS_2019 = [
    (reform.KIEN_GIANG, "Tỉnh Kiên Giang", "tinh", None, None, None),
    (reform.HUYEN_KIEN_LUONG, "Huyện Kiên Lương", "huyen", "KG", None, None),
    ("KL-TT", "Thị trấn Kiên Lương", "thi_tran", "KL", "nguyenvanbay", "Nguyễn Văn Bảy"),
    ("KL-BINHAN", "Xã Bình An", "xa", "KL", "tranthikimloan", "Trần Thị Kim Loan"),
    ("KL-BINHTRI", "Xã Bình Trị", "xa", "KL", "lyvanson", "Lý Văn Sơn"),
    ("KL-DUONGHOA", "Xã Dương Hòa", "xa", "KL", "danhthiphuong", "Danh Thị Phượng"),
    ("KL-HOADIEN", "Xã Hòa Điền", "xa", "KL", "phamminhtri", "Phạm Minh Trí"),
    (reform.XA_HON_NGHE, "Xã Hòn Nghệ", "xa", "KL", "tovanthang", "Tô Văn Thắng"),
    ("KL-KIENBINH", "Xã Kiên Bình", "xa", "KL", "huynhthingocanh", "Huỳnh Thị Ngọc Ánh"),
    (reform.XA_SON_HAI, "Xã Sơn Hải", "xa", "KL", "ngovanlam", "Ngô Văn Lâm"),
    ("KL-NOIVU", "Phòng Nội vụ huyện Kiên Lương", "co_quan", "KL", "dothanhhai", "Đỗ Thanh Hải"),
    (
        "KL-VP",
        "Văn phòng HĐND và UBND huyện Kiên Lương",
        "co_quan",
        "KL",
        "nguyenhoangnam",
        "Nguyễn Hoàng Nam",
    ),
    (
        "KL-TCKH",
        "Phòng Tài chính - Kế hoạch huyện Kiên Lương",
        "co_quan",
        "KL",
        "lethibichtuyen",
        "Lê Thị Bích Tuyền",
    ),
    (
        "KL-HND",
        "Hội Nông dân huyện Kiên Lương",
        "doan_the",
        "KL",
        "truongvanhieu",
        "Trương Văn Hiếu",
    ),
]
KL_COMMUNES = [row[0] for row in UNITS_2019[2:10]]
KL_AGENCIES = [row[0] for row in UNITS_2019[10:]]

# The 2022 article names the district's MTTQ committee and xã Cẩm Yên, not the district: the demo
# keeps to what it names (the committee of xã Cẩm Yên and the Ban công tác Mặt trận of its thôn).
UNITS_2022 = [
    ("MT-H", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "mttq", None, None, None),
    (
        "MT-CAMYEN",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Cẩm Yên",
        "mttq",
        "MT-H",
        "buivanduc",
        "Bùi Văn Đức",
    ),
    *[
        (
            f"MT-CAMYEN-BCT{n}",
            f"Ban công tác Mặt trận thôn {n}, xã Cẩm Yên",
            "ban_cong_tac_mt",
            "MT-CAMYEN",
            username,
            name,
        )
        for n, username, name in [
            (1, "dinhthihang", "Đinh Thị Hằng"),
            (2, "quachvanminh", "Quách Văn Minh"),
            (3, "phamthithu", "Phạm Thị Thu"),
            (4, "nguyenvanchien", "Nguyễn Văn Chiến"),
        ]
    ],
]
MT_UNITS = [row[0] for row in UNITS_2022[1:]]

# xã Kiên Lương's own agencies and mass organisations after the reform, each with its head.
XKL = reform.XA_KIEN_LUONG
UNITS_2026 = [
    (
        f"{XKL}-VP",
        "Văn phòng HĐND và UBND xã Kiên Lương",
        "co_quan",
        "vuthanhtung",
        "Vũ Thanh Tùng",
    ),
    (f"{XKL}-KT", "Phòng Kinh tế xã Kiên Lương", "co_quan", "lamthimyhanh", "Lâm Thị Mỹ Hạnh"),
    (
        f"{XKL}-VHXH",
        "Phòng Văn hóa - Xã hội xã Kiên Lương",
        "co_quan",
        "trinhquocbao",
        "Trịnh Quốc Bảo",
    ),
    (
        f"{XKL}-HCC",
        "Trung tâm Phục vụ hành chính công xã Kiên Lương",
        "co_quan",
        "dangthikimyen",
        "Đặng Thị Kim Yến",
    ),
    (
        f"{XKL}-MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Kiên Lương",
        "mttq",
        "chauvanbinh",
        "Châu Văn Bình",
    ),
    (f"{XKL}-HND", "Hội Nông dân xã Kiên Lương", "doan_the", "unithead", "Trần Thị Thu"),
    (
        f"{XKL}-PN",
        "Hội Liên hiệp Phụ nữ xã Kiên Lương",
        "doan_the",
        "nguyenthingoctrinh",
        "Nguyễn Thị Ngọc Trinh",
    ),
    (
        f"{XKL}-DTN",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Kiên Lương",
        "doan_the",
        "hoducthinh",
        "Hồ Đức Thịnh",
    ),
]
GOVERNMENT_2026 = [row[0] for row in UNITS_2026[:4]]
FRONT_2026 = [row[0] for row in UNITS_2026[4:]]

# Councils besides 2019's (the council part below): (username, name, role). `council` (Lê Văn
# Hội) sits on 2019's and 2026's and keeps the minutes of both.
COUNCIL_2022 = [
    ("dothibich", "Đỗ Thị Bích", CouncilSeat.Role.CHAIR),
    ("nguyenthilung", "Nguyễn Thị Lung", CouncilSeat.Role.VICE_CHAIR),
    ("hoangvanthai", "Hoàng Văn Thái", CouncilSeat.Role.SECRETARY),
    ("lethimen", "Lê Thị Mến", CouncilSeat.Role.MEMBER),
    ("trinhvanluc", "Trịnh Văn Lực", CouncilSeat.Role.MEMBER),
]
COUNCIL_2026 = [
    ("tranquockhanh", "Trần Quốc Khánh", CouncilSeat.Role.CHAIR),
    ("nguyenthimailan", "Nguyễn Thị Mai Lan", CouncilSeat.Role.VICE_CHAIR),
    ("phanvanhau", "Phan Văn Hậu", CouncilSeat.Role.MEMBER),
    ("duongthithanhthuy", "Dương Thị Thanh Thủy", CouncilSeat.Role.MEMBER),
]

# (code, parent code, title, kind, max, critical, evidence required)
CRITERIA = [
    ("I", None, "Thái độ, trách nhiệm trong thực thi công vụ", "points", 0, False, False),
    (
        "1.1",
        "I",
        "Thái độ, trách nhiệm đối với người dân và doanh nghiệp; lấy sự hài lòng của "
        "người dân, doanh nghiệp làm thước đo",
        "points",
        10,
        False,
        True,
    ),
    (
        "1.2",
        "I",
        "Tôn trọng, đoàn kết, gắn bó, giúp đỡ lẫn nhau trong công việc",
        "points",
        10,
        False,
        False,
    ),
    (
        "1.3",
        "I",
        "Người đứng đầu, lãnh đạo gương mẫu để cấp dưới noi theo",
        "points",
        10,
        False,
        False,
    ),
    (
        "1.4",
        "I",
        "Không bỏ bê công việc; đặt lợi ích tập thể lên trên lợi ích cá nhân",
        "yes_no",
        10,
        False,
        False,
    ),
    ("II", None, "Tác phong và môi trường làm việc", "points", 0, False, False),
    (
        "2.1",
        "II",
        "Tác phong chuyên nghiệp, chuẩn mực; trang phục đúng quy định, đeo thẻ công chức",
        "points",
        10,
        False,
        False,
    ),
    (
        "2.2",
        "II",
        "Cơ quan xanh - sạch - đẹp, an toàn, không có khói thuốc lá",
        "points",
        10,
        False,
        True,
    ),
    (
        "2.3",
        "II",
        "Niêm yết công khai, đầy đủ thủ tục hành chính, phí, lệ phí tại trụ sở",
        "yes_no",
        10,
        False,
        True,
    ),
    ("III", None, "Đạo đức công vụ", "points", 0, False, False),
    (
        "3.1",
        "III",
        "Cần, kiệm, liêm chính, chí công, vô tư, giản dị, thẳng thắn",
        "points",
        10,
        False,
        False,
    ),
    ("3.2", "III", "Có ý thức bảo vệ môi trường", "points", 5, False, False),
    (
        "3.3",
        "III",
        "Không sử dụng đồ uống có cồn trong thời gian làm việc và giờ nghỉ trưa",
        "yes_no",
        5,
        True,
        False,
    ),
    ("IV", None, "Tuyên truyền, bồi dưỡng", "points", 0, False, False),
    (
        "4.1",
        "IV",
        "Tuyên truyền, bồi dưỡng về văn hóa công sở, đạo đức công vụ",
        "points",
        10,
        False,
        True,
    ),
    ("V", None, "Điểm trừ, điểm thưởng", "points", 0, False, False),
    (
        "5.1",
        "V",
        "Cán bộ, công chức bị nhắc nhở, phê bình về văn hóa công sở",
        "deduction",
        10,
        False,
        False,
    ),
    ("5.2", "V", "Mô hình, cách làm hay được nhân rộng", "bonus", 5, False, False),
]
PUBLIC_PLACES = ("4.2", "IV", "Ứng xử văn minh, văn hóa nơi công cộng", "points", 10, False, False)

CAMPAIGN_2019 = "VHCS-KL-2019"
CAMPAIGN_2022 = "VHCS-MTTQ-2022"
# When each past round's results were published, in its own time: after the review of its paper
# scores, before its council met (20/12/2019; 14/12/2022).
PUBLISHED_2019 = datetime.date(2019, 12, 10)
PUBLISHED_2022 = datetime.date(2022, 12, 7)
CAMPAIGN_2026 = "VHCS-XKL-2026"
CAMPAIGN_PROVINCE = "TDYN-AG-2026"

# Self scores as the paper forms had them, per criterion in checklist order: 1.1 1.2 1.3 1.4
# 2.1 2.2 2.3 3.1 3.2 3.3 4.1 (base 100) then 5.1 (deduction) and 5.2 (bonus). Chosen so the
# results show every band, a critical cap (Bình An: 3.3 at 0), deductions and bonuses, and one
# leading unit per block (Hòa Điền, Phòng Nội vụ), as the council found at the final review.
SCORES_2019 = {
    "KL-HOADIEN": "10 10 10 10 10 10 10 9 5 5 9 0 3",  # 99,50 after review + bonus: xuất sắc
    "KL-TT": "9 9 9 10 9 9 10 9 5 5 9 0 0",  # 93: xuất sắc
    "KL-BINHAN": "10 10 10 10 10 10 10 10 5 0 10 0 0",  # 95, critical 3.3 at 0: capped at tốt
    "KL-BINHTRI": "8 8 8 10 8 9 10 8 4 5 8 2 0",  # 86 - 2: tốt
    "KL-KIENBINH": "8 7 8 10 7 8 10 7 4 5 7 0 0",  # 81: tốt
    "KL-DUONGHOA": "7 7 6 10 7 6 10 6 3 5 6 0 0",  # 73: hoàn thành
    reform.XA_HON_NGHE: "6 6 6 10 6 5 10 6 3 5 5 0 0",  # 68: hoàn thành
    reform.XA_SON_HAI: "4 5 4 0 4 4 0 5 2 5 4 1 0",  # 37 - 1: không hoàn thành
    "KL-NOIVU": "10 9 10 10 9 10 10 10 5 5 9 0 2",  # 97 + 2: xuất sắc
    "KL-TCKH": "9 9 9 10 9 9 10 9 4 5 8 0 0",  # 91: xuất sắc
    "KL-VP": "8 9 8 10 8 8 10 9 4 5 8 0 0",  # 87: tốt
    "KL-HND": "7 8 7 10 8 7 10 7 4 5 7 3 0",  # 80 - 3: hoàn thành
}
REVIEWS_2019 = [("KL-HOADIEN", "1.1", "8.5", "Minh chứng về khảo sát sự hài lòng chưa đủ.")]
# 2022 (with 4.2, conduct in public places, after 4.1).
SCORES_2022 = {
    "MT-CAMYEN": "10 9 10 10 9 9 10 9 5 5 9 9 0 2",
    "MT-CAMYEN-BCT1": "9 8 9 10 8 8 10 9 4 5 8 8 0 0",
    "MT-CAMYEN-BCT2": "8 8 7 10 7 7 10 8 4 5 7 7 1 0",
    "MT-CAMYEN-BCT3": "7 6 6 10 6 6 0 7 3 5 6 6 0 0",
    "MT-CAMYEN-BCT4": "9 9 9 10 9 8 10 9 5 5 9 9 0 1",
}
# 2026, live: (unit, scores or None, what happens): "submitted", "draft", "returned", None.
SCORES_2026 = {
    f"{XKL}-VP": ("9 9 10 10 9 9 10 9 5 5 9 0 1", "submitted"),
    f"{XKL}-KT": ("8 8 8 10 8 8 10 8 4 5 8 0 0", "submitted"),
    f"{XKL}-HCC": ("10 10 9 10 10 9 10 9 5 5 9 0 2", "submitted"),
    f"{XKL}-HND": ("8 7 8 10 7 8 10 8 4 5 7 0 0", "returned"),
    f"{XKL}-VHXH": ("9 8 9 10 8", "draft"),
    f"{XKL}-MTTQ": ("9 9 8 10 9 9 10 9", "draft"),
    f"{XKL}-DTN": ("8 9", "draft"),
    f"{XKL}-PN": ("", None),
}
RETURN_REASON_2026 = (
    "Tiêu chí 2.2 chưa có ảnh chụp khuôn viên trụ sở; đề nghị bổ sung minh chứng và chấm lại "
    "tiêu chí 4.1 theo số buổi tuyên truyền thực tế."
)


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _ensure_unit(
    kinds: dict[str, UnitKind],
    code: str,
    name: str,
    kind: str,
    parent: str | None,
    *,
    valid_from: datetime.date | None = None,
) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = unit_services.unit_create(
            actor=None,  # the demo builds the organisation as the system, as the official load
            code=code,
            name=name,
            kind=kinds[kind],
            parent=_unit(parent) if parent else None,
            valid_from=valid_from,
        )
    return unit


def _close(code: str) -> None:
    unit = _unit(code)
    if unit.valid_to is None:
        unit_services.unit_update(actor=None, unit=unit, valid_to=ENDED)  # the system's


def _seed_units_before_reform(kinds: dict[str, UnitKind]) -> None:
    """The area as it was in 2019 and 2022: the province, the district and their communes."""
    for code, name, kind, parent, _username, _head in [*UNITS_2019, *UNITS_2022]:
        _ensure_unit(kinds, code, name, kind, parent)


def _seed_reform(kinds: dict[str, UnitKind]) -> None:
    """1 July 2025: the new units, the mergers (`units.reform`), the district level ended with
    its agencies and its MTTQ committee; Hòn Nghệ and Sơn Hải go on, now under the province."""
    for code, name, kind, parent in reform.CURRENT_UNITS:
        _ensure_unit(kinds, code, name, kind, parent, valid_from=reform.REFORM_ON)
    for code in [*KL_AGENCIES, "MT-H"]:
        _close(code)
    unit_services.reform_history_record(actor=None)  # the system records the 2025 reform
    province = _unit(reform.AN_GIANG)
    for code, _name, _kind in reform.CONTINUING:
        unit = _unit(code)
        if unit.parent_id != province.pk:
            unit_services.unit_update(actor=None, unit=unit, parent=province)  # the system's
    for code, name, kind, _username, _head in UNITS_2026:
        _ensure_unit(kinds, code, name, kind, XKL, valid_from=reform.REFORM_ON)


def _seed_template() -> Checklist:
    template, created = Checklist.objects.get_or_create(
        name="Văn hóa công sở (mẫu)", is_template=True, campaign=None
    )
    if created:
        _fill_checklist(template, CRITERIA)
    return template


def _fill_checklist(checklist: Checklist, rows: list[tuple], *, evidence: bool = True) -> None:  # type: ignore[type-arg]
    by_code: dict[str, Criterion] = {}
    for order, (code, parent, title, kind, max_points, critical, needs) in enumerate(rows):
        by_code[code] = campaign_services.criterion_save(
            actor=None,
            checklist=checklist,
            code=code,
            parent=by_code.get(parent or ""),
            title=title,
            kind=kind,
            max_points=Decimal(max_points),
            critical=critical,
            evidence_required=needs and evidence,
            order=order * 10,
        )


def _user(username: str, full_name: str, role: str) -> User:
    # Vietnamese names read family name first: keep the whole name in first_name so that
    # get_full_name() shows it in that order.
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "email": f"{username}@example.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(role_group(role))
    return user


def _member(username: str, name: str, role: str, unit: str, as_: str) -> User:
    user = _user(username, name, role)
    people.membership_set(actor=None, user=user, unit=_unit(unit), role=as_)
    return user


def _heads(rows: list[tuple]) -> dict[str, User]:  # type: ignore[type-arg]
    """Each unit's head (one unit each), by unit code."""
    return {
        row[0]: _member(row[-2], row[-1], Role.UNIT_HEAD, row[0], Membership.Role.HEAD)
        for row in rows
        if row[-2]
    }


def _leaves(campaign: Campaign) -> list[Criterion]:
    return list(
        Criterion.objects.filter(checklist=campaign.checklist, children__isnull=True).order_by(
            "order"
        )
    )


def _new_campaign(
    *,
    code: str,
    title: str,
    authority: str,
    dates: dict[str, datetime.date],
    blocks: dict[str, tuple[str, list[str]]],
    rows: list[tuple],  # type: ignore[type-arg]
    council: list[tuple[User, str]],
    evidence: bool = True,
) -> Campaign:
    """Created, its checklist filled, its blocks enrolled, its council seated (still a draft)."""
    campaign = campaign_services.campaign_create(
        actor=None, code=code, title=title, authority=_unit(authority), **dates
    )
    _fill_checklist(campaign.checklist, rows, evidence=evidence)  # type: ignore[arg-type]
    for block_code, (block_name, members) in blocks.items():
        block = unit_services.block_create(
            actor=None,  # the demo's council sets its blocks up as the system, like the campaign
            code=block_code,
            name=block_name,
            members=[_unit(m) for m in members],
            head_unit=_unit(members[0]),
            year=dates["starts_on"].year,
        )
        campaign_services.campaign_enrol_block(actor=None, campaign=campaign, block=block)
    for user, role in council:
        campaign_services.council_seat_set(actor=None, campaign=campaign, user=user, role=role)
    return campaign


def _launch_and_register(campaign: Campaign, heads: dict[str, User], targets: str) -> None:
    """Launched; every unit's head sends its registration and the manager accepts it."""
    campaign_services.campaign_launch(actor=None, campaign=campaign)
    for enrolment in campaign.enrolments.select_related("unit"):
        registration = campaign_services.registration_send(
            actor=heads[enrolment.unit.code], enrolment=enrolment, targets=targets
        )
        campaign_services.registration_decide(actor=None, registration=registration, accept=True)


def _assign_blocks(campaign: Campaign, reviewers: dict[str, User]) -> None:
    """Each block's reviewer, by block code (nobody reviews a unit they belong to)."""
    for block in {e.block for e in campaign.enrolments.select_related("block") if e.block}:
        assessment_services.review_assign(
            actor=None, campaign=campaign, reviewer=reviewers[block.code], block=block
        )


def _scores(text: str) -> list[str]:
    return text.split()


def _paper_workbook(
    campaign: Campaign,
    scores: dict[str, str],
    submitted_on: datetime.date,
    reviews: list[tuple[str, str, str, str]],
    reviewer: str,
) -> io.BytesIO:
    """The campaign workbook an official fills from the paper forms (docs/domain.md, "Data
    exchange"): the campaign row, every self score with its day of submission, the reviews."""
    book = Workbook()
    sheet = book.active
    sheet.title = "campaign"
    sheet.append(["code", "title", "starts_on", "ends_on", "window_opens_on", "window_closes_on"])
    sheet.append(
        [
            campaign.code,
            campaign.title,
            *[
                getattr(campaign, name).isoformat()
                for name in ("starts_on", "ends_on", "window_opens_on", "window_closes_on")
            ],
        ]
    )
    self_sheet = book.create_sheet("self_scores")
    self_sheet.append(["unit_code", "criterion_code", "score", "note", "submitted_on"])
    leaves = _leaves(campaign)
    for unit_code, text in scores.items():
        for criterion, score in zip(leaves, _scores(text), strict=True):
            self_sheet.append([unit_code, criterion.code, score, "", submitted_on.isoformat()])
    review_sheet = book.create_sheet("review_scores")
    review_sheet.append(["reviewer", "unit_code", "criterion_code", "score", "comment"])
    for unit_code, criterion_code, score, comment in reviews:
        review_sheet.append([reviewer, unit_code, criterion_code, score, comment])
    target = io.BytesIO()
    book.save(target)
    target.seek(0)
    return target


def _review_and_publish(
    campaign: Campaign, reviewers: dict[str, User], published_on: datetime.date
) -> None:
    """Window opened and closed, every assessment accepted by its block's reviewer, scored,
    published on `published_on` (in the round's own time, before its council met: the public
    page says that day, not the day the demo was built)."""
    for action in ("open_window", "close_window", "start_review"):
        campaign_services.campaign_transition(actor=None, campaign=campaign, action=action)
    assessments = Assessment.objects.filter(enrolment__campaign=campaign).select_related(
        "enrolment__block"
    )
    # A paper round's workbook already brought the council's acceptance on paper.
    for assessment in assessments.filter(status=AssessmentStatus.SUBMITTED).order_by("pk"):
        reviewer = reviewers[assessment.enrolment.block.code]  # type: ignore[union-attr]
        assessment_services.assessment_accept(actor=reviewer, assessment=assessment)
    run = runs.scoring_run_start(actor=None, campaign=campaign)
    pipeline.execute(run.pk)  # seed_demo is one transaction: compute it right here
    run.refresh_from_db()
    runs.scoring_run_publish(
        actor=None,
        run=run,
        published_at=datetime.datetime.combine(published_on, datetime.time(9, 0), tzinfo=VIETNAM),
    )


def _campaign_2019(council: User, heads: dict[str, User]) -> Campaign:
    existing = Campaign.objects.filter(code=CAMPAIGN_2019).first()
    if existing is not None:
        return existing
    hung = _user(*COUNCIL_2019[1][:2], Role.COUNCIL_MEMBER)  # of the council part below
    reviewers = {"KL-2019-XA": council, "KL-2019-CQ": hung}  # council works in Phòng Nội vụ
    campaign = _new_campaign(
        code=CAMPAIGN_2019,
        title="Cán bộ, công chức, viên chức thực hiện văn hóa công sở năm 2019",
        authority=reform.HUYEN_KIEN_LUONG,
        dates={
            "starts_on": datetime.date(2019, 8, 8),
            "ends_on": datetime.date(2019, 12, 31),
            "window_opens_on": datetime.date(2019, 11, 1),
            "window_closes_on": datetime.date(2019, 11, 30),
        },
        blocks={
            "KL-2019-XA": ("Khối xã, thị trấn huyện Kiên Lương 2019", KL_COMMUNES),
            "KL-2019-CQ": ("Khối cơ quan, đoàn thể huyện Kiên Lương 2019", KL_AGENCIES),
        },
        rows=CRITERIA,
        council=[(council, CouncilSeat.Role.SECRETARY), (hung, CouncilSeat.Role.MEMBER)],
    )
    campaign_services.conference_record(
        actor=None,
        campaign=campaign,
        kind=ConferenceKind.LAUNCH,
        held_at=datetime.datetime(2019, 8, 8, 7, 30, tzinfo=VIETNAM),
        venue="Hội trường Ủy ban nhân dân huyện Kiên Lương",
        chair="Ông Đặng Minh Thành – Huyện ủy viên, Phó Chủ tịch UBND huyện, Phó Chủ tịch Thường "
        "trực Hội đồng thi đua khen thưởng huyện",
        attending_units=[_unit(code) for code in KL_COMMUNES + KL_AGENCIES],
        agenda="Phát động phong trào thi đua “Cán bộ, công chức, viên chức thực hiện văn hóa công "
        "sở” năm 2019.",
    )
    _launch_and_register(
        campaign, heads, "Hoàn thành tốt trở lên; 100% cán bộ đeo thẻ, không vi phạm giờ giấc."
    )
    _assign_blocks(campaign, reviewers)
    campaign_import(
        actor=None,
        workbook_file=_paper_workbook(
            campaign, SCORES_2019, datetime.date(2019, 11, 28), REVIEWS_2019, council.username
        ),
    )
    _review_and_publish(campaign, reviewers, published_on=PUBLISHED_2019)
    return campaign


def _campaign_2022(heads: dict[str, User]) -> Campaign:
    existing = Campaign.objects.filter(code=CAMPAIGN_2022).first()
    if existing is not None:
        return existing
    members = [
        (_member(username, name, Role.COUNCIL_MEMBER, "MT-H", Membership.Role.STAFF), role)
        for username, name, role in COUNCIL_2022
    ]
    campaign = _new_campaign(
        code=CAMPAIGN_2022,
        title="Cán bộ, công chức, viên chức thực hiện văn hóa công sở và nơi công cộng",
        authority="MT-H",
        dates={
            "starts_on": datetime.date(2022, 6, 9),
            "ends_on": datetime.date(2022, 12, 31),
            "window_opens_on": datetime.date(2022, 11, 15),
            "window_closes_on": datetime.date(2022, 11, 30),
        },
        blocks={"MT-2022-CY": ("Cụm Mặt trận xã Cẩm Yên", MT_UNITS)},
        rows=CRITERIA[:15] + [PUBLIC_PLACES] + CRITERIA[15:],
        council=members,
    )
    campaign_services.conference_record(
        actor=None,
        campaign=campaign,
        kind=ConferenceKind.ROLLOUT,
        held_at=datetime.datetime(2022, 6, 9, 8, 0, tzinfo=VIETNAM),
        venue="UBMTTQ Việt Nam huyện",
        chair="Đồng chí Đỗ Thị Bích – UVBTV Huyện ủy, Chủ tịch UBMTTQ Việt Nam huyện",
        attending_units=[_unit(code) for code in MT_UNITS],
        agenda="Đồng chí Nguyễn Thị Lung – Phó Chủ tịch UBMTTQ Việt Nam huyện triển khai Kế hoạch "
        "thực hiện phong trào thi đua.",
    )
    _launch_and_register(
        campaign, heads, "Xây dựng chuẩn mực văn hóa nơi công sở và nơi công cộng."
    )
    reviewer = members[2][0]  # the council's secretary
    _assign_blocks(campaign, {"MT-2022-CY": reviewer})
    campaign_import(
        actor=None,
        workbook_file=_paper_workbook(
            campaign, SCORES_2022, datetime.date(2022, 11, 25), [], reviewer.username
        ),
    )
    _review_and_publish(campaign, {"MT-2022-CY": reviewer}, published_on=PUBLISHED_2022)
    return campaign


def _campaign_2026(council: User, heads: dict[str, User]) -> Campaign:
    """Live: the window is open today; some units submitted, some drafting, one returned."""
    existing = Campaign.objects.filter(code=CAMPAIGN_2026).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    members = [
        (_member(username, name, Role.COUNCIL_MEMBER, XKL, Membership.Role.STAFF), role)
        for username, name, role in COUNCIL_2026
    ]
    campaign = _new_campaign(
        code=CAMPAIGN_2026,
        title="Cán bộ, công chức, viên chức thực hiện văn hóa công sở năm 2026",
        authority=XKL,
        dates={
            "starts_on": datetime.date(2026, 3, 2),
            "ends_on": max(datetime.date(2026, 12, 31), today + datetime.timedelta(days=45)),
            "window_opens_on": today - datetime.timedelta(days=10),
            "window_closes_on": today + datetime.timedelta(days=20),
        },
        blocks={
            f"{XKL}-2026-CQ": ("Khối cơ quan chính quyền xã Kiên Lương", GOVERNMENT_2026),
            f"{XKL}-2026-DT": ("Khối Mặt trận, đoàn thể xã Kiên Lương", FRONT_2026),
        },
        rows=CRITERIA,
        council=[*members, (council, CouncilSeat.Role.SECRETARY)],
        evidence=False,  # evidence files are the units' own to attach
    )
    campaign_services.conference_record(
        actor=None,
        campaign=campaign,
        kind=ConferenceKind.LAUNCH,
        held_at=datetime.datetime(2026, 3, 2, 7, 30, tzinfo=VIETNAM),
        venue="Hội trường Ủy ban nhân dân xã Kiên Lương",
        chair="Ông Trần Quốc Khánh – Phó Chủ tịch UBND xã, Chủ tịch Hội đồng thi đua khen "
        "thưởng xã",
        attending_units=[_unit(code) for code, *_rest in UNITS_2026],
        agenda="Phát động phong trào thi đua “Cán bộ, công chức, viên chức thực hiện văn hóa công "
        "sở” năm 2026 sau sắp xếp đơn vị hành chính.",
    )
    _launch_and_register(campaign, heads, "Hoàn thành xuất sắc; không có cán bộ bị nhắc nhở.")
    _assign_blocks(campaign, {f"{XKL}-2026-CQ": council, f"{XKL}-2026-DT": council})
    campaign_services.campaign_transition(actor=None, campaign=campaign, action="open_window")
    leaves = _leaves(campaign)
    for enrolment in campaign.enrolments.select_related("unit", "campaign"):
        text, outcome = SCORES_2026[enrolment.unit.code]
        if outcome is None:
            continue
        head = heads[enrolment.unit.code]
        assessment = assessment_services.assessment_for(enrolment)
        entries = {c.pk: (s, "") for c, s in zip(leaves, _scores(text), strict=False)}
        assessment_services.assessment_save_draft(
            actor=head, assessment=assessment, version=assessment.version, entries=entries
        )
        if outcome in ("submitted", "returned"):
            assessment_services.assessment_submit(
                actor=head, assessment=assessment, version=assessment.version
            )
        if outcome == "returned":
            assessment_services.assessment_return(
                actor=council, assessment=assessment, reason=RETURN_REASON_2026
            )
    return campaign


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create (or leave as they are) the demo units, campaigns and accounts."""
    # a test's flush removes what the migration wrote
    catalogue_ensure(Award, BaseSalary, AwardTerm)
    conditions_ensure(Award, AwardCondition)
    kinds = unit_services.unit_kinds_ensure()
    _seed_units_before_reform(kinds)
    _seed_template()
    manager = _member(
        "manager", "Nguyễn Văn Quản", Role.CAMPAIGN_MANAGER, "KL", Membership.Role.OFFICER
    )
    council = _member(
        "council", "Lê Văn Hội", Role.COUNCIL_MEMBER, "KL-NOIVU", Membership.Role.STAFF
    )
    c2019 = _campaign_2019(council, _heads(UNITS_2019))
    c2022 = _campaign_2022(_heads(UNITS_2022))
    _seed_reform(kinds)
    # After the reform the district's officer went on to xã Kiên Lương, keeping the 2019 files.
    people.membership_set(actor=None, user=manager, unit=_unit(XKL), role=Membership.Role.OFFICER)
    # So did the council's secretary: a council seat goes to an account of the authority's units.
    people.membership_set(actor=None, user=council, unit=_unit(XKL), role=Membership.Role.STAFF)
    _campaign_2026(council, _heads([(row[0], row[3], row[4]) for row in UNITS_2026]))
    _seed_profiles()
    _seed_council_sessions(c2019, c2022, council)
    _seed_past_awards()
    _seed_proposals()
    return {
        "units": Unit.objects.count(),
        "campaigns": Campaign.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "registrations": Registration.objects.count(),
        "users": User.objects.count(),
    }


# How each authority heads and signs its documents (Nghị định 30/2020). The seed articles name
# one signer: ông Đặng Minh Thành, Phó Chủ tịch UBND huyện Kiên Lương in 2019; no other name is
# invented for a real office, so the chairmen are left for the officer to fill in.
PROFILES = {
    reform.HUYEN_KIEN_LUONG: {
        "issuing_body": "ỦY BAN NHÂN DÂN\nHUYỆN KIÊN LƯƠNG",
        "name": "Ủy ban nhân dân huyện Kiên Lương",
        "deputy_names": ["Đặng Minh Thành"],
    },
    XKL: {
        "issuing_body": "ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG",
        "name": "Ủy ban nhân dân xã Kiên Lương",
    },
    # The province decides its communes' proposals; its decision needs a signer, and no real
    # official's name is put in the demo: "Nguyễn Văn A" is the usual placeholder name.
    reform.AN_GIANG: {
        "issuing_body": "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG",
        "name": "Ủy ban nhân dân tỉnh An Giang",
        "place_name": "An Giang",
        "deputy_names": ["Nguyễn Văn A"],
    },
}


DEMO_CERTIFICATE_PASSWORD = "demo"  # noqa: S105 - a test certificate, never a real office's


def _seed_profiles() -> None:
    for code, profile in PROFILES.items():
        unit_services.authority_profile_update(
            actor=None,  # the demo acts as the system
            authority=_unit(code),
            code="UBND",
            **{"place_name": "Kiên Lương", **profile},  # type: ignore[arg-type]
        )
        authority = _unit(code)
        if not AuthorityCertificate.objects.filter(authority=authority).exists():
            # A self-signed test certificate (`manage.py make_test_certificate`), so the demo's
            # issued decision and minutes come signed; its password is "demo".
            unit_services.authority_certificate_set(
                actor=None,
                authority=authority,
                pkcs12=make_test_certificate(
                    common_name=authority.name,
                    organization=f"{authority.name} (chứng thư thử nghiệm)",
                    password=DEMO_CERTIFICATE_PASSWORD,
                ),
                password=DEMO_CERTIFICATE_PASSWORD,
            )


# The 2019 district council (at least five members; the standing vice-chair named in the article
# presides) and how each member voted, one letter per nomination (the two units leading their
# blocks, then two people): y, n or a (abstain).
COUNCIL_2019 = [
    ("dangminhthanh", "Đặng Minh Thành", CouncilSeat.Role.VICE_CHAIR, "yyyn"),
    ("phamvanhung", "Phạm Văn Hùng", CouncilSeat.Role.MEMBER, "yyya"),
    ("vothimai", "Võ Thị Mai", CouncilSeat.Role.MEMBER, "yyny"),
    ("huynhvantam", "Huỳnh Văn Tâm", CouncilSeat.Role.MEMBER, "yyyn"),
]
ABSENT_2019 = ("nguyenthihoa", "Nguyễn Thị Hoa", "yyyy")  # a written opinion, via the secretary


def _seed_council_sessions(c2019: Campaign, c2022: Campaign, secretary: User) -> None:
    """2019: a closed session, every vote cast through the services one by one, amounts at the
    2019 base salary. 2022 (the current campaign): a session in preparation."""
    from votes import services as votes

    if not c2019.sessions.exists():
        members = []
        for username, name, role, _votes in [*COUNCIL_2019, (*ABSENT_2019[:2], "member", "")]:
            member = _user(username, name, Role.COUNCIL_MEMBER)
            campaign_services.council_seat_set(actor=None, campaign=c2019, user=member, role=role)
            members.append(member)
        session = votes.session_create(
            actor=None,
            campaign=c2019,
            held_on=datetime.date(2019, 12, 20),
            starts_at=datetime.time(14, 0),
            venue="Phòng họp Ủy ban nhân dân huyện Kiên Lương",
            place_name="Kiên Lương",
        )
        for member in [secretary, *members[:-1]]:
            votes.attendance_set(actor=None, session=session, user=member, present=True)
        giay_khen = Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân huyện")
        nominations = [
            *votes.nominations_prefill(actor=None, session=session, award=giay_khen),
            votes.nomination_add(
                actor=None,
                session=session,
                enrolment=c2019.enrolments.get(unit__code="KL-NOIVU"),
                award=giay_khen,
                recipient_kind="individual",
                person_name="Lê Văn Hội",
                position="Chuyên viên Phòng Nội vụ",
                achievements="Tham mưu tổ chức phong trào văn hóa công sở năm 2019.",
            ),
            votes.nomination_add(
                actor=None,
                session=session,
                enrolment=c2019.enrolments.get(unit__code="KL-HOADIEN"),
                award=Award.objects.get(name="Chiến sĩ thi đua cơ sở"),
                recipient_kind="individual",
                person_name="Trần Văn Phúc",
                position="Công chức Văn phòng - Thống kê xã Hòa Điền",
            ),
        ]
        session = votes.voting_open(actor=None, session=session)
        choices = {"y": "yes", "n": "no", "a": "abstain"}
        present = zip(members[:-1], [row[3] for row in COUNCIL_2019], strict=True)
        ballots = [(secretary, "yyyy"), *present]
        for member, letters in ballots:
            for nomination, letter in zip(nominations, letters, strict=False):
                votes.vote_cast(
                    voter=member, session=session, nomination=nomination, choice=choices[letter]
                )
        for nomination, letter in zip(nominations, ABSENT_2019[2], strict=False):
            votes.written_vote_record(
                secretary=secretary,
                session=session,
                nomination=nomination,
                member=members[-1],
                choice=choices[letter],
            )
        session = votes.session_close(
            actor=None, session=session, decided_on=datetime.date(2019, 12, 25)
        )
        deputy = AuthoritySigner.objects.get(
            profile__authority__code=reform.HUYEN_KIEN_LUONG, full_name="Đặng Minh Thành"
        )
        session = votes.decision_issue(actor=None, session=session, signer=deputy)
        # the signed files at once (the queued task then finds them made): the demo's pages
        # show them even when the demo is built inside a transaction that a test rolls back
        votes.session_files_publish(actor=None, session=session)
    if not c2022.sessions.exists():
        planned = votes.session_create(
            actor=None,
            campaign=c2022,
            held_on=c2022.window_closes_on + datetime.timedelta(days=14),
            venue="Trụ sở Ủy ban Mặt trận Tổ quốc Việt Nam huyện",
        )
        votes.nomination_add(
            actor=None,
            session=planned,
            enrolment=c2022.enrolments.get(unit__code="MT-CAMYEN"),
            award=Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân huyện"),
            recipient_kind="individual",
            person_name="Nguyễn Thị Lung",
            position="Phó Chủ tịch UBMTTQ Việt Nam huyện",
        )


# Past years' awards of the district, as an officer would bring them in from the papers (the
# `awards` sheet, through the ledger's import service): sample rows, not from the seed articles,
# with no signer named for a real office. With the 2019 decision (written into the ledger when
# it was issued) the ledger spans several years, and the unit's and the person's pages list them.
PAST_AWARDS = [
    # recipient_kind, unit, person, award, year, decision number, decision date
    ("individual", "KL-NOIVU", "Lê Văn Hội", "LDTT", 2018, "125/QĐ-UBND", (2018, 12, 28)),
    ("individual", "KL-NOIVU", "Lê Văn Hội", "LDTT", 2020, "140/QĐ-UBND", (2020, 12, 29)),
    ("individual", "KL-HOADIEN", "Trần Văn Phúc", "LDTT", 2020, "140/QĐ-UBND", (2020, 12, 29)),
    ("collective", "KL-HOADIEN", "", "TTLDTT", 2021, "152/QĐ-UBND", (2021, 12, 27)),
    ("individual", "KL-HOADIEN", "Trần Văn Phúc", "LDTT", 2021, "152/QĐ-UBND", (2021, 12, 27)),
]
# The 2022 round of the MTTQ committees (its own council's session of that year is kept in
# preparation for the demo): what the district gave them then, brought in from the papers.
PAST_AWARDS_2022 = [
    ("collective", "MT-CAMYEN", "", "GK_HUYEN", 2022, "2315/QĐ-UBND", (2022, 12, 26)),
]


def _seed_past_awards() -> None:
    from core.workbooks import Row
    from votes.services import AwardLine, award_entries_import

    for authority, rows in ((reform.HUYEN_KIEN_LUONG, PAST_AWARDS), ("MT-H", PAST_AWARDS_2022)):
        lines = [
            AwardLine(
                row=Row("awards", number, {}),
                recipient_kind=kind,
                unit_code=unit,
                person_name=person,
                award_code=award,
                year=year,
                decision_number=decision,
                decision_date=datetime.date(*day),
                signer="",
            )
            for number, (kind, unit, person, award, year, decision, day) in enumerate(rows, start=2)
        ]
        # the demo acts as the system; the same rows twice add nothing
        award_entries_import(actor=None, authority=_unit(authority), lines=lines)


# Two levels (issue 21): tỉnh An Giang's emulation office (`tinh`) and its council; xã Kiên Lương's
# council adopted, at two sessions of its 2026 campaign, the Hội Nông dân xã for the province's
# Bằng khen and its chairwoman for the same; the province put the first on its council's session
# and decided it, and returned the second with a reason (the commune corrects and sends it again).
PROVINCE_OFFICER = ("tinh", "Phan Thị Thu Hà")
COUNCIL_PROVINCE = [
    ("lethanhson", "Lê Thanh Sơn", CouncilSeat.Role.CHAIR),
    ("vothikimanh", "Võ Thị Kim Anh", CouncilSeat.Role.VICE_CHAIR),
    ("lamvanphuoc", "Lâm Văn Phước", CouncilSeat.Role.SECRETARY),
    ("tranminhluan", "Trần Minh Luân", CouncilSeat.Role.MEMBER),
    ("nguyenngocdiem", "Nguyễn Ngọc Diễm", CouncilSeat.Role.MEMBER),
]
BANG_KHEN_TINH = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
RETURN_REASON_PROPOSAL = (
    "Báo cáo thành tích của bà Trần Thị Thu chưa có xác nhận của Hội Nông dân tỉnh; đề nghị bổ "
    "sung rồi gửi lại."
)


def _session_voted(
    campaign: Campaign,
    held_on: datetime.date,
    nominate: list[dict[str, object]],
    **session: object,
) -> object:
    """A session of the campaign where every member is present and votes yes on each nomination,
    closed four days later (the decision date)."""
    from votes import services as votes

    created = votes.session_create(actor=None, campaign=campaign, held_on=held_on, **session)
    members = [seat.user for seat in campaign.council_seats.select_related("user")]
    for member in members:
        votes.attendance_set(actor=None, session=created, user=member, present=True)
    nominations = [votes.nomination_add(actor=None, session=created, **n) for n in nominate]
    opened = votes.voting_open(actor=None, session=created)
    for nomination in nominations:
        for member in members:
            votes.vote_cast(voter=member, session=opened, nomination=nomination, choice="yes")
    return votes.session_close(
        actor=None, session=opened, decided_on=held_on + datetime.timedelta(days=4)
    )


def _seed_proposals() -> None:
    from votes import services as votes

    if Campaign.objects.filter(code=CAMPAIGN_PROVINCE).exists():
        return
    _member(*PROVINCE_OFFICER, Role.CAMPAIGN_MANAGER, reform.AN_GIANG, Membership.Role.OFFICER)
    council = [
        (_member(username, name, Role.COUNCIL_MEMBER, reform.AN_GIANG, Membership.Role.STAFF), role)
        for username, name, role in COUNCIL_PROVINCE
    ]
    province = _new_campaign(
        code=CAMPAIGN_PROVINCE,
        title="Phong trào thi đua yêu nước năm 2026 tỉnh An Giang",
        authority=reform.AN_GIANG,
        dates={
            "starts_on": datetime.date(2026, 1, 1),
            "ends_on": datetime.date(2026, 12, 31),
            "window_opens_on": datetime.date(2026, 11, 1),
            "window_closes_on": datetime.date(2026, 11, 30),
        },
        blocks={},
        rows=CRITERIA,
        council=council,
    )
    today = timezone.localdate()
    round_ = votes.proposal_round_create(
        actor=None,
        authority=_unit(reform.AN_GIANG),
        name="Đợt xét khen thưởng năm 2026",
        deadline=max(datetime.date(2026, 12, 15), today + datetime.timedelta(days=7)),
    )
    live = Campaign.objects.get(code=CAMPAIGN_2026)
    farmers = live.enrolments.get(unit__code=f"{XKL}-HND")
    bang_khen = Award.objects.get(name=BANG_KHEN_TINH)
    place = {"place_name": "Kiên Lương", "venue": "Phòng họp Ủy ban nhân dân xã Kiên Lương"}
    unit_session = _session_voted(
        live,
        datetime.date(2026, 8, 14),
        [
            {
                "enrolment": farmers,
                "award": bang_khen,
                "achievements": "Dẫn đầu Khối Mặt trận, đoàn thể 6 tháng đầu năm 2026.\n"
                "Vận động hội viên hiến 1.200 m² đất mở rộng đường giao thông nông thôn.",
            }
        ],
        **place,
    )
    person_session = _session_voted(
        live,
        datetime.date(2026, 10, 20),
        [
            {
                "enrolment": farmers,
                "award": bang_khen,
                "recipient_kind": "individual",
                "person_name": "Trần Thị Thu",
                "position": "Chủ tịch Hội Nông dân xã Kiên Lương",
                "achievements": "Xây dựng mô hình tổ hợp tác trồng lúa chất lượng cao 45 hộ.",
            }
        ],
        **place,
    )
    decided = votes.proposal_create(actor=None, session=unit_session, round=round_)  # type: ignore[arg-type]
    votes.proposal_send(actor=None, proposal=decided)
    returned = votes.proposal_create(actor=None, session=person_session, round=round_)  # type: ignore[arg-type]
    votes.proposal_send(actor=None, proposal=returned)
    votes.proposal_return(actor=None, proposal=returned, reason=RETURN_REASON_PROPOSAL)
    hall = {"venue": "Hội trường Ủy ban nhân dân tỉnh An Giang", "place_name": "An Giang"}
    autumn = votes.session_create(
        actor=None, campaign=province, held_on=datetime.date(2026, 9, 25), **hall
    )
    votes.proposal_schedule(actor=None, proposal=decided, session=autumn)
    members = [seat.user for seat in province.council_seats.select_related("user")]
    for member in members:
        votes.attendance_set(actor=None, session=autumn, user=member, present=True)
    autumn = votes.voting_open(actor=None, session=autumn)
    for nomination in autumn.nominations.all():
        for member in members:
            votes.vote_cast(voter=member, session=autumn, nomination=nomination, choice="yes")
    autumn = votes.session_close(actor=None, session=autumn, decided_on=datetime.date(2026, 9, 30))
    deputy = AuthoritySigner.objects.get(
        profile__authority__code=reform.AN_GIANG, full_name="Nguyễn Văn A"
    )
    autumn = votes.decision_issue(actor=None, session=autumn, signer=deputy)
    votes.session_files_publish(actor=None, session=autumn)  # at once, as for 2019 above
    # The year's session, in preparation: where the province's office puts the next files.
    votes.session_create(
        actor=None,
        campaign=province,
        held_on=max(datetime.date(2026, 12, 28), today + datetime.timedelta(days=14)),
        **hall,
    )
