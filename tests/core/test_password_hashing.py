"""Passwords are kept with Argon2id at OWASP's minimum, and older hashes move to it at sign-in."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.test import Client, override_settings

from emulation_portal.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PORTAL = override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)


@PORTAL
def test_a_new_password_is_kept_with_argon2id_at_owasps_minimum() -> None:
    encoded = make_password("mật khẩu đủ dài 2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("mật khẩu đủ dài 2026", encoded)
    assert not check_password("mật khẩu khác", encoded)


@PORTAL
def test_a_hash_made_with_djangos_parameters_signs_in_and_is_made_again(client: Client) -> None:
    user = UserFactory(username="cu-hash")
    older = Argon2PasswordHasher().encode("mật khẩu đủ dài 2026", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in older
    type(user).objects.filter(pk=user.pk).update(password=older)

    response = client.post(
        "/accounts/login/", {"username": "cu-hash", "password": "mật khẩu đủ dài 2026"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
