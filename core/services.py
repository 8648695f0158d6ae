"""Writes of the sign-in record and of a person's own two-factor set-up.

The two-factor services act for the signed-in person on their own account (`actor`); each writes
its line in the sign-in record in the same transaction. A refused code still counts: the device's
failure count (django-otp's throttling) and the record's line are committed before the refusal is
raised as a ValidationError with the message for the form.
"""

from binascii import unhexlify

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SignInEvent
from .selectors import authenticator_of
from .signins import SignInClient
from .twofactor import RECOVERY_CODE_COUNT, two_factor_required

WRONG_CODE = _(
    "Mã không đúng hoặc đã được dùng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực, "
    "hoặc một mã dự phòng chưa dùng."
)
WRONG_SET_UP_CODE = _(
    "Mã không đúng. Hãy quét mã QR (hoặc nhập khóa bí mật) vào ứng dụng xác thực rồi nhập mã "
    "6 chữ số đang hiện trong ứng dụng."
)
TOO_MANY_TRIES = _("Bạn đã nhập sai nhiều lần. Hãy chờ một lát rồi thử lại.")
ALREADY_ON = _("Xác thực hai bước đã được bật cho tài khoản này.")
NOT_ON = _("Xác thực hai bước chưa được bật cho tài khoản này.")
REQUIRED = _("Tài khoản của bạn bắt buộc dùng xác thực hai bước: không thể tắt.")
AUTHENTICATOR_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã dự phòng"
TOTP_DIGITS = 6


def _record(
    kind: SignInEvent.Kind, client: SignInClient, user: User | None, username: str
) -> SignInEvent:
    return SignInEvent.objects.create(
        user=user,
        username=username[:150],
        kind=kind,
        ip_address=client.ip_address,
        user_agent=client.user_agent,
    )


@transaction.atomic
def sign_in_event_record(
    *,
    kind: SignInEvent.Kind,
    client: SignInClient,
    user: User | None = None,
    username: str = "",
) -> SignInEvent:
    """What the sign-in machinery saw (the actor is the system: nothing to check). A name that
    matches an account links the event to it, so that account's authority sees the refusals."""
    if user is None and username:
        user = User.objects.filter(username=username).first()
    return _record(kind, client, user, username or (user.get_username() if user else ""))


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user_id=user.pk, defaults={"name": RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _lock_account(actor: User) -> None:
    """Serialise two-factor changes of one account (two tabs set up at once)."""
    User.objects.select_for_update().filter(pk=actor.pk).first()


def two_factor_enable(
    *, actor: User, key: str, code: str, client: SignInClient
) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-factor with the authenticator that shows `code` for the secret `key` (hex);
    returns the device and the new recovery codes, which are shown once."""
    totp = TOTP(unhexlify(key), digits=TOTP_DIGITS)
    code = code.strip()
    if not (code.isdigit() and len(code) == TOTP_DIGITS and totp.verify(int(code), tolerance=1)):
        raise ValidationError(WRONG_SET_UP_CODE)
    with transaction.atomic():
        _lock_account(actor)
        if authenticator_of(actor) is not None:
            raise ValidationError(ALREADY_ON)
        TOTPDevice.objects.filter(user_id=actor.pk).delete()  # nothing half set up is kept
        device = TOTPDevice.objects.create(
            user_id=actor.pk,
            name=AUTHENTICATOR_NAME,
            key=key,
            confirmed=True,
            drift=totp.drift,
            last_t=totp.t(),  # the code just typed cannot open the second step again
        )
        codes = _new_recovery_codes(actor)
        _record(SignInEvent.Kind.TWO_FACTOR_ON, client, actor, actor.get_username())
    return device, codes


def _device_for_code(user: User, code: str) -> tuple[Device | None, str]:
    """The device that accepts `code` (six digits: the authenticator; otherwise a recovery
    code, used up here), with the device's row locked; or None and the refusal."""
    code = "".join(code.split()).replace("-", "").lower()
    six_digits = code.isdigit() and len(code) == TOTP_DIGITS
    model: type[Device] = TOTPDevice if six_digits else StaticDevice
    device = model.objects.select_for_update().filter(user_id=user.pk, confirmed=True).first()
    if device is None or not code:
        return None, str(WRONG_CODE)
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return None, str(TOO_MANY_TRIES)
    if device.verify_token(code):
        return device, ""
    return None, str(WRONG_CODE)


def two_factor_verify(*, user: User, code: str, client: SignInClient) -> Device:
    """The second step of a sign-in: the device that accepted `code`, or a ValidationError."""
    with transaction.atomic():
        device, refusal = _device_for_code(user, code)
        if device is None:
            kind = SignInEvent.Kind.CODE_REFUSED
        elif isinstance(device, StaticDevice):
            kind = SignInEvent.Kind.RECOVERY_CODE_USED
        else:
            kind = SignInEvent.Kind.VERIFIED
        _record(kind, client, user, user.get_username())
    if device is None:
        raise ValidationError(refusal)
    return device


@transaction.atomic
def recovery_codes_renew(*, actor: User, client: SignInClient) -> list[str]:
    """New recovery codes for the actor (the old ones stop working), shown once."""
    _lock_account(actor)
    if authenticator_of(actor) is None:
        raise ValidationError(NOT_ON)
    codes = _new_recovery_codes(actor)
    _record(SignInEvent.Kind.RECOVERY_CODES_RENEWED, client, actor, actor.get_username())
    return codes


def two_factor_disable(*, actor: User, code: str, client: SignInClient) -> None:
    """Turn off two-factor, confirmed by a current code; refused to whoever must use it."""
    if two_factor_required(actor):
        raise PermissionDenied(REQUIRED)
    with transaction.atomic():
        _lock_account(actor)
        if authenticator_of(actor) is None:
            raise ValidationError(NOT_ON)
        device, refusal = _device_for_code(actor, code)
        if device is not None:
            TOTPDevice.objects.filter(user_id=actor.pk).delete()
            StaticDevice.objects.filter(user_id=actor.pk).delete()
            _record(SignInEvent.Kind.TWO_FACTOR_OFF, client, actor, actor.get_username())
        else:
            _record(SignInEvent.Kind.CODE_REFUSED, client, actor, actor.get_username())
    if device is None:
        raise ValidationError(refusal)


def two_factor_reset(*, actor: User, user: User, client: SignInClient) -> None:
    """An administrator removes a person's authenticator and recovery codes (a lost phone);
    the person sets two-factor up again at their next sign-in if they must use it."""
    if not actor.is_superuser:
        raise PermissionDenied
    with transaction.atomic():
        _lock_account(user)
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
        _record(SignInEvent.Kind.TWO_FACTOR_RESET, client, user, user.get_username())
