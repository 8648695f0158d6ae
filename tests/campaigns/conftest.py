import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from campaigns import services
from campaigns.models import Campaign, Criterion
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    kind,
)
from units.models import Membership, Unit
from units.roles import Role


@pytest.fixture
def district() -> Unit:
    return UnitFactory(code="KL", name="Huyện Kiên Lương", kind=kind("huyen"))


@pytest.fixture
def communes(district: Unit) -> list[Unit]:
    names = ["Thị trấn Kiên Lương", "Xã Bình An", "Xã Bình Trị"]
    return [UnitFactory(name=name, parent=district) for name in names]


@pytest.fixture
def manager(district: Unit) -> User:
    user = UserFactory(username="manager", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=user, unit=district, role=Membership.Role.OFFICER)
    return user


@pytest.fixture
def other_manager() -> User:
    user = UserFactory(username="other", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=user, unit=UnitFactory(kind=kind("huyen")), role="officer")
    return user


@pytest.fixture
def campaign(district: Unit, manager: User) -> Campaign:
    return services.campaign_create(
        actor=manager,
        code="VHCS-2019",
        title="Văn hóa công sở 2019",
        authority=district,
        starts_on=datetime.date(2019, 8, 8),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )


def add_criterion(campaign: Campaign, code: str, **fields: object) -> Criterion:
    defaults: dict[str, object] = {
        "title": f"Tiêu chí {code}",
        "kind": "points",
        "max_points": Decimal(10),
    }
    return services.criterion_save(
        actor=None, checklist=campaign.checklist, code=code, **{**defaults, **fields}
    )


@pytest.fixture
def ready_campaign(campaign: Campaign, communes: list[Unit], manager: User) -> Campaign:
    """A draft campaign with a section, two criteria and three enrolled units."""
    section = add_criterion(campaign, "I", title="Thái độ", max_points=Decimal(0))
    add_criterion(campaign, "1.1", parent=section)
    add_criterion(campaign, "1.2", parent=section, kind="yes_no", max_points=Decimal(5))
    services.campaign_enrol(actor=manager, campaign=campaign, units=communes)
    return campaign


__all__ = ["CampaignFactory", "add_criterion"]
