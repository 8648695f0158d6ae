"""Two-factor sign-in: setting up an authenticator app, the second step with its code or a
recovery code, turning it off, and the production rule that officers must use it."""

import re
from binascii import unhexlify
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.util import random_hex

from campaigns.models import CouncilSeat
from core.models import SignInEvent
from core.services import two_factor_enable
from core.signins import SignInClient
from core.twofactor import NEW_KEY_SESSION_KEY
from tests.factories import CouncilSeatFactory, UserFactory
from units.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"
WRONG_CODE = "Mã không đúng"


def code_for(key: str, drift: int = 0) -> str:
    """What the authenticator app shows now (drift=1: in the next 30 seconds)."""
    return f"{totp(unhexlify(key), drift=drift):06d}"


def a_wrong_code(key: str) -> str:
    accepted = {code_for(key, drift) for drift in (-1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000) if f"{n:06d}" not in accepted)


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def with_two_factor(user: User) -> tuple[str, list[str]]:
    """Turn two-factor on for `user` through the service; returns the key and recovery codes."""
    key = random_hex(20)
    _device, codes = two_factor_enable(
        actor=user, key=key, code=code_for(key), client=SignInClient()
    )
    return key, codes


@pytest.fixture
def manager() -> User:
    return UserFactory(username="manager", password=PASSWORD, roles=[Role.CAMPAIGN_MANAGER])


@pytest.fixture
def staff() -> User:
    return UserFactory(username="staff", password=PASSWORD, roles=[Role.UNIT_STAFF])


# Setting up -------------------------------------------------------------------------------------


def test_anyone_sets_up_an_authenticator_from_a_qr_code_drawn_by_the_portal(
    client: Client, staff: User
) -> None:
    sign_in(client, "staff")
    page = client.get(reverse("two_factor_set_up"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'class="segno"' in html  # inline, no image service
    key = client.session[NEW_KEY_SESSION_KEY]
    response = client.post(reverse("two_factor_set_up"), {"code": code_for(key)})
    assert response.status_code == 302
    assert response.url.startswith(reverse("recovery_codes"))
    assert SignInEvent.objects.filter(user=staff, kind=SignInEvent.Kind.TWO_FACTOR_ON).exists()
    security = client.get(reverse("account_security")).content.decode()
    assert "Đang bật" in security


def test_a_wrong_set_up_code_is_refused_in_vietnamese_and_nothing_is_turned_on(
    client: Client, staff: User
) -> None:
    sign_in(client, "staff")
    client.get(reverse("two_factor_set_up"))
    key = client.session[NEW_KEY_SESSION_KEY]
    response = client.post(reverse("two_factor_set_up"), {"code": a_wrong_code(key)})
    assert response.status_code == 422
    assert WRONG_CODE in response.content.decode()
    assert not staff.totpdevice_set.exists()  # type: ignore[attr-defined]
    assert "Chưa bật" in client.get(reverse("account_security")).content.decode()


def test_recovery_codes_are_shown_once(client: Client, staff: User) -> None:
    sign_in(client, "staff")
    client.get(reverse("two_factor_set_up"))
    key = client.session[NEW_KEY_SESSION_KEY]
    client.post(reverse("two_factor_set_up"), {"code": code_for(key)})
    shown = client.get(reverse("recovery_codes"))
    assert shown.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", shown.content.decode())
    assert len(codes) == 10
    again = client.get(reverse("recovery_codes"))
    assert again.status_code == 302
    assert again.url == reverse("account_security")


def test_new_recovery_codes_replace_the_old_ones(
    client: Client, staff: User, settings: Any
) -> None:
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # a refused code makes the next wait a second
    _key, old_codes = with_two_factor(staff)
    sign_in(client, "staff")
    client.post(reverse("two_factor_step"), {"code": old_codes[0]})
    response = client.post(reverse("recovery_codes_renew"))
    assert response.url == reverse("recovery_codes")
    new_codes = re.findall(
        r"<code>([a-z2-7]{8})</code>", client.get(reverse("recovery_codes")).content.decode()
    )
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post(reverse("logout"))
    sign_in(client, "staff")
    assert client.post(reverse("two_factor_step"), {"code": old_codes[1]}).status_code == 422
    assert client.post(reverse("two_factor_step"), {"code": new_codes[0]}).status_code == 302


# The second step --------------------------------------------------------------------------------


def test_with_two_factor_on_the_password_alone_opens_no_page(client: Client, staff: User) -> None:
    with_two_factor(staff)
    response = sign_in(client, "staff")
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("two_factor_step"))
    step = client.get(home.url)
    assert step.status_code == 200
    assert "Xác thực hai bước" in step.content.decode()


def test_the_authenticator_code_opens_the_portal_and_returns_to_the_page_asked(
    client: Client, staff: User
) -> None:
    key, _codes = with_two_factor(staff)
    sign_in(client, "staff")
    asked = reverse("notifications:list")
    step_url = client.get(asked).url
    response = client.post(step_url, {"code": code_for(key, drift=1), "next": asked})
    assert response.status_code == 302
    assert response.url == asked
    assert client.get(asked).status_code == 200
    assert SignInEvent.objects.filter(user=staff, kind=SignInEvent.Kind.VERIFIED).exists()


def test_a_wrong_code_at_the_step_is_refused_in_vietnamese(client: Client, staff: User) -> None:
    key, _codes = with_two_factor(staff)
    sign_in(client, "staff")
    response = client.post(reverse("two_factor_step"), {"code": a_wrong_code(key)})
    assert response.status_code == 422
    assert WRONG_CODE in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    refused = SignInEvent.objects.get(user=staff, kind=SignInEvent.Kind.CODE_REFUSED)
    assert refused.ip_address == "127.0.0.1"


def test_the_code_that_turned_two_factor_on_cannot_open_the_step(
    client: Client, staff: User
) -> None:
    key = random_hex(20)
    code = code_for(key)
    two_factor_enable(actor=staff, key=key, code=code, client=SignInClient())
    sign_in(client, "staff")
    assert client.post(reverse("two_factor_step"), {"code": code}).status_code == 422


def test_a_recovery_code_works_once(client: Client, staff: User) -> None:
    _key, codes = with_two_factor(staff)
    sign_in(client, "staff")
    response = client.post(reverse("two_factor_step"), {"code": codes[0].upper()})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "còn 9 mã chưa dùng" in home.content.decode()
    client.post(reverse("logout"))
    sign_in(client, "staff")
    again = client.post(reverse("two_factor_step"), {"code": codes[0]})
    assert again.status_code == 422
    assert client.get(reverse("home")).status_code == 302
    kinds = list(SignInEvent.objects.filter(user=staff).values_list("kind", flat=True))
    assert SignInEvent.Kind.RECOVERY_CODE_USED in kinds


def test_logout_stays_open_while_the_step_is_owed(client: Client, staff: User) -> None:
    with_two_factor(staff)
    sign_in(client, "staff")
    client.post(reverse("logout"))
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_turning_two_factor_off_takes_a_current_code(client: Client, staff: User) -> None:
    key, codes = with_two_factor(staff)
    sign_in(client, "staff")
    client.post(reverse("two_factor_step"), {"code": codes[0]})
    refused = client.post(reverse("two_factor_disable"), {"code": a_wrong_code(key)})
    assert refused.status_code == 422
    assert WRONG_CODE in refused.content.decode()
    response = client.post(reverse("two_factor_disable"), {"code": codes[1]})
    assert response.status_code == 302
    assert "Chưa bật" in client.get(reverse("account_security")).content.decode()
    client.post(reverse("logout"))
    sign_in(client, "staff")
    assert client.get(reverse("home")).status_code == 200  # the password alone again


# The production rule ----------------------------------------------------------------------------

# Pages a session that owes its set-up may still open: none of them shows the portal's data.
OPEN_WHILE_OWED = {
    "login",
    "logout",
    "two_factor_set_up",
    "two_factor_step",  # it sends the session on: no step is owed, a set-up is
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
    "healthz",
    "favicon.ico",
    "verify",  # the public page behind an issued document's QR code: no sign-in at all
}
CONVERTER_VALUES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x/y",
    "uuid": "12345678-1234-5678-1234-567812345678",
}


def every_page() -> list[tuple[str, str]]:
    """(name, a concrete path) for every URL pattern of the portal, the admin included."""
    pages: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("^") or "(?P" in route:  # the admin's regex routes
                    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).strip("^$").replace("\\", "")
                path = re.sub(
                    r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_VALUES[m.group(1) or "str"], route
                )
                name = pattern.name or route.rstrip("/")
                pages.append((f"{namespace}:{name}" if namespace else name, "/" + path))

    walk(get_resolver().url_patterns, "", None)
    return pages


def test_under_the_production_rule_a_manager_with_only_the_password_reaches_no_page(
    client: Client, settings: Any, manager: User
) -> None:
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    assert sign_in(client, "manager").status_code == 302
    set_up = reverse("two_factor_set_up")
    reached = []
    for name, path in every_page():
        if name in OPEN_WHILE_OWED:
            continue
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code != 302 or not response.url.startswith(set_up):
                reached.append((name, path, method.__name__, response.status_code))
    assert reached == []
    assert client.get(set_up).status_code == 200


@pytest.mark.parametrize(
    "officer", ["superuser", CouncilSeat.Role.CHAIR, CouncilSeat.Role.SECRETARY]
)
def test_under_the_production_rule_superusers_and_council_officers_must_set_it_up_too(
    client: Client, settings: Any, officer: str
) -> None:
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    if officer == "superuser":
        UserFactory(username="officer", password=PASSWORD, is_superuser=True, is_staff=True)
    else:
        user = UserFactory(username="officer", password=PASSWORD, roles=[Role.COUNCIL_MEMBER])
        CouncilSeatFactory(user=user, role=officer)
    sign_in(client, "officer")
    for path in (reverse("home"), reverse("assessments:review_queue"), reverse("admin:index")):
        assert client.get(path).url.startswith(reverse("two_factor_set_up")), path


def test_an_officer_who_sets_up_two_factor_then_reaches_the_pages(
    client: Client, settings: Any, manager: User
) -> None:
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    sign_in(client, "manager")
    page = client.get(reverse("home"))
    assert page.url.startswith(reverse("two_factor_set_up"))
    set_up = client.get(page.url)
    assert "bắt buộc dùng xác thực hai bước" in set_up.content.decode()
    key = client.session[NEW_KEY_SESSION_KEY]
    client.post(page.url, {"code": code_for(key), "next": reverse("home")})
    assert client.get(reverse("recovery_codes")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    # Required: it cannot be turned off.
    assert client.post(reverse("two_factor_disable"), {"code": "x"}).status_code == 403
    # The next sign-in asks for the code.
    client.post(reverse("logout"))
    sign_in(client, "manager")
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_step"))


@pytest.mark.parametrize(
    "roles, seat",
    [([Role.UNIT_HEAD], None), ([Role.COUNCIL_MEMBER], CouncilSeat.Role.MEMBER)],
)
def test_under_the_production_rule_other_people_keep_the_password_alone(
    client: Client, settings: Any, roles: list[str], seat: str | None
) -> None:
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    user = UserFactory(username="person", password=PASSWORD, roles=roles)
    if seat:
        CouncilSeatFactory(user=user, role=seat)
    sign_in(client, "person")
    assert client.get(reverse("home")).status_code == 200
    assert "Chưa bật" in client.get(reverse("account_security")).content.decode()


def test_without_the_production_rule_a_manager_keeps_the_password_alone(
    client: Client, manager: User
) -> None:
    sign_in(client, "manager")
    assert client.get(reverse("home")).status_code == 200


def test_an_htmx_request_that_owes_the_step_is_sent_there_whole(
    client: Client, staff: User
) -> None:
    with_two_factor(staff)
    sign_in(client, "staff")
    response = client.get(reverse("notifications:list"), HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith(reverse("two_factor_step"))


def test_an_administrator_removes_a_lost_authenticator_and_it_is_recorded(
    client: Client, staff: User
) -> None:
    with_two_factor(staff)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    device = staff.totpdevice_set.get()  # type: ignore[attr-defined]
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not staff.totpdevice_set.exists()  # type: ignore[attr-defined]
    assert not staff.staticdevice_set.exists()  # type: ignore[attr-defined]
    assert SignInEvent.objects.filter(user=staff, kind=SignInEvent.Kind.TWO_FACTOR_RESET).exists()
    page = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert page.status_code == 200


def test_the_admin_shows_no_secret_of_an_authenticator(client: Client, staff: User) -> None:
    key, codes = with_two_factor(staff)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    for model in ("otp_totp_totpdevice", "otp_static_staticdevice"):
        device_pk = (
            staff.totpdevice_set.get() if "totp" in model else staff.staticdevice_set.get()  # type: ignore[attr-defined]
        ).pk
        html = client.get(reverse(f"admin:{model}_change", args=[device_pk])).content.decode()
        assert key not in html and codes[0] not in html


def test_new_recovery_codes_are_refused_while_two_factor_is_off(
    client: Client, staff: User
) -> None:
    client.force_login(staff)
    response = client.post(reverse("recovery_codes_renew"))
    assert response.status_code == 409
    assert "chưa được bật" in response.content.decode()


@pytest.mark.parametrize("target", ["0", "https://evil.example/", "//evil.example/"])
def test_the_step_sends_nowhere_but_the_portals_own_pages(
    client: Client, staff: User, target: str
) -> None:
    key, _codes = with_two_factor(staff)
    sign_in(client, "staff")
    response = client.post(
        reverse("two_factor_step"), {"code": code_for(key, drift=1), "next": target}
    )
    assert response.url == reverse("home")
