"""The account pages (django.contrib.auth's views, at their usual names), with the portal's rule
for a refused form: shown again with 422 (core.mixins)."""

from typing import Any

from django.contrib.auth import views
from django.http.response import HttpResponseBase
from django.urls import path

from .mixins import MALFORMED_REQUEST_STATUS, InvalidFormStatusMixin


class LoginView(InvalidFormStatusMixin, views.LoginView):
    pass


class PasswordChangeView(InvalidFormStatusMixin, views.PasswordChangeView):
    pass


class PasswordResetView(InvalidFormStatusMixin, views.PasswordResetView):
    pass


class PasswordResetConfirmView(InvalidFormStatusMixin, views.PasswordResetConfirmView):
    """A new password posted to a link that is not valid (any more) is refused: 400."""

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(*args, **kwargs)
        if self.request.method == "POST" and not self.validlink:
            response.status_code = MALFORMED_REQUEST_STATUS
        return response


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
        "reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
