"""One throttle for the portal's doors that are not the sign-in (axes has its own): the public
verification page's uploads (per address) and the API (per client system).

It counts in Django's cache alias `THROTTLE_CACHE` ("default"), which production points at Redis
(settings/production.py), so every gunicorn worker and every web host counts against the same
budget; development and the tests keep the in-process cache. A budget is `limit` requests per
window of `window_seconds`, the windows aligned on the clock (from 10:00:00, 10:10:00, ...): one
atomic increment per request (Redis INCR), no read-modify-write that two workers could race.
"""

import time
from dataclasses import dataclass

from django.core.cache import caches

THROTTLE_CACHE = "default"
PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


@dataclass(frozen=True)
class Throttled:
    allowed: bool
    count: int  # requests of this window, this one included
    retry_after: int  # seconds until the window ends


def throttle_hit(*, scope: str, ident: str, limit: int, window_seconds: int) -> Throttled:
    """Count one request of `ident` under `scope`; allowed while the window's count <= limit."""
    now = time.time()
    window = int(now // window_seconds)
    key = f"throttle:{scope}:{ident}:{window}"
    cache = caches[THROTTLE_CACHE]
    cache.add(key, 0, window_seconds + 1)  # expires with its window (a second's grace)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: this request opens the count again
        cache.add(key, 1, window_seconds + 1)
        count = 1
    retry_after = max(1, int((window + 1) * window_seconds - now))
    return Throttled(allowed=count <= limit, count=count, retry_after=retry_after)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/hour" (DRF's notation: s, m, h or d by the first letter) -> (600, 3600)."""
    number, _slash, period = rate.partition("/")
    try:
        return int(number), PERIODS[period.strip()[:1].lower()]
    except (KeyError, ValueError):
        raise ValueError(f"A rate looks like 600/hour, not {rate!r}.") from None
