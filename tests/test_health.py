"""/healthz/ for load balancers and monitoring: the database, file storage and, with a broker,
Redis and a Celery worker."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from emulation_portal.views import PortalHealthView

pytestmark = pytest.mark.django_db(transaction=True)


def get(client: Client, path: str) -> HttpResponse:
    """GET the (async) health view from a thread of its own: once the browser tests have run,
    Playwright's event loop lives in the test thread, where Django cannot run an async view."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(client.get, path).result()  # type: ignore[return-value]


def test_health_answers_200_without_login_when_the_database_and_storage_answer(
    client: Client, media_root: object
) -> None:
    response = get(client, reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    checks = response.json()
    assert set(checks.values()) == {"OK"}
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Storage") for name in checks)
    assert response.has_header("Content-Security-Policy")


def test_the_old_address_without_a_slash_answers_the_same(client: Client) -> None:
    response = get(client, "/healthz")
    assert response.status_code == 200
    assert set(response.json().values()) == {"OK"}


def test_without_a_broker_there_is_no_worker_or_redis_to_check(settings: object) -> None:
    settings.CELERY_BROKER_URL = ""  # type: ignore[attr-defined]
    names = [type(check).__name__ for check in PortalHealthView().get_checks()]
    assert names == ["Database", "Storage"]


def test_with_a_broker_redis_and_a_worker_are_checked(settings: object) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"  # type: ignore[attr-defined]
    settings.CELERY_TASK_ALWAYS_EAGER = False  # type: ignore[attr-defined]
    names = [type(check).__name__ for check in PortalHealthView().get_checks()]
    assert names == ["Database", "Storage", "Redis", "Ping"]


def test_a_failing_check_answers_500(client: Client, settings: object) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # type: ignore[attr-defined]
    settings.CELERY_TASK_ALWAYS_EAGER = True  # type: ignore[attr-defined]
    response = get(client, reverse("health"))
    assert response.status_code == 500
    assert any(
        name.startswith("Redis") and value != "OK" for name, value in response.json().items()
    )
