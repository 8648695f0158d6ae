"""The portal's one throttle (core.throttle): the public verification page's uploads and the API's
budgets count in the shared cache, so a count made by one web process holds for every other."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from core.throttle import parse_rate, throttle_hit

ROOT = Path(__file__).resolve().parents[2]


def test_a_budget_counts_each_request_of_one_ident_and_refuses_past_its_limit() -> None:
    scope, ident = "test-budget", uuid.uuid4().hex
    hits = [throttle_hit(scope=scope, ident=ident, limit=2, window_seconds=600) for _ in range(3)]
    assert [(h.count, h.allowed) for h in hits] == [(1, True), (2, True), (3, False)]
    assert all(1 <= h.retry_after <= 600 for h in hits)
    other = throttle_hit(scope=scope, ident=uuid.uuid4().hex, limit=2, window_seconds=600)
    assert other.allowed and other.count == 1  # each ident its own budget
    elsewhere = throttle_hit(scope="other-scope", ident=ident, limit=2, window_seconds=600)
    assert elsewhere.count == 1  # and each scope


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("600/hour", (600, 3600)), ("3/h", (3, 3600)), ("20/min", (20, 60)), ("1/day", (1, 86400))],
)
def test_rates_read_as_the_api_setting_writes_them(rate: str, parsed: tuple[int, int]) -> None:
    assert parse_rate(rate) == parsed


def test_a_rate_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="600/hour"):
        parse_rate("lots")


def production_cache(prefix: str) -> dict[str, dict[str, str]]:
    """What settings/production.py sets, on the test's Redis, under a key prefix of its own (the
    counts expire with their window)."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": prefix,
        }
    }


def hit_in_another_process(
    caches: dict,  # type: ignore[type-arg]
    scope: str,
    ident: str,
    window_seconds: int = 600,
) -> int:
    """Another web process (a second gunicorn worker) counts one request of `ident`."""
    code = (
        "import json, sys, django; django.setup(); "
        "from django.test.utils import override_settings; "
        "from core.throttle import throttle_hit; "
        "override_settings(CACHES=json.loads(sys.argv[1])).enable(); "
        "print(throttle_hit(scope=sys.argv[2], ident=sys.argv[3], limit=1, "
        "window_seconds=int(sys.argv[4])).count)"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, json.dumps(caches), scope, ident, str(window_seconds)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "emulation_portal.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


@pytest.mark.integration
def test_with_the_production_cache_a_count_made_in_another_process_holds_here(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = production_cache(f"test-{uuid.uuid4().hex}")
    scope, ident = "verify-uploads", "203.0.113.7"
    assert hit_in_another_process(settings.CACHES, scope, ident) == 1
    here = throttle_hit(scope=scope, ident=ident, limit=1, window_seconds=600)
    assert (here.count, here.allowed) == (2, False)  # the other process's request counted
