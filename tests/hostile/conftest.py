"""The seeded world the hostile suite attacks: the demo (two campaigns, council sessions, the
users `manager`, `unithead`, `council`), a unit staff member, and a second authority with its
own manager, units, block, campaign, conference and council session, so that "the manager of
another authority" and "ids of another authority's objects" exist; and, through the services,
what the demo lacks for a page to link to every door: files (an attachment, a conference file,
evidence, a signed registration), a registration waiting for its decision, a draft campaign
(its checklist still editable, its units still registering), and runs (one finished and not
published, one under way), and an API client system (a token to revoke)."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from api.services import api_client_create
from assessments import services as assessments
from assessments.models import Assessment
from campaigns import services as campaigns
from campaigns.models import Campaign, Checklist, Criterion
from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2026, XKL, seed_demo
from scoring import pipeline
from scoring import services as runs
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units import services as units
from units.models import Membership, Unit
from units.roles import Role
from votes import services as votes

ROLES = ["manager", "other_manager", "unithead", "unitstaff", "council", "anonymous"]


@dataclass
class World:
    users: dict[str, User | None]
    other_campaign: Campaign
    draft: Assessment  # a unit's never-submitted assessment, with evidence, in the live campaign


def other_authority() -> tuple[User, Campaign]:
    district = UnitFactory(code="KHAC", name="Huyện Khác", kind=kind("huyen"))
    communes = [UnitFactory(parent=district, name=f"Xã Khác {n}") for n in (1, 2)]
    manager = UserFactory(username="manager_khac", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=district, role=Membership.Role.OFFICER)
    units.block_create(
        actor=manager,
        code="KHAC-KHOI",
        name="Khối xã huyện Khác",
        members=communes,
        head_unit=communes[0],
        year=2026,
    )
    campaign = campaigns.campaign_create(
        actor=manager,
        code="KHAC-2026",
        title="Phong trào của huyện khác",
        authority=district,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 11, 1),
        window_closes_on=datetime.date(2026, 11, 30),
        template=Checklist.objects.filter(is_template=True).first(),
    )
    campaigns.campaign_enrol(actor=manager, campaign=campaign, units=communes)
    campaigns.conference_record(
        actor=manager,
        campaign=campaign,
        kind="launch",
        held_at=datetime.datetime(2026, 1, 8, 7, 30, tzinfo=datetime.UTC),
        venue="Hội trường huyện Khác",
        chair="Ông Chủ Tọa",
        attending_units=communes,
    )
    votes.session_create(actor=manager, campaign=campaign, held_on=datetime.date(2026, 12, 20))
    return manager, campaign


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def head_of(unit_code: str) -> User:
    return Membership.objects.get(unit__code=unit_code, role=Membership.Role.HEAD).user


def files_and_registrations(manager: User, unithead: User) -> None:
    """On the live 2026 campaign: an attachment, a conference file, evidence of the unit head's
    returned assessment. A draft campaign of the same authority: its checklist editable, the
    unit head's unit not yet registered, another unit's signed registration waiting."""
    live = Campaign.objects.get(code=CAMPAIGN_2026)
    campaigns.campaign_attachment_add(
        actor=manager, campaign=live, upload=pdf("ke-hoach.pdf"), title="Kế hoạch thi đua"
    )
    campaigns.conference_file_add(
        actor=manager, conference=live.conferences.get(), upload=pdf("bien-ban-hoi-nghi.pdf")
    )
    own = live.enrolments.get(unit__code=f"{XKL}-HND")
    assessment = assessments.assessment_for(own)
    criterion = Criterion.objects.filter(checklist=live.checklist, children__isnull=True)[0]
    assessments.evidence_add(
        actor=unithead, assessment=assessment, criterion_id=criterion.pk, upload=pdf("anh.pdf")
    )
    draft = campaigns.campaign_create(
        actor=manager,
        code="NHAP-2027",
        title="Phong trào đang soạn năm 2027",
        authority=Unit.objects.get(code=XKL),
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        window_opens_on=datetime.date(2027, 11, 1),
        window_closes_on=datetime.date(2027, 11, 30),
        template=Checklist.objects.filter(is_template=True).first(),
    )
    enrolled = campaigns.campaign_enrol(
        actor=manager,
        campaign=draft,
        units=Unit.objects.filter(code__in=[own.unit.code, f"{XKL}-KT"]),
    )
    other = next(e for e in enrolled if e.unit.code == f"{XKL}-KT")
    campaigns.registration_send(
        actor=head_of(other.unit.code),
        enrolment=other,
        targets="Hoàn thành xuất sắc nhiệm vụ",
        upload=pdf("dang-ky.pdf"),
    )


def a_draft_with_evidence() -> Assessment:
    """A unit's draft of the live campaign (scored, never submitted) with a file attached: its
    own people's working copy, which the council (assigned to its block) and the managers must
    not open yet."""
    live = Campaign.objects.get(code=CAMPAIGN_2026)
    draft = (
        Assessment.objects.filter(enrolment__campaign=live, submitted_at__isnull=True)
        .exclude(enrolment__unit__code=f"{XKL}-HND")
        .select_related("enrolment__unit")
        .order_by("pk")
        .first()
    )
    assert draft is not None, "the demo's live campaign has no unit still drafting"
    criterion = Criterion.objects.filter(checklist=live.checklist, children__isnull=True)[0]
    assessments.evidence_add(
        actor=head_of(draft.enrolment.unit.code),
        assessment=draft,
        criterion_id=criterion.pk,
        upload=pdf("du-thao.pdf"),
    )
    return draft


def runs_to_publish_and_watch(manager: User) -> None:
    """On the published 2019 campaign: a run computed and not published (so two to compare),
    and one queued (its task goes after a commit that never comes: it stays under way)."""
    campaign = Campaign.objects.get(code=CAMPAIGN_2019)
    finished = runs.scoring_run_start(actor=manager, campaign=campaign)
    pipeline.execute(finished.pk)
    runs.scoring_run_start(actor=manager, campaign=campaign)


def build_world() -> World:
    seed_demo()
    staff = UserFactory(username="unitstaff", roles=[Role.UNIT_STAFF])
    MembershipFactory(
        user=staff, unit=Unit.objects.get(code="MT-CAMYEN"), role=Membership.Role.STAFF
    )
    other_manager, other_campaign = other_authority()
    users: dict[str, User | None] = {
        name: User.objects.get(username=name) for name in ("manager", "unithead", "council")
    }
    users.update(other_manager=other_manager, unitstaff=staff, anonymous=None)
    manager, unithead = User.objects.get(username="manager"), User.objects.get(username="unithead")
    files_and_registrations(manager, unithead)
    draft = a_draft_with_evidence()
    runs_to_publish_and_watch(manager)
    # A client system of the authority, so its page has a token to revoke.
    api_client_create(actor=manager, authority=Unit.objects.get(code=XKL), name="CSDL tỉnh")
    return World(users=users, other_campaign=other_campaign, draft=draft)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[World, Any]]:
    """The world and its map, built once per module inside a transaction rolled back at its
    end; each test runs in a savepoint of it (plain `django_db`) and each request in another."""
    from .test_doors import build_map

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            yield world, build_map(world)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(seeded: tuple[World, Any], db: None) -> World:
    return seeded[0]


@pytest.fixture
def mapped(seeded: tuple[World, Any], db: None) -> Any:
    return seeded[1]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from .attack import TOTALS, total_line

    if TOTALS:
        terminalreporter.write_line(
            f"hostile suite: {sum(TOTALS.values())} requests ({total_line()})"
        )
