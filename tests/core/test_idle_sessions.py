"""A session ends after SESSION_IDLE_TIMEOUT_MINUTES without a request; each request moves its end
(the production settings; tests/test_settings.py checks what they set)."""

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDLE_MINUTES = 30


@pytest.fixture
def idle_expiry(settings: Any) -> None:
    """What production.py sets for SESSION_IDLE_TIMEOUT_MINUTES = 30."""
    settings.SESSION_COOKIE_AGE = IDLE_MINUTES * 60
    settings.SESSION_SAVE_EVERY_REQUEST = True


def signed_in(client: Client) -> Session:
    UserFactory(username="person", password="demo-pass-123")
    client.post(reverse("login"), {"username": "person", "password": "demo-pass-123"})
    return Session.objects.get()


def test_a_session_idle_for_longer_than_the_setting_asks_to_sign_in_again(
    client: Client, idle_expiry: None
) -> None:
    session = signed_in(client)
    assert client.get(reverse("home")).status_code == 200
    idle_since = timezone.now() - datetime.timedelta(minutes=IDLE_MINUTES + 1)
    Session.objects.filter(pk=session.pk).update(
        expire_date=idle_since + datetime.timedelta(minutes=IDLE_MINUTES)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_each_request_moves_the_end_of_an_active_session(client: Client, idle_expiry: None) -> None:
    session = signed_in(client)
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(pk=session.pk).update(expire_date=soon)
    assert client.get(reverse("home")).status_code == 200
    expires = Session.objects.get(pk=session.pk).expire_date
    assert expires > timezone.now() + datetime.timedelta(minutes=IDLE_MINUTES - 1)
