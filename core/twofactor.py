"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and one-use recovery codes.

After the password, a session whose user has a confirmed authenticator waits for the second step;
a session whose user must use two-factor but has none waits for the set-up. Who must is the rule
named `TWO_FACTOR_REQUIRED_RULE`, which the layer that knows the roles registers with `rules`
(campaigns/rules.py: managers, superusers, council chairs and secretaries); it applies only when
the OTP_REQUIRED_FOR_OFFICERS setting is on (production). The waiting state is kept in the session
when the password is accepted, so core.middleware.TwoFactorMiddleware sends a waiting session to
its step without a query on every page.
"""

from base64 import b32encode
from binascii import unhexlify
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import rules
import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.safestring import SafeString, mark_safe

from .selectors import authenticator_of

TWO_FACTOR_REQUIRED_RULE = "two_factor_required"
PENDING_SESSION_KEY = "two_factor_pending"
NEW_KEY_SESSION_KEY = "two_factor_new_key"
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
RECOVERY_CODE_COUNT = 10


class Pending(StrEnum):
    """What a session still owes after the password."""

    VERIFY = "verify"  # a code from the authenticator or a recovery code
    SET_UP = "set_up"  # the user must use two-factor and has not set it up


def two_factor_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The user may not use the portal with a password alone (production, officers)."""
    return bool(settings.OTP_REQUIRED_FOR_OFFICERS) and rules.test_rule(
        TWO_FACTOR_REQUIRED_RULE, user
    )


def pending_after_password(user: AbstractBaseUser) -> Pending | None:
    """What the session of a user who has just given the right password still owes."""
    if authenticator_of(user) is not None:
        return Pending.VERIFY
    if two_factor_required(user):
        return Pending.SET_UP
    return None


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


def allowed_while(*states: Pending) -> Callable[[ViewFunc], ViewFunc]:
    """Mark a view that a session owing one of `states` may still open (logout, the step)."""

    def mark(view: ViewFunc) -> ViewFunc:
        view.two_factor_allowed_while = frozenset(states)  # type: ignore[attr-defined]
        return view

    return mark


def always_allowed(view: ViewFunc) -> ViewFunc:
    """Mark a view that a session owing anything may open."""
    return allowed_while(*Pending)(view)


def key_for_people(hex_key: str) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(hex_key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(content: str) -> SafeString:
    """An inline SVG QR code drawn by the portal itself (no image service, no inline style)."""
    svg = segno.make(content, error="m").svg_inline(scale=5, border=2, omitsize=False)
    return mark_safe(svg)  # noqa: S308 - segno escapes nothing we did not give it: a URI it encodes as modules
