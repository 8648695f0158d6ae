"""The sign-in handler of django-axes (AXES_HANDLER): axes's own records and lockout per user
name and address, plus the per-account delay of `core.signin`, and a notice to the account's
owner when failures from anywhere pile up."""

import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.signin import account_failures, account_wait
from notifications.services import notify


class SigninHandler(AxesDatabaseHandler):
    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        now = request.axes_attempt_time  # type: ignore[attr-defined]
        return bool(account_wait(username, request.axes_ip_address, now))  # type: ignore[attr-defined]

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        # Refused before the password was looked at: axes records nothing, nor do we.
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not refused:
            username = get_client_username(request, credentials)
            burst_notice(username, request.axes_attempt_time)  # type: ignore[attr-defined]


def burst_notice(username: str | None, now: datetime.datetime) -> None:
    """When the account's failures reach LOGIN_ACCOUNT_NOTICE_AFTER, tell its owner (once per
    burst: the count starts again after a sign-in)."""
    failures, latest = account_failures(username or "", now)
    if failures != settings.LOGIN_ACCOUNT_NOTICE_AFTER or latest is None:
        return
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return
    notify(
        users=[user],
        subject=_("Có nhiều lần đăng nhập sai vào tài khoản của bạn"),
        body=_(
            "Trong %(hours)s giờ qua có %(n)s lần đăng nhập sai vào tài khoản %(username)s. "
            "Từ giờ, mỗi lần thử đăng nhập vào tài khoản này từ một địa chỉ lạ phải chờ lâu "
            "dần. Nếu không phải bạn, hãy đổi mật khẩu và báo cho quản trị viên."
        )
        % {
            "hours": settings.LOGIN_ACCOUNT_WINDOW_HOURS,
            "n": failures,
            "username": username,
        },
        url=reverse("password_change"),
        dedupe=f"signin-burst:{latest.isoformat()}",
    )
