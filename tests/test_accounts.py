"""Login, logout, throttling, the login requirement, the language switch and the error pages."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from units.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> User:
    return UserFactory(username="manager", password="demo-pass-123", roles=[Role.CAMPAIGN_MANAGER])


def login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_vietnamese(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html  # Django's own vi catalogue labels the field


def test_login_then_logout(client: Client, user: User) -> None:
    response = login(client, "manager", "demo-pass-123")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "Xin chào" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_in_vietnamese(client: Client, user: User) -> None:
    response = login(client, "manager", "wrong")
    assert response.status_code == 422
    assert "mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_user_out_with_a_vietnamese_page(
    client: Client, user: User
) -> None:
    for _attempt in range(5):
        login(client, "manager", "wrong")
    response = login(client, "manager", "demo-pass-123")
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def login_from(address: str, username: str, password: str):  # type: ignore[no-untyped-def]
    """A login through the proxy, which puts the client's address in X-Forwarded-For."""
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(user: User) -> None:
    for _attempt in range(5):
        login_from("10.1.1.1", "manager", "wrong")
    assert login_from("10.1.1.1", "manager", "demo-pass-123").status_code == 429
    assert login_from("10.2.2.2", "manager", "demo-pass-123").status_code == 302
    attempts = AccessAttempt.objects.get()
    assert (attempts.username, attempts.ip_address) == ("manager", "10.1.1.1")


def test_a_locked_address_can_still_log_in_as_another_user(user: User) -> None:
    UserFactory(username="other", password="demo-pass-123")
    for _attempt in range(5):
        login_from("10.1.1.1", "manager", "wrong")
    assert login_from("10.1.1.1", "other", "demo-pass-123").status_code == 302


def test_a_forwarded_header_of_several_addresses_is_not_trusted(user: User) -> None:
    """nginx replaces the header; a list means someone else wrote it, so the proxy's address
    (REMOTE_ADDR) counts, not an address the client chose."""
    login_from("10.9.9.9, 10.1.1.1", "manager", "wrong")
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_a_success_before_the_limit_resets_the_failures(client: Client, user: User) -> None:
    for _attempt in range(4):
        login(client, "manager", "wrong")
    assert login(client, "manager", "demo-pass-123").status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "campaigns:list",
        "campaigns:create",
        "units:tree",
        "password_change",
        "campaigns:checklist_templates",
    ],
)
def test_pages_require_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# The health check answers without login too: tests/test_health.py.
@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_public_pages_answer_without_login(client: Client, name: str) -> None:
    assert client.get(reverse(name)).status_code == 200


def test_language_switch_to_english_and_back(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_unknown_url_gets_a_vietnamese_404(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_forbidden_page_gets_a_vietnamese_403(client: Client) -> None:
    client.force_login(UserFactory(roles=[Role.UNIT_HEAD]))
    response = client.get(reverse("campaigns:create"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_missing_csrf_token_gets_a_vietnamese_403_and_no_login(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "manager", "password": "demo-pass-123"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_expired_session_sends_the_user_back_to_login(client: Client, user: User) -> None:
    client.force_login(user)
    client.session.flush()
    client.cookies.pop("sessionid", None)
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_static_assets_are_served_locally(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client: Client) -> None:
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html
