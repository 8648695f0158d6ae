"""The account pages (django.contrib.auth's views, at their usual names), with the portal's rule
for a refused form: shown again with 422 (core.mixins); and the two-factor pages (core.views).
A session that still owes its second step opens only the pages marked here (core.middleware)."""

from typing import Any

from django.contrib.auth import views
from django.contrib.auth.decorators import login_not_required
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils.decorators import method_decorator

from . import views as security
from .invitations import invitation_tokens
from .mixins import MALFORMED_REQUEST_STATUS, InvalidFormStatusMixin
from .twofactor import Pending, allowed_while, always_allowed


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
    path("login/", always_allowed(LoginView.as_view()), name="login"),
    path("logout/", always_allowed(views.LogoutView.as_view()), name="logout"),
    path(
        "two-factor/",
        allowed_while(Pending.VERIFY)(security.TwoFactorStepView.as_view()),
        name="two_factor_step",
    ),
    path("security/", security.AccountSecurityView.as_view(), name="account_security"),
    path(
        "security/two-factor/",
        allowed_while(Pending.SET_UP)(security.TwoFactorSetUpView.as_view()),
        name="two_factor_set_up",
    ),
    path(
        "security/two-factor/off/",
        security.TwoFactorDisableView.as_view(),
        name="two_factor_disable",
    ),
    path("security/recovery-codes/", security.RecoveryCodesView.as_view(), name="recovery_codes"),
    path(
        "security/recovery-codes/new/",
        security.RecoveryCodesRenewView.as_view(),
        name="recovery_codes_renew",
    ),
    path("password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", always_allowed(PasswordResetView.as_view()), name="password_reset"),
    path(
        "password_reset/done/",
        always_allowed(views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        always_allowed(PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
    path(
        "reset/done/",
        always_allowed(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
