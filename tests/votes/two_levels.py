"""Two levels built through the services: tỉnh An Giang with its council and a campaign whose
session is in preparation, xã Kiên Lương under it with its council, whose closed session passed
a unit and a person for the province's Bằng khen (and its own Giấy khen), each authority with
its officer."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User

from campaigns.models import Campaign, CouncilSeat
from tests.factories import (
    CampaignFactory,
    EnrolmentFactory,
    UnitFactory,
    UserFactory,
    authority_profile_of,
    kind,
    manager_of,
)
from units.models import Unit
from units.roles import Role
from votes import services
from votes.models import Award, CouncilSession, Nomination, Proposal

BANG_KHEN = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
GIAY_KHEN = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"


@dataclass
class Level:
    authority: Unit
    officer: User
    campaign: Campaign
    members: list[User]
    session: CouncilSession


@dataclass
class TwoLevels:
    province: Level
    commune: Level
    unit_nomination: Nomination
    person_nomination: Nomination

    def propose(self) -> Proposal:
        return services.proposal_create(actor=self.commune.officer, session=self.commune.session)


def seat(campaign: Campaign, size: int, prefix: str) -> list[User]:
    members = [
        UserFactory(roles=[Role.COUNCIL_MEMBER], first_name=f"{prefix} {i}") for i in range(size)
    ]
    for i, member in enumerate(members):
        role = {0: CouncilSeat.Role.SECRETARY, 1: CouncilSeat.Role.CHAIR}.get(
            i, CouncilSeat.Role.MEMBER
        )
        CouncilSeat.objects.create(campaign=campaign, user=member, role=role)
    return members


def vote_all(session: CouncilSession, members: list[User], choice: str = "yes") -> CouncilSession:
    for member in members:
        services.attendance_set(actor=None, session=session, user=member, present=True)
    session = services.voting_open(actor=None, session=session)
    for nomination in session.nominations.all():
        for member in members:
            services.vote_cast(voter=member, session=session, nomination=nomination, choice=choice)
    return services.session_close(actor=None, session=session)


def level(authority: Unit, title: str, size: int) -> Level:
    officer = manager_of(authority)
    campaign = CampaignFactory(authority=authority, title=title)
    members = seat(campaign, size, authority.name)
    session = services.session_create(
        actor=None, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    return Level(authority, officer, campaign, members, session)


def two_levels(*, close: bool = True) -> TwoLevels:
    province = UnitFactory(name="Tỉnh An Giang", kind=kind("tinh"))
    commune = UnitFactory(name="Xã Kiên Lương", kind=kind("xa"), parent=province)
    authority_profile_of(
        province,
        head="Hồ Văn Mừng",
        deputies=("Lê Trung Hồ",),
        issuing_body="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG",
        name="Ủy ban nhân dân tỉnh An Giang",
    )
    authority_profile_of(commune)
    top = level(province, "Khen thưởng năm 2026 của tỉnh", 5)
    bottom = level(commune, "Văn hóa công sở năm 2026", 3)
    agency = UnitFactory(name="Hội Nông dân xã Kiên Lương", parent=commune)
    enrolment = EnrolmentFactory(campaign=bottom.campaign, unit=agency)
    bang_khen = Award.objects.get(name=BANG_KHEN)
    unit = services.nomination_add(
        actor=None,
        session=bottom.session,
        enrolment=enrolment,
        award=bang_khen,
        achievements="Dẫn đầu khối đoàn thể hai năm liền.",
    )
    person = services.nomination_add(
        actor=None,
        session=bottom.session,
        enrolment=enrolment,
        award=bang_khen,
        recipient_kind="individual",
        person_name="Nguyễn Thị Hạnh",
        position="Chủ tịch Hội Nông dân xã",
        achievements="Vận động 120 hộ tham gia mô hình kinh tế tập thể.",
    )
    services.nomination_add(
        actor=None,
        session=bottom.session,
        enrolment=enrolment,
        award=Award.objects.get(name=GIAY_KHEN),
        recipient_kind="individual",
        person_name="Trần Văn Tư",
        position="Phó Chủ tịch Hội Nông dân xã",
    )
    if close:
        bottom.session = vote_all(bottom.session, bottom.members)
        unit.refresh_from_db()
        person.refresh_from_db()
    return TwoLevels(top, bottom, unit, person)
