"""The account's security pages: the second step of a sign-in, the two-factor set-up, the
recovery codes (shown once), turning two-factor off, and "Bảo mật tài khoản" that gathers them."""

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .forms import TwoFactorCodeForm, TwoFactorSetUpForm
from .mixins import InvalidFormStatusMixin
from .selectors import authenticator_of, recovery_codes_left, sign_in_events_of
from .services import (
    recovery_codes_renew,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)
from .signins import client_of
from .twofactor import (
    NEW_CODES_SESSION_KEY,
    NEW_KEY_SESSION_KEY,
    PENDING_SESSION_KEY,
    Pending,
    key_for_people,
    qr_code_svg,
    two_factor_required,
)


def next_url(request: HttpRequest) -> str:
    """Where to go once the step is done: the page first asked for, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _finish_second_factor(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


@method_decorator(never_cache, name="dispatch")
class TwoFactorStepView(InvalidFormStatusMixin, FormView):  # type: ignore[type-arg]
    """After the password: a code from the authenticator app, or a recovery code."""

    form_class = TwoFactorCodeForm
    template_name = "registration/two_factor_step.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.session.get(PENDING_SESSION_KEY) != Pending.VERIFY:
            return HttpResponseRedirect(next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=next_url(self.request), **kwargs)

    def form_valid(self, form: TwoFactorCodeForm) -> HttpResponse:
        user = self.request.user
        try:
            device = two_factor_verify(
                user=user,  # type: ignore[arg-type]
                code=form.cleaned_data["code"],
                client=client_of(self.request),
            )
        except ValidationError as refusal:
            form.add_error("code", refusal)
            return self.form_invalid(form)
        _finish_second_factor(self.request, device)
        if isinstance(device, StaticDevice):
            left = recovery_codes_left(user)  # type: ignore[arg-type]
            messages.warning(
                self.request,
                _("Bạn vừa dùng một mã dự phòng; còn %(left)s mã chưa dùng.") % {"left": left},
            )
        return HttpResponseRedirect(next_url(self.request))


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetUpView(InvalidFormStatusMixin, FormView):  # type: ignore[type-arg]
    """Scan the QR code (drawn by the portal), type the app's code: two-factor is on."""

    form_class = TwoFactorSetUpForm
    template_name = "registration/two_factor_set_up.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and authenticator_of(request.user) is not None:
            messages.info(request, _("Xác thực hai bước đã được bật cho tài khoản này."))
            return redirect("account_security")
        return super().dispatch(request, *args, **kwargs)

    def secret_key(self) -> str:
        """The secret offered until it is confirmed: kept in the session, not the database."""
        key = self.request.session.get(NEW_KEY_SESSION_KEY)
        if not isinstance(key, str) or len(key) != 40:
            key = random_hex(20)
            self.request.session[NEW_KEY_SESSION_KEY] = key
        return key

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        key = self.secret_key()
        device = TOTPDevice(user=self.request.user, key=key)  # not saved: for its URI only
        return super().get_context_data(
            qr_code=qr_code_svg(device.config_url),
            key_for_people=key_for_people(key),
            required=self.request.session.get(PENDING_SESSION_KEY) == Pending.SET_UP,
            next=next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form: TwoFactorSetUpForm) -> HttpResponse:
        try:
            device, codes = two_factor_enable(
                actor=self.request.user,  # type: ignore[arg-type]
                key=self.secret_key(),
                code=form.cleaned_data["code"],
                client=client_of(self.request),
            )
        except ValidationError as refusal:
            form.add_error("code", refusal)
            return self.form_invalid(form)
        _finish_second_factor(self.request, device)
        self.request.session.pop(NEW_KEY_SESSION_KEY, None)
        self.request.session[NEW_CODES_SESSION_KEY] = codes
        messages.success(self.request, _("Đã bật xác thực hai bước."))
        query = urlencode({"next": next_url(self.request)})
        return redirect(f"{reverse('recovery_codes')}?{query}")


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(TemplateView):
    """The new recovery codes, once: they leave the session as the page is shown."""

    template_name = "registration/recovery_codes.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
        if not isinstance(codes, list) or not codes:
            return redirect("account_security")
        return self.render_to_response(self.get_context_data(codes=codes, next=next_url(request)))


class TwoFactorDisableView(InvalidFormStatusMixin, FormView):  # type: ignore[type-arg]
    """Turn two-factor off, confirmed by a current code; not for those who must use it."""

    form_class = TwoFactorCodeForm
    template_name = "registration/two_factor_disable.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and authenticator_of(request.user) is None:
            return redirect("account_security")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(required=two_factor_required(self.request.user), **kwargs)

    def form_valid(self, form: TwoFactorCodeForm) -> HttpResponse:
        try:
            two_factor_disable(
                actor=self.request.user,  # type: ignore[arg-type]
                code=form.cleaned_data["code"],
                client=client_of(self.request),
            )
        except ValidationError as refusal:
            form.add_error("code", refusal)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tắt xác thực hai bước."))
        return redirect("account_security")


class AccountSecurityView(TemplateView):
    """Bảo mật tài khoản: two-factor on or off, recovery codes, the latest sign-ins."""

    template_name = "registration/account_security.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            authenticator=authenticator_of(user),
            recovery_codes_left=recovery_codes_left(user),  # type: ignore[arg-type]
            required=two_factor_required(user),
            sign_in_events=sign_in_events_of(user),  # type: ignore[arg-type]
            **kwargs,
        )


class RecoveryCodesRenewView(AccountSecurityView):
    """New recovery codes (a button of the page above); refused, the page says why (409)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            codes = recovery_codes_renew(
                actor=request.user,  # type: ignore[arg-type]
                client=client_of(request),
            )
        except ValidationError as refusal:
            context = self.get_context_data(refusal=" ".join(refusal.messages))
            return self.render_to_response(context, status=409)
        request.session[NEW_CODES_SESSION_KEY] = codes
        return redirect("recovery_codes")
