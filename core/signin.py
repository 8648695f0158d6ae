"""Sign-in throttling around django-axes: whose address a failure counts against, how long a
lockout still runs, and the per-account delay that caps guesses from many addresses.

Two limits apply to every login attempt:
- per user name and address (axes itself): AXES_FAILURE_LIMIT failures lock that pair out for
  AXES_COOLOFF_HOURS, counted from the failure that locked it; attempts refused during the
  lockout (the right password included) are not recorded and do not extend it;
- per account, from any address (`account_wait`): after LOGIN_ACCOUNT_FREE_FAILURES failures
  since the account's last sign-in (within LOGIN_ACCOUNT_WINDOW_HOURS), each further attempt
  waits a delay that doubles with every failure, up to LOGIN_ACCOUNT_MAX_DELAY_SECONDS. An
  address the account signed in from lately (LOGIN_KNOWN_ADDRESS_DAYS) is not delayed, so a
  flood of guesses elsewhere never keeps the real user out for long.
"""

import datetime
import math
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from ipware import get_client_ip

NO_WAIT = datetime.timedelta(0)


def client_address(request: HttpRequest) -> str | None:
    """The address a login attempt counts against (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR unless TRUSTED_PROXY_COUNT names the proxies in front of the portal: each of them
    appends the address it saw to X-Forwarded-For, so the client's is that many entries from the
    right, and whatever the client wrote itself lies further left. A header shorter than that
    did not pass through the proxies: REMOTE_ADDR counts.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    # ipware counts the proxies listed in the header: all but the last one, which is REMOTE_ADDR.
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote


# Per account -------------------------------------------------------------------------------------


def account_failures(username: str, now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """(failures, the latest one's time) for the user name from every address since its last
    sign-in, within LOGIN_ACCOUNT_WINDOW_HOURS."""
    since = now - datetime.timedelta(hours=settings.LOGIN_ACCOUNT_WINDOW_HOURS)
    last_sign_in = (
        AccessLog.objects.filter(username=username, attempt_time__gte=since)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    failures = AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=max(since, last_sign_in or since)
    )
    times = list(failures.values_list("attempt_time", flat=True))
    return len(times), max(times, default=None)


def account_delay(failures: int) -> datetime.timedelta:
    """The wait before the next attempt after `failures` failures: none for the first free ones,
    then LOGIN_ACCOUNT_DELAY_SECONDS doubling with each failure, up to the ceiling."""
    over = failures - settings.LOGIN_ACCOUNT_FREE_FAILURES
    if over < 0:
        return NO_WAIT
    seconds = settings.LOGIN_ACCOUNT_DELAY_SECONDS * 2 ** min(over, 30)
    return datetime.timedelta(seconds=min(seconds, settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS))


def is_known_address(username: str, address: str | None, now: datetime.datetime) -> bool:
    """The account signed in from this address lately."""
    since = now - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=since
    ).exists()


def account_wait(
    username: str | None, address: str | None, now: datetime.datetime
) -> datetime.timedelta:
    """How long an attempt for this account from this address must still wait."""
    if not username:
        return NO_WAIT
    failures, latest = account_failures(username, now)
    delay = account_delay(failures)
    if latest is None or not delay or is_known_address(username, address, now):
        return NO_WAIT
    return max(latest + delay - now, NO_WAIT)


# Per user name and address -----------------------------------------------------------------------


def lockout_wait(
    request: HttpRequest, username: str | None, now: datetime.datetime
) -> datetime.timedelta:
    """How long the lockout of this user name and address still runs: until enough of the
    failures that locked it are older than the cool-off."""
    cool_off = get_cool_off(request) or NO_WAIT
    limit = get_failure_limit(request, {"username": username})
    attempts = AccessAttempt.objects.filter(
        username=username,
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=now - cool_off,
    ).order_by("-attempt_time")
    counted = 0
    for attempt in attempts.only("attempt_time", "failures_since_start"):
        counted += attempt.failures_since_start
        if counted >= limit:
            return max(attempt.attempt_time + cool_off - now, NO_WAIT)
    return NO_WAIT


def wait_text(wait: datetime.timedelta) -> str:
    """ "40 giây", "25 phút": rounded up, so the user never comes back too early."""
    seconds = max(math.ceil(wait.total_seconds()), 1)
    if seconds < 60:
        return ngettext("%(n)s giây", "%(n)s giây", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)s phút", "%(n)s phút", minutes) % {"n": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The lockout page (AXES_LOCKOUT_CALLABLE), with the time the refusal still runs."""
    now = timezone.now()
    username = get_client_username(request, credentials)
    by_address = lockout_wait(request, username, now)
    by_account = account_wait(username, request.axes_ip_address, now)  # type: ignore[attr-defined]
    wait = max(by_address, by_account)
    context = {
        "wait": wait_text(wait),
        "until": timezone.localtime(now + wait),
        "by_account": by_account > by_address,
    }
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)  # axes.conf's default
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
    response["Retry-After"] = str(max(math.ceil(wait.total_seconds()), 1))
    return response
