"""The home page lists a unit's tasks by the rules the services enforce, read from the owning apps
(`assessments.rules.window_is_open`, `campaigns.rules.registration_is_open`): at each boundary,
the page offers a task exactly when the service would accept it."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from tests.assessments.conftest import World, build_world

pytestmark = pytest.mark.django_db

WRITE = "Tự chấm điểm và nộp"
REGISTER = "Gửi đăng ký thi đua"


class Rollback(Exception):
    """Undoes what an accepted call wrote, so each case leaves the world as it found it."""


def accepts(call: Callable[[], object]) -> bool:
    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        return True
    except (ValidationError, PermissionDenied):
        return False


def offers(client: Client, world: World, task: str) -> bool:
    client.force_login(world.head_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return task in response.content.decode()


def service_writes(world: World) -> bool:
    return accepts(lambda: world.save({"1.1": "7"}))


def service_registers(world: World) -> bool:
    enrolment = world.enrolment()
    return accepts(
        lambda: campaign_services.registration_send(
            actor=world.head_a, enrolment=enrolment, targets="Chỉ tiêu năm"
        )
    )


@pytest.fixture
def world(media_root: object) -> World:
    return build_world()


def close_window(world: World) -> None:
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )


def reopen_until(world: World, until: datetime.date) -> None:
    campaign_services.enrolment_reopen(
        actor=world.manager, enrolment=world.enrolment(), until=until, reason="Mất điện"
    )


def window_closes(world: World, on: datetime.date) -> None:
    campaign_services.campaign_update(
        actor=world.manager, campaign=world.campaign, window_closes_on=on
    )


TODAY = timezone.localdate()
WRITE_CASES: dict[str, tuple[Callable[[World], None], bool]] = {
    "window open": (lambda world: None, True),
    "the window's last day": (lambda world: window_closes(world, TODAY), True),
    "the day after the window": (
        lambda world: window_closes(world, TODAY - datetime.timedelta(days=1)),
        False,
    ),
    "closed by the manager": (close_window, False),
    "closed, reopened until today": (
        lambda world: (close_window(world), reopen_until(world, TODAY)),
        True,
    ),
    "reopened, then under review": (
        lambda world: (
            close_window(world),
            reopen_until(world, TODAY),
            campaign_services.campaign_transition(
                actor=world.manager, campaign=world.campaign, action="start_review"
            ),
        ),
        True,
    ),
}


@pytest.mark.parametrize("case", list(WRITE_CASES))
def test_the_home_page_offers_the_self_assessment_when_the_service_takes_it(
    client: Client, world: World, case: str
) -> None:
    arrange, expected = WRITE_CASES[case]
    arrange(world)
    assert offers(client, world, WRITE) is expected
    assert service_writes(world) is expected


REGISTER_CASES: dict[str, tuple[Callable[[World], None], bool]] = {
    "window open": (lambda world: None, True),
    "the window's last day": (lambda world: window_closes(world, TODAY), True),
    "the day after the window": (
        lambda world: window_closes(world, TODAY - datetime.timedelta(days=1)),
        False,
    ),
    "closed, even reopened for the unit": (
        lambda world: (close_window(world), reopen_until(world, TODAY)),
        False,
    ),
}


@pytest.mark.parametrize("case", list(REGISTER_CASES))
def test_the_home_page_offers_the_registration_when_the_service_takes_it(
    client: Client, world: World, case: str
) -> None:
    arrange, expected = REGISTER_CASES[case]
    arrange(world)
    assert offers(client, world, REGISTER) is expected
    assert service_registers(world) is expected
