"""The invitation to set a password: a link built by Django's password-reset token machinery.

The token hashes the account's password and last sign-in (so it works once: setting the password
spends it), its active flag (so closing the account spends it too) and the day it was made (so it
expires after `PASSWORD_RESET_TIMEOUT`). Nothing is stored: the link is the whole invitation.
"""

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "core.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user: Any) -> str:
    """The path of a fresh invitation link for `user` (the site's address is added by the
    e-mail)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "invitation_confirm", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)}
    )
