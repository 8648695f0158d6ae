"""Reads of a person's two-factor devices and sign-in record."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SignInEvent


def authenticator_of(user: AbstractBaseUser | AnonymousUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app (the portal keeps at most one)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def recovery_codes_of(user: AbstractBaseUser) -> StaticDevice | None:
    """The user's recovery codes (one StaticDevice; each token is used once)."""
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    device = recovery_codes_of(user)
    return device.token_set.count() if device is not None else 0


def sign_in_events_of(user: AbstractBaseUser, *, limit: int = 10) -> QuerySet[SignInEvent]:
    """The user's own latest sign-in events, newest first."""
    return SignInEvent.objects.filter(user_id=user.pk).order_by("-at", "-pk")[:limit]
