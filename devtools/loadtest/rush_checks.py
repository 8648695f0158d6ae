"""What the rush's Locust users check, without Locust (so the suite can test it): the code an
authenticator app shows, and whether a response landed on the sign-in pages.

A request that ends on the sign-in page, the two-factor step or its set-up reached nothing: its
user was signed out or still owes the second step. Counted as a success it would hide that the
people measured never got to their pages (as the manager's scoring run once did), so every
request of the rush that was not asking for those pages fails when it lands on them.
"""

import hashlib
import hmac
import struct
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

# The portal's sign-in pages (core/accounts.py): the password, the second step, its set-up.
SIGN_IN_PATHS = ("/accounts/login/", "/accounts/two-factor/", "/accounts/security/two-factor/")
# Signing out ends on the sign-in page (LOGOUT_REDIRECT_URL): that is where it should go.
SIGN_OUT_PATH = "/accounts/logout/"
TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6


def totp_code(hex_key: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as django-otp checks it and an authenticator app shows
    it: the code for the secret `hex_key` (the plan's) at `at` (now by default)."""
    counter = int((time.time() if at is None else at) // TOTP_STEP_SECONDS)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def on_sign_in_page(url: str) -> bool:
    return urlsplit(url).path.startswith(SIGN_IN_PATHS)


def sent_to_sign_in(asked: str, landed: Iterable[str]) -> str | None:
    """Why a request for `asked` failed when it `landed` (its redirect targets and final URL) on a
    sign-in page; None when it did not, or when it asked for a sign-in page itself."""
    if on_sign_in_page(asked) or urlsplit(asked).path == SIGN_OUT_PATH:
        return None
    for url in landed:
        if url and on_sign_in_page(url):
            sent = urlsplit(url).path
            return f"{urlsplit(asked).path} was sent to {sent} (signed out or owing two-factor)"
    return None
