"""Two authorities, each with a published campaign (two units scored, one award passed at a
closed council session) and a manager, built through the services."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from api.models import ApiClient
from api.services import api_client_create
from campaigns.models import CouncilSeat
from campaigns.services import council_seat_set
from scoring import pipeline
from scoring import services as runs
from tests.factories import MembershipFactory, UserFactory, authority_profile_of, kind
from tests.scoring.scoring_cases import Case
from units.models import Unit
from units.roles import Role
from votes import services as votes
from votes.models import Award

AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"  # the commune decides it itself


@dataclass
class Authority:
    case: Case
    manager: User
    client: ApiClient
    token: str

    @property
    def code(self) -> str:
        return self.case.campaign.code

    def api(self) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")


def publish(case: Case) -> None:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    runs.scoring_run_publish(actor=None, run=run, publish_unreviewed=True)


def award_at_closed_session(case: Case, unit: str) -> None:
    """A council of one member passes `AWARD` for `unit`."""
    member = UserFactory(roles=[Role.COUNCIL_MEMBER], first_name="Lan", last_name="Trần Thị")
    council_seat_set(
        actor=None, campaign=case.campaign, user=member, role=CouncilSeat.Role.SECRETARY
    )
    session = votes.session_create(
        actor=None, campaign=case.campaign, held_on=datetime.date(2026, 12, 20)
    )
    nomination = votes.nomination_add(
        actor=None,
        session=session,
        enrolment=case.units[unit],
        award=Award.objects.get(name=AWARD),
    )
    votes.attendance_set(actor=None, session=session, user=member, present=True)
    session = votes.voting_open(actor=None, session=session)
    votes.vote_cast(voter=member, session=session, nomination=nomination, choice="yes")
    session = votes.session_close(actor=None, session=session, missing_accepted=True)
    profile = authority_profile_of(case.campaign.authority)  # type: ignore[arg-type]
    votes.decision_issue(actor=None, session=session, signer=profile.head)  # "1/QĐ-UBND"


def authority(name: str) -> Authority:
    case = Case().criterion("1")
    # a commune of today (no district after 01/7/2025) decides its own Giấy khen
    Unit.objects.filter(pk=case.campaign.authority_id).update(kind=kind("xa"))
    case.campaign.authority.refresh_from_db()
    case.unit(f"Xã {name} Một", {"1": "10"}).unit(f"Xã {name} Hai", {"1": "6"})
    publish(case)
    award_at_closed_session(case, f"Xã {name} Một")
    manager = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=case.campaign.authority, role="officer")
    client, token = api_client_create(
        actor=manager, authority=case.campaign.authority, name=f"Hệ thống {name}"
    )
    return Authority(case, manager, client, token)


@pytest.fixture(autouse=True)
def fresh_throttle() -> None:
    """Throttle counts live in the cache; ids repeat between tests."""
    cache.clear()


@pytest.fixture
def ours() -> Authority:
    return authority("Bình")


@pytest.fixture
def theirs() -> Authority:
    return authority("Khác")


@pytest.fixture
def manager_client(ours: Authority) -> Client:
    client = Client()
    client.force_login(ours.manager)
    return client
