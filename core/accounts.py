"""The account pages (django.contrib.auth's views, at their usual names), with the portal's rule
for a refused form: shown again with 422 (core.mixins)."""

from typing import Any

from django.contrib.auth import views
from django.contrib.auth.decorators import login_not_required
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils.decorators import method_decorator

from .invitations import invitation_tokens
from .mixins import MALFORMED_REQUEST_STATUS, InvalidFormStatusMixin


class LoginView(InvalidFormStatusMixin, views.LoginView):
    pass


class PasswordChangeView(InvalidFormStatusMixin, views.PasswordChangeView):
    pass


class PasswordResetView(InvalidFormStatusMixin, views.PasswordResetView):
    pass


@method_decorator(login_not_required, name="dispatch")  # dispatch is overridden: say it again
class PasswordResetConfirmView(InvalidFormStatusMixin, views.PasswordResetConfirmView):
    """A new password posted to a link that is not valid (any more) is refused: 400."""

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(*args, **kwargs)
        if self.request.method == "POST" and not self.validlink:
            response.status_code = MALFORMED_REQUEST_STATUS
        return response


@method_decorator(login_not_required, name="dispatch")
class InvitationConfirmView(PasswordResetConfirmView):
    """The page an invitation links to: the invited person sets their password, once. A link
    spent, expired or sent to an account closed since is refused (400 for a posted password)."""

    token_generator = invitation_tokens
    reset_url_token = "set-password"  # noqa: S105 - a URL segment, not a password
    template_name = "registration/invitation_confirm.html"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
    path(
        "reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
