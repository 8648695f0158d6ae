"""Sign-ins, refusals and lockouts are recorded; an authority's manager sees those of their own
people, nobody else's."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import SignInEvent
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind, manager_of
from units.models import Membership
from units.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture
def person() -> User:
    return UserFactory(username="person", password=PASSWORD, roles=[Role.UNIT_STAFF])


def kinds_of(user: User | None, username: str = "") -> list[str]:
    events = SignInEvent.objects.order_by("at", "pk")
    events = events.filter(user=user) if user else events.filter(username=username, user=None)
    return list(events.values_list("kind", flat=True))


def test_a_sign_in_is_recorded_with_the_clients_address_and_browser(
    client: Client, person: User
) -> None:
    sign_in(client, "person", HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="10.0.0.7")
    event = SignInEvent.objects.get(user=person)
    assert (event.kind, event.ip_address, event.user_agent) == (
        SignInEvent.Kind.SIGNED_IN,
        "10.0.0.7",
        "Firefox/140",
    )


def test_a_wrong_password_is_recorded_against_the_account(client: Client, person: User) -> None:
    sign_in(client, "person", "wrong")
    assert kinds_of(person) == [SignInEvent.Kind.FAILED]


def test_an_unknown_name_is_recorded_without_an_account(client: Client) -> None:
    sign_in(client, "nobody", "wrong")
    assert kinds_of(None, "nobody") == [SignInEvent.Kind.FAILED]


def test_the_lockout_and_every_attempt_while_locked_are_recorded(
    client: Client, person: User
) -> None:
    for _attempt in range(5):
        sign_in(client, "person", "wrong")
    assert sign_in(client, "person").status_code == 429
    assert kinds_of(person) == [SignInEvent.Kind.FAILED] * 4 + [SignInEvent.Kind.LOCKED_OUT] * 2


# The page of an authority's manager -------------------------------------------------------------


@pytest.fixture
def authorities() -> dict[str, Any]:
    """Two districts, each with a manager and a commune with its staff who signed in."""
    world: dict[str, Any] = {}
    for name in ("a", "b"):
        district = UnitFactory(kind=kind("huyen"), code=f"H-{name}")
        commune = UnitFactory(parent=district, code=f"X-{name}")
        staff = UserFactory(username=f"staff-{name}", password=PASSWORD, roles=[Role.UNIT_STAFF])
        MembershipFactory(user=staff, unit=commune, role=Membership.Role.STAFF)
        world[name] = {"manager": manager_of(district, username=f"manager-{name}"), "staff": staff}
        sign_in(Client(), f"staff-{name}")
        sign_in(Client(), f"staff-{name}", "wrong")
    sign_in(Client(), "stranger", "wrong")
    return world


def test_a_manager_sees_the_sign_ins_of_their_own_people_only(
    client: Client, authorities: dict[str, Any]
) -> None:
    client.force_login(authorities["a"]["manager"])
    response = client.get(reverse("units:sign_in_events"))
    assert response.status_code == 200
    events = list(response.context["events"])
    people = {event.user.username for event in events}
    assert people == {"staff-a", "manager-a"}
    assert {event.kind for event in events if event.user.username == "staff-a"} == {
        SignInEvent.Kind.SIGNED_IN,
        SignInEvent.Kind.FAILED,
    }
    html = response.content.decode()
    assert "staff-b" not in html and "stranger" not in html


def test_people_who_are_not_managers_may_not_read_the_sign_in_record(
    client: Client, authorities: dict[str, Any]
) -> None:
    client.force_login(authorities["a"]["staff"])
    assert client.get(reverse("units:sign_in_events")).status_code == 403


def test_a_superuser_sees_every_sign_in_unknown_names_included(
    client: Client, authorities: dict[str, Any]
) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get(reverse("units:sign_in_events"))
    names = {event.username for event in response.context["events"]}
    assert {"staff-a", "staff-b", "stranger"} <= names


def test_everyone_sees_their_own_latest_sign_ins(client: Client, person: User) -> None:
    sign_in(Client(), "person", "wrong")
    sign_in(client, "person")
    html = client.get(reverse("account_security")).content.decode()
    assert "Sai tên đăng nhập hoặc mật khẩu" in html
    assert "Đăng nhập bằng mật khẩu" in html
