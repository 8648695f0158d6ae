"""A campaign whose self-assessment window is open, and the people around it.

Two communes of one district compete in one block. Each commune has a head; the first also has a
staff member. The district has a head of its own (the parent unit's head), a campaign manager, and
a council of two: one member assigned to review the first commune, one not assigned.

The default checklist (docs/domain.md's kinds):
    I    section                      (no score)
    1.1  points, max 10, evidence required
    1.2  yes_no, max 5, critical
    2    deduction, max 5
    3    bonus, max 5
"""

import datetime
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Evidence
from campaigns import services as campaign_services
from campaigns.models import Campaign, Criterion, Enrolment
from tests.campaigns.test_services import PDF
from tests.factories import BlockFactory, MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Block, Unit
from units.roles import Role

_codes = itertools.count(1)


def criterion_add(campaign: Campaign, code: str, **fields: object) -> Criterion:
    """Add a criterion to a campaign's checklist (before launch, while it is not frozen)."""
    defaults: dict[str, object] = {
        "title": f"Tiêu chí {code}",
        "kind": "points",
        "max_points": Decimal(10),
    }
    return campaign_services.criterion_save(
        actor=None, checklist=campaign.checklist, code=code, **{**defaults, **fields}
    )


def default_checklist(campaign: Campaign) -> None:
    section = criterion_add(campaign, "I", title="Thái độ, trách nhiệm", max_points=Decimal(0))
    criterion_add(
        campaign,
        "1.1",
        parent=section,
        title="Thái độ, trách nhiệm với người dân, doanh nghiệp",
        evidence_required=True,
        order=1,
    )
    criterion_add(
        campaign,
        "1.2",
        parent=section,
        title="Không uống rượu bia trong giờ làm việc và giờ nghỉ trưa",
        kind="yes_no",
        max_points=Decimal(5),
        critical=True,
        order=2,
    )
    criterion_add(
        campaign, "2", title="Vi phạm nội quy cơ quan", kind="deduction", max_points=Decimal(5)
    )
    criterion_add(
        campaign, "3", title="Sáng kiến văn hóa công sở", kind="bonus", max_points=Decimal(5)
    )


def pdf_upload(name: str = "bien-ban.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class World:
    campaign: Campaign
    district: Unit
    unit_a: Unit
    unit_b: Unit
    block: Block
    manager: User
    head_a: User
    staff_a: User
    head_b: User
    parent_head: User
    reviewer: User
    bystander: User
    criteria: dict[str, Criterion] = field(default_factory=dict)

    def criterion(self, code: str) -> Criterion:
        return self.criteria[code]

    def enrolment(self, unit: Unit | None = None) -> Enrolment:
        """Read again from the database, so a closed or reopened window is seen."""
        return Enrolment.objects.select_related("campaign", "unit").get(
            campaign=self.campaign, unit=unit or self.unit_a
        )

    def assessment(self, unit: Unit | None = None) -> Assessment:
        """The unit's assessment as the database has it now (created empty the first time)."""
        return services.assessment_for(self.enrolment(unit))

    def head_of(self, unit: Unit | None = None) -> User:
        return self.head_b if unit == self.unit_b else self.head_a

    def entries(
        self, scores: Mapping[str, object], notes: Mapping[str, str] | None = None
    ) -> dict[object, tuple[object, str]]:
        notes = notes or {}
        return {
            self.criterion(code).pk: (score, notes.get(code, "")) for code, score in scores.items()
        }

    def save(
        self,
        scores: Mapping[str, object],
        *,
        actor: User | None = None,
        unit: Unit | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> Assessment:
        """Save a draft at the current version, as the unit's head unless `actor` is given."""
        assessment = self.assessment(unit)
        return services.assessment_save_draft(
            actor=actor or self.head_of(unit),
            assessment=assessment,
            version=assessment.version,
            entries=self.entries(scores, notes),
        )

    def attach(
        self,
        code: str = "1.1",
        *,
        actor: User | None = None,
        unit: Unit | None = None,
        name: str = "bien-ban.pdf",
        content: bytes = PDF,
    ) -> Evidence:
        return services.evidence_add(
            actor=actor or self.head_of(unit),
            assessment=self.assessment(unit),
            criterion_id=self.criterion(code).pk,
            upload=pdf_upload(name, content),
        )

    def complete(self, *, unit: Unit | None = None) -> Assessment:
        """Every points/yes_no criterion scored and the required evidence attached."""
        self.save({"1.1": "8", "1.2": "5"}, unit=unit)
        self.attach("1.1", unit=unit)
        return self.assessment(unit)

    def submit(self, *, unit: Unit | None = None) -> Assessment:
        assessment = self.complete(unit=unit)
        return services.assessment_submit(
            actor=self.head_of(unit), assessment=assessment, version=assessment.version
        )


def _user(username: str, role: str, full_name: str = "", **memberships: Unit) -> User:
    first, _space, last = full_name.rpartition(" ")
    user = UserFactory(username=username, roles=[role], first_name=first, last_name=last)
    for membership_role, unit in memberships.items():
        MembershipFactory(user=user, unit=unit, role=membership_role)
    return user


def build_world(
    *,
    review_stages: int = 1,
    checklist: Callable[[Campaign], object] = default_checklist,
) -> World:
    """Create, launch and open a campaign per docs/domain.md's life cycle, through the services."""
    n = next(_codes)
    today = timezone.localdate()
    district = UnitFactory(code=f"KL{n}", name=f"Huyện Kiên Lương {n}", kind=kind("huyen"))
    unit_a = UnitFactory(name=f"Xã Bình An {n}", parent=district)
    unit_b = UnitFactory(name=f"Xã Bình Trị {n}", parent=district)
    block = BlockFactory(name=f"Cụm các xã {n}")
    block.members.set([unit_a, unit_b])
    manager = _user(f"manager{n}", Role.CAMPAIGN_MANAGER, officer=district)
    campaign = campaign_services.campaign_create(
        actor=manager,
        code=f"VHCS-{n}",
        title=f"Văn hóa công sở {n}",
        authority=district,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=60),
        window_opens_on=today - datetime.timedelta(days=10),
        window_closes_on=today + datetime.timedelta(days=10),
        review_stages=review_stages,
    )
    checklist(campaign)
    campaign_services.campaign_enrol_block(actor=manager, campaign=campaign, block=block)
    campaign_services.campaign_launch(actor=manager, campaign=campaign)
    campaign_services.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    reviewer = _user(f"reviewer{n}", Role.COUNCIL_MEMBER, "Phạm Văn Thẩm")
    bystander = _user(f"bystander{n}", Role.COUNCIL_MEMBER, "Võ Thị Ngồi")
    for member in (reviewer, bystander):
        campaign_services.council_seat_set(actor=manager, campaign=campaign, user=member)
    services.review_assign(actor=manager, campaign=campaign, reviewer=reviewer, unit=unit_a)
    world = World(
        campaign=campaign,
        district=district,
        unit_a=unit_a,
        unit_b=unit_b,
        block=block,
        manager=manager,
        head_a=_user(f"head_a{n}", Role.UNIT_HEAD, "Trần Văn An", head=unit_a),
        staff_a=_user(f"staff_a{n}", Role.UNIT_STAFF, "Lê Thị Bình", staff=unit_a),
        head_b=_user(f"head_b{n}", Role.UNIT_HEAD, "Đỗ Văn Bảy", head=unit_b),
        parent_head=_user(f"parent{n}", Role.UNIT_HEAD, "Đặng Minh Thành", head=district),
        reviewer=reviewer,
        bystander=bystander,
    )
    world.criteria = {c.code: c for c in Criterion.objects.filter(checklist=campaign.checklist)}
    return world


@pytest.fixture
def world(media_root: object) -> World:
    return build_world()


@pytest.fixture
def foreign_criterion(world: World) -> Criterion:
    """A criterion of another campaign of the same authority."""
    other = campaign_services.campaign_create(
        actor=world.manager,
        code=f"{world.campaign.code}-KHAC",
        title="Phong trào khác",
        authority=world.district,
        starts_on=world.campaign.starts_on,
        ends_on=world.campaign.ends_on,
        window_opens_on=world.campaign.window_opens_on,
        window_closes_on=world.campaign.window_closes_on,
    )
    return criterion_add(other, "1.1", title="Tiêu chí của phong trào khác")
