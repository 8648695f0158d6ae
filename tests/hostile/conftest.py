"""The seeded world the hostile suite attacks: the demo (two campaigns, council sessions, the
users `manager`, `unithead`, `council`), a unit staff member, and a second authority with its
own manager, units, block, campaign, conference and council session, so that "the manager of
another authority" and "ids of another authority's objects" exist."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from campaigns import services as campaigns
from campaigns.models import Campaign, Checklist
from devtools.demo import seed_demo
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
    return World(users=users, other_campaign=other_campaign)


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
