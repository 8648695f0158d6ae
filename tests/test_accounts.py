"""Login, logout, throttling, the login requirement, the language switch and the error pages."""

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
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


def login_from(address: str, username: str, password: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    """A login from `address` (REMOTE_ADDR), with an X-Forwarded-For header if given."""
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
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


def test_a_forged_forwarded_header_without_trusted_proxies_does_not_change_the_address(
    user: User,
) -> None:
    """Reached directly (make run, gunicorn without nginx): the header is the client's own."""
    for number in range(5):
        login_from("10.1.1.1", "manager", "wrong", forwarded=f"10.9.9.{number}")
    assert (
        login_from("10.1.1.1", "manager", "demo-pass-123", forwarded="10.9.9.99").status_code == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.1.1"}


def test_with_one_trusted_proxy_the_address_it_appended_counts(
    user: User, settings: object
) -> None:
    """nginx appends the address it saw ($proxy_add_x_forwarded_for); what the client wrote
    itself stays on the left and is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    for number in range(5):
        login_from("127.0.0.1", "manager", "wrong", forwarded=f"10.9.9.{number}, 10.1.1.1")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.1.1"}
    locked = login_from("127.0.0.1", "manager", "demo-pass-123", forwarded="10.1.1.1")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    assert (
        login_from("127.0.0.1", "manager", "demo-pass-123", forwarded="10.2.2.2").status_code == 302
    )


def test_with_a_trusted_proxy_a_request_without_its_header_counts_the_direct_address(
    user: User, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 2  # type: ignore[attr-defined]
    login_from("10.1.1.1", "manager", "wrong", forwarded="10.9.9.9")  # one entry: not via both
    login_from("10.1.1.1", "manager", "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.1.1"}


def test_many_addresses_guessing_one_account_are_slowed_and_its_owner_told(
    user: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 600  # longer than this test takes on a slow machine
    user.email = "manager@example.invalid"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [login_from(f"10.0.0.{n}", "manager", "wrong").status_code for n in range(20)]
    assert answers[:10] == [422] * 10  # the free failures, one per address
    assert set(answers[10:]) == {429}  # then each attempt waits
    # The 21st try, the right password from yet another address, waits too.
    response = login_from("10.0.0.21", "manager", "demo-pass-123")
    assert response.status_code == 429
    html = response.content.decode()
    assert "từ nhiều nơi" in html
    waited = re.search(r"thử lại sau (\d+) phút", html)
    assert waited and 1 <= int(waited.group(1)) <= 10
    assert "_auth_user_id" not in Client().session
    notice = Notification.objects.get(user=user)
    assert "đăng nhập sai" in notice.subject
    assert [message.to for message in mail.outbox] == [["manager@example.invalid"]]


def test_the_account_delay_doubles_and_ends(user: User, settings: Any) -> None:
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 300
    settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 3600
    for number in range(10):
        login_from(f"10.0.0.{number}", "manager", "wrong")
    assert login_from("10.0.0.10", "manager", "wrong").status_code == 429
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=301))
    assert login_from("10.0.0.11", "manager", "wrong").status_code == 422  # waited: checked
    doubled = login_from("10.0.0.12", "manager", "wrong")
    waited = re.search(r"thử lại sau (\d+) phút", doubled.content.decode())
    assert doubled.status_code == 429 and waited and 5 < int(waited.group(1)) <= 10
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=601))
    assert login_from("10.0.0.13", "manager", "demo-pass-123").status_code == 302


def test_the_owner_signing_in_from_a_known_address_is_not_delayed(user: User) -> None:
    assert login_from("10.5.5.5", "manager", "demo-pass-123").status_code == 302
    for number in range(20):
        login_from(f"10.0.0.{number}", "manager", "wrong")
    assert login_from("10.0.0.99", "manager", "demo-pass-123").status_code == 429
    assert login_from("10.5.5.5", "manager", "demo-pass-123").status_code == 302


def minutes_left(response: Any) -> int | None:
    """The wait the lockout page states, in minutes."""
    found = re.search(r"thử lại sau (\d+) phút", response.content.decode())
    return int(found.group(1)) if found else None


def test_the_right_password_during_a_lockout_does_not_extend_it(user: User) -> None:
    for _attempt in range(5):
        login_from("10.1.1.1", "manager", "wrong")
    started = timezone.now() - timedelta(minutes=25)
    AccessAttempt.objects.update(attempt_time=started)
    for password in ("demo-pass-123", "wrong", "demo-pass-123"):
        response = login_from("10.1.1.1", "manager", password)
        assert response.status_code == 429
        assert minutes_left(response) in (4, 5)  # 5, less the time this test takes
    attempt = AccessAttempt.objects.get()
    assert (attempt.attempt_time, attempt.failures_since_start) == (started, 5)
    AccessAttempt.objects.update(attempt_time=started - timedelta(minutes=5))
    assert login_from("10.1.1.1", "manager", "demo-pass-123").status_code == 302


def test_the_lockout_page_states_the_cool_off_the_settings_give(
    user: User, settings: object
) -> None:
    settings.AXES_COOLOFF_TIME = 2.0  # type: ignore[attr-defined]
    for _attempt in range(5):
        login_from("10.1.1.1", "manager", "wrong")
    response = login_from("10.1.1.1", "manager", "demo-pass-123")
    assert minutes_left(response) in (119, 120)
    assert 2 * 60 * 60 - 120 <= int(response["Retry-After"]) <= 2 * 60 * 60


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
