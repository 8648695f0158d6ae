"""A council of N seated members (the first is the secretary), a session and one nomination,
all built through the services."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from campaigns.models import CouncilSeat
from scoring import pipeline
from scoring import services as runs
from tests.factories import (
    CampaignFactory,
    EnrolmentFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    kind,
)
from tests.scoring.scoring_cases import Case
from units.models import Unit
from units.roles import Role
from votes import services
from votes.models import Award, CouncilSession, Nomination


@dataclass
class Council:
    session: CouncilSession
    members: list[User]
    nomination: Nomination

    def attend(self, count: int) -> None:
        for member in self.members[:count]:
            services.attendance_set(actor=None, session=self.session, user=member, present=True)

    def open(self, present: int | None = None) -> None:
        self.attend(len(self.members) if present is None else present)
        self.session = services.voting_open(actor=None, session=self.session)

    def vote(self, choices: str, nomination: Nomination | None = None) -> None:
        """choices: one letter per member in seat order, y/n/a (a space skips a member)."""
        letters = {"y": "yes", "n": "no", "a": "abstain"}
        for member, letter in zip(self.members, choices, strict=False):
            if letter != " ":
                services.vote_cast(
                    voter=member,
                    session=self.session,
                    nomination=nomination or self.nomination,
                    choice=letters[letter],
                )

    def close(self, **kwargs: object) -> CouncilSession:
        """Closes the session, the ballots not cast lost (the officer's tick box)."""
        kwargs.setdefault("missing_accepted", True)
        self.session = services.session_close(actor=None, session=self.session, **kwargs)
        self.nomination.refresh_from_db()
        return self.session


def make_council(
    size: int,
    award: str = "Tập thể lao động xuất sắc",
    authority_kind: str = "huyen",
    **session: object,
) -> Council:
    """A council of `size` members; the campaign's authority is of `authority_kind` (a huyện
    by default, a "xa" for a commune of today)."""
    campaign = CampaignFactory(authority=UnitFactory(kind=kind(authority_kind)))
    members = [
        UserFactory(roles=[Role.COUNCIL_MEMBER], first_name=f"Thành viên {i}") for i in range(size)
    ]
    for i, member in enumerate(members):
        role = {0: CouncilSeat.Role.SECRETARY, 1: CouncilSeat.Role.CHAIR}.get(
            i, CouncilSeat.Role.MEMBER
        )
        CouncilSeat.objects.create(campaign=campaign, user=member, role=role)
    held_on = session.pop("held_on", datetime.date(2026, 12, 20))
    created = services.session_create(actor=None, campaign=campaign, held_on=held_on, **session)
    nomination = services.nomination_add(
        actor=None,
        session=created,
        enrolment=EnrolmentFactory(campaign=campaign),
        award=Award.objects.get(name=award),
    )
    return Council(created, members, nomination)


@pytest.fixture
def catalogue() -> None:
    """The award catalogue and base salaries, back after a transactional test's flush."""
    from votes.catalogue import catalogue_ensure
    from votes.models import AwardTerm, BaseSalary

    catalogue_ensure(Award, BaseSalary, AwardTerm)


@pytest.fixture
def council() -> Council:
    return make_council(10)


@pytest.fixture
def published() -> tuple[Case, Client, Client]:
    case = Case().criterion("1")
    # xã Kiên Lương of today runs it (the decision's letterhead): a commune's powers apply
    Unit.objects.filter(pk=case.campaign.authority_id).update(kind=kind("xa"))
    case.campaign.authority.refresh_from_db()
    case.unit("Xã Bình An", {"1": "10"}).unit("Xã Bình Trị", {"1": "6"})
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    runs.scoring_run_publish(actor=None, run=run, publish_unreviewed=True)
    manager = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=case.campaign.authority, role="officer")
    secretary = UserFactory(roles=[Role.COUNCIL_MEMBER], first_name="Lan", last_name="Trần Thị")
    CouncilSeat.objects.create(
        campaign=case.campaign, user=secretary, role=CouncilSeat.Role.SECRETARY
    )
    manager_client, secretary_client = Client(), Client()
    manager_client.force_login(manager)
    secretary_client.force_login(secretary)
    return case, manager_client, secretary_client
