"""Demo data from the two seed articles (Kiên Lương 2019, UBMTTQ huyện 2022) and the demo accounts.

Idempotent: codes are the keys, so running it again changes nothing.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments import services as scoring_services
from assessments.models import Assessment, AssessmentItem, AssessmentStatus, ReviewItem
from campaigns import services as campaign_services
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Checklist,
    Conference,
    ConferenceKind,
    CouncilSeat,
    Criterion,
    Enrolment,
)
from scoring import pipeline
from scoring import services as runs
from units import services as unit_services
from units.models import Block, Membership, Unit
from units.roles import Role, role_group
from votes.catalogue import catalogue_ensure
from votes.models import Award, BaseSalary

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "demo"  # noqa: S105 - published demo accounts, refused under production settings

# (code, name, kind, parent code, valid_to)
UNITS = [
    ("KG", "Tỉnh Kiên Giang", "tinh", None, datetime.date(2025, 6, 30)),
    ("KL", "Huyện Kiên Lương", "huyen", "KG", datetime.date(2025, 6, 30)),
    ("KL-TT", "Thị trấn Kiên Lương", "thi_tran", "KL", datetime.date(2025, 6, 30)),
    ("KL-BINHAN", "Xã Bình An", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-BINHTRI", "Xã Bình Trị", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-DUONGHOA", "Xã Dương Hòa", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-HOADIEN", "Xã Hòa Điền", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-HONNGHE", "Xã Hòn Nghệ", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-KIENBINH", "Xã Kiên Bình", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-SONHAI", "Xã Sơn Hải", "xa", "KL", datetime.date(2025, 6, 30)),
    ("KL-NOIVU", "Phòng Nội vụ huyện Kiên Lương", "co_quan", "KL", datetime.date(2025, 6, 30)),
    (
        "KL-VP",
        "Văn phòng HĐND và UBND huyện Kiên Lương",
        "co_quan",
        "KL",
        datetime.date(2025, 6, 30),
    ),
    (
        "KL-TCKH",
        "Phòng Tài chính - Kế hoạch huyện Kiên Lương",
        "co_quan",
        "KL",
        datetime.date(2025, 6, 30),
    ),
    ("KL-HND", "Hội Nông dân huyện Kiên Lương", "doan_the", "KL", datetime.date(2025, 6, 30)),
    ("MT-H", "Ủy ban MTTQ Việt Nam huyện", "mttq", None, None),
    ("MT-CAMYEN", "Ủy ban MTTQ Việt Nam xã Cẩm Yên", "mttq", "MT-H", None),
    ("MT-TT", "Ủy ban MTTQ Việt Nam thị trấn", "mttq", "MT-H", None),
    ("MT-XA2", "Ủy ban MTTQ Việt Nam xã (thứ hai)", "mttq", "MT-H", None),
    (
        "MT-CAMYEN-BCT1",
        "Ban công tác Mặt trận thôn 1, xã Cẩm Yên",
        "ban_cong_tac_mt",
        "MT-CAMYEN",
        None,
    ),
    (
        "MT-CAMYEN-BCT2",
        "Ban công tác Mặt trận thôn 2, xã Cẩm Yên",
        "ban_cong_tac_mt",
        "MT-CAMYEN",
        None,
    ),
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


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _seed_units() -> None:
    kinds = unit_services.unit_kinds_ensure()
    for code, name, kind, parent, valid_to in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = unit_services.unit_create(
                code=code, name=name, kind=kinds[kind], parent=_unit(parent) if parent else None
            )
        if unit.valid_to != valid_to:
            unit_services.unit_update(unit=unit, valid_to=valid_to)


def _seed_template() -> Checklist:
    template, created = Checklist.objects.get_or_create(
        name="Văn hóa công sở (mẫu)", is_template=True, campaign=None
    )
    if created:
        _fill_checklist(template, CRITERIA)
    return template


def _fill_checklist(checklist: Checklist, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    by_code: dict[str, Criterion] = {}
    for order, (code, parent, title, kind, max_points, critical, evidence) in enumerate(rows):
        by_code[code] = campaign_services.criterion_save(
            actor=None,
            checklist=checklist,
            code=code,
            parent=by_code.get(parent or ""),
            title=title,
            kind=kind,
            max_points=Decimal(max_points),
            critical=critical,
            evidence_required=evidence,
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


def _seed_campaign(
    *,
    code: str,
    title: str,
    authority: str,
    dates: dict[str, datetime.date],
    units: list[str],
    blocks: dict[str, tuple[str, list[str]]],
    rows: list[tuple],
    council: list[User],
) -> Campaign:  # type: ignore[type-arg]
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is not None:
        return campaign
    campaign = campaign_services.campaign_create(
        actor=None, code=code, title=title, authority=_unit(authority), **dates
    )
    _fill_checklist(campaign.checklist, rows)  # type: ignore[arg-type]
    in_blocks: set[str] = set()
    for block_code, (block_name, members) in blocks.items():
        block = Block.objects.filter(code=block_code).first() or unit_services.block_create(
            code=block_code,
            name=block_name,
            members=[_unit(m) for m in members],
            head_unit=_unit(members[0]),
            year=dates["starts_on"].year,
        )
        campaign_services.campaign_enrol_block(actor=None, campaign=campaign, block=block)
        in_blocks.update(members)
    rest = [_unit(u) for u in units if u not in in_blocks]
    if rest:
        campaign_services.campaign_enrol(actor=None, campaign=campaign, units=rest)
    for user in council:  # the one demo council member also keeps the minutes
        campaign_services.council_seat_set(
            actor=None, campaign=campaign, user=user, role=CouncilSeat.Role.SECRETARY
        )
    return campaign


def _conference(campaign: Campaign, **fields: object) -> None:
    if not Conference.objects.filter(campaign=campaign, kind=fields["kind"]).exists():
        campaign_services.conference_record(actor=None, campaign=campaign, **fields)  # type: ignore[arg-type]


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create (or leave as they are) the demo units, campaigns and accounts."""
    catalogue_ensure(Award, BaseSalary)  # a test's flush removes what the migration wrote
    _seed_units()
    _seed_template()
    manager = _user("manager", "Nguyễn Văn Quản", Role.CAMPAIGN_MANAGER)
    unithead = _user("unithead", "Trần Thị Thu", Role.UNIT_HEAD)
    council = _user("council", "Lê Văn Hội", Role.COUNCIL_MEMBER)
    for user, unit, role in [
        (manager, "KL", Membership.Role.OFFICER),
        (manager, "MT-H", Membership.Role.OFFICER),
        (unithead, "MT-CAMYEN", Membership.Role.HEAD),
        (unithead, "KL-TT", Membership.Role.HEAD),
        (council, "KL-NOIVU", Membership.Role.STAFF),
    ]:
        unit_services.membership_set(user=user, unit=_unit(unit), role=role)

    kl_communes = [
        "KL-TT",
        "KL-BINHAN",
        "KL-BINHTRI",
        "KL-DUONGHOA",
        "KL-HOADIEN",
        "KL-HONNGHE",
        "KL-KIENBINH",
        "KL-SONHAI",
    ]
    kl_agencies = ["KL-NOIVU", "KL-VP", "KL-TCKH", "KL-HND"]
    c2019 = _seed_campaign(
        code=CAMPAIGN_2019,
        title="Cán bộ, công chức, viên chức thực hiện văn hóa công sở năm 2019",
        authority="KL",
        dates={
            "starts_on": datetime.date(2019, 8, 8),
            "ends_on": datetime.date(2019, 12, 31),
            "window_opens_on": datetime.date(2019, 11, 1),
            "window_closes_on": datetime.date(2019, 11, 30),
        },
        units=kl_communes + kl_agencies,
        blocks={
            "KL-2019-XA": ("Khối xã, thị trấn huyện Kiên Lương 2019", kl_communes),
            "KL-2019-CQ": ("Khối cơ quan, đoàn thể huyện Kiên Lương 2019", kl_agencies),
        },
        rows=CRITERIA,
        council=[council],
    )
    _conference(
        c2019,
        kind=ConferenceKind.LAUNCH,
        held_at=datetime.datetime(2019, 8, 8, 7, 30, tzinfo=VIETNAM),
        venue="Hội trường Ủy ban nhân dân huyện Kiên Lương",
        chair="Ông Đặng Minh Thành – Huyện ủy viên, Phó Chủ tịch UBND huyện, Phó Chủ tịch Thường "
        "trực Hội đồng thi đua khen thưởng huyện",
        attending_units=[_unit(code) for code in kl_communes + kl_agencies],
        agenda="Phát động phong trào thi đua “Cán bộ, công chức, viên chức thực hiện văn hóa công "
        "sở” năm 2019.",
    )
    today = timezone.localdate()
    mt_units = ["MT-CAMYEN", "MT-TT", "MT-XA2", "MT-CAMYEN-BCT1", "MT-CAMYEN-BCT2"]
    c2022 = _seed_campaign(
        code=CAMPAIGN_2022,
        title="Cán bộ, công chức, viên chức thực hiện văn hóa công sở và nơi công cộng",
        authority="MT-H",
        dates={
            "starts_on": datetime.date(2022, 6, 9),
            "ends_on": today + datetime.timedelta(days=90),
            "window_opens_on": today - datetime.timedelta(days=7),
            "window_closes_on": today + datetime.timedelta(days=30),
        },
        units=mt_units,
        blocks={"MT-2022-XA": ("Cụm MTTQ các xã, thị trấn", ["MT-CAMYEN", "MT-TT", "MT-XA2"])},
        rows=CRITERIA[:15] + [PUBLIC_PLACES] + CRITERIA[15:],
        council=[council],
    )
    _conference(
        c2022,
        kind=ConferenceKind.ROLLOUT,
        held_at=datetime.datetime(2022, 6, 9, 8, 0, tzinfo=VIETNAM),
        venue="UBMTTQ Việt Nam huyện",
        chair="Đồng chí Đỗ Thị Bích – UVBTV Huyện ủy, Chủ tịch UBMTTQ Việt Nam huyện",
        attending_units=[_unit(code) for code in mt_units],
        agenda="Đồng chí Nguyễn Thị Lung – Phó Chủ tịch UBMTTQ Việt Nam huyện triển khai Kế hoạch "
        "thực hiện phong trào thi đua.",
    )
    for campaign in (c2019, c2022):
        if campaign.status == CampaignStatus.DRAFT:
            campaign_services.campaign_launch(actor=None, campaign=campaign)
    if c2022.status == CampaignStatus.LAUNCHED:
        campaign_services.campaign_transition(actor=None, campaign=c2022, action="open_window")
    scoring_services.review_assign(
        actor=None, campaign=c2022, reviewer=council, block=Block.objects.get(code="MT-2022-XA")
    )
    for code in ("MT-CAMYEN-BCT1", "MT-CAMYEN-BCT2"):
        scoring_services.review_assign(
            actor=None, campaign=c2022, reviewer=council, unit=_unit(code)
        )
    _seed_2019_results(c2019, council)
    _seed_council_sessions(c2019, c2022, council)
    return {
        "units": Unit.objects.count(),
        "campaigns": Campaign.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "users": User.objects.count(),
    }


# Self scores of the 2019 units, one digit per scored criterion (0-10 scale), then the bonus.
SCORES_2019 = {
    "KL-TT": "99889899998",
    "KL-BINHAN": "98899899990",
    "KL-BINHTRI": "88788788980",
    "KL-DUONGHOA": "77787777870",
    "KL-HOADIEN": "99999999995",
    "KL-HONNGHE": "66676666650",
    "KL-KIENBINH": "88898889890",
    "KL-SONHAI": "55555555550",
    "KL-NOIVU": "99999899993",
    "KL-VP": "88888888880",
    "KL-TCKH": "99989998990",
    "KL-HND": "88898888880",
}


def _seed_2019_results(campaign: Campaign, council: User) -> None:
    """The 2019 campaign, reviewed and published: what the council saw at the final review."""
    if campaign.scoring_runs.exists():
        return
    criteria = list(
        Criterion.objects.filter(checklist=campaign.checklist, children__isnull=True).order_by(
            "order"
        )
    )
    submitted = datetime.datetime(2019, 11, 28, 9, 0, tzinfo=VIETNAM)
    for enrolment in campaign.enrolments.select_related("unit"):
        digits = SCORES_2019[enrolment.unit.code]
        assessment = Assessment.objects.create(
            enrolment=enrolment,
            status=AssessmentStatus.ACCEPTED,
            submitted_at=submitted,
            last_submitted_at=submitted,
        )
        AssessmentItem.objects.bulk_create(
            [
                AssessmentItem(
                    assessment=assessment,
                    criterion=criterion,
                    self_score=_demo_score(criterion, digit),
                )
                for criterion, digit in zip(criteria, digits, strict=False)
            ]
        )
    first = Assessment.objects.get(enrolment__campaign=campaign, enrolment__unit__code="KL-HOADIEN")
    ReviewItem.objects.create(
        assessment=first,
        criterion=criteria[0],
        reviewer=council,
        score=Decimal("8.5"),
        comment="Minh chứng chưa đủ",
    )
    CampaignEvent = campaign.events.model
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.UNDER_REVIEW)
    CampaignEvent.objects.create(
        campaign=campaign, action="status", old_value="launched", new_value="under_review"
    )
    campaign.refresh_from_db()
    run = runs.scoring_run_start(actor=None, campaign=campaign)
    pipeline.execute(run.pk)  # seed_demo is one transaction: compute it right here
    run.refresh_from_db()
    runs.scoring_run_publish(actor=None, run=run)


def _demo_score(criterion: Criterion, digit: str) -> Decimal:
    """Scale a 0-9 digit to the criterion: yes_no is all or nothing, deductions stay small."""
    value = Decimal(digit)
    if criterion.kind == "yes_no":
        return criterion.max_points if value >= 5 else Decimal(0)
    if criterion.kind == "deduction":
        return Decimal(0)
    if criterion.kind == "bonus":
        return min(criterion.max_points, value)
    scaled = criterion.max_points * value / 9
    return (scaled * 2).quantize(Decimal("1")) / 2


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
        votes.session_close(
            actor=None,
            session=session,
            decided_on=datetime.date(2019, 12, 25),
            signer_post="Chủ tịch Ủy ban nhân dân huyện",
            signer_name="Nguyễn Văn Quản",
        )
    if not c2022.sessions.exists():
        planned = votes.session_create(
            actor=None,
            campaign=c2022,
            held_on=c2022.window_closes_on + datetime.timedelta(days=14),
            venue="Ủy ban MTTQ Việt Nam huyện",
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
