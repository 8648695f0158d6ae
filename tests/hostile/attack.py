"""One hostile request at a time, each in its own savepoint: send, judge, roll back.

A request is judged by its answer: never a 5xx; when the portal refused it (a 4xx, a form
shown again, a redirect to the login) or asked to confirm it, every domain table must be as it
was; a refused form comes back with a 4xx, never 200, and shows each of its messages where the
user looks (shown.py), never as a message flashed on the page a redirect leads to. Whatever a
request wrote is rolled back before the next one, so each starts from the same seeded world and
one fingerprint taken at the start serves for all; a refused request is fingerprinted again only
if it sent an INSERT, UPDATE or DELETE to a domain table.
"""

import copy
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .fingerprint import changed, domain_tables, fingerprint
from .shown import error_messages, is_confirmation, is_error_page, redirected_refusal, unshown

# Every request the suite made, by outcome (printed at the end of the run).
TOTALS: Counter[str] = Counter()


@dataclass
class Attacker:
    client: Client
    role: str
    before: dict[str, tuple[int, str]]
    failures: list[str] = field(default_factory=list)
    count: Counter[str] = field(default_factory=Counter)

    def send(
        self,
        label: str,
        request: Callable[[Client], HttpResponse],
        *,
        first: Callable[[Client], HttpResponse] | None = None,
        writes_allowed: bool = False,
        must_refuse: bool = False,
    ) -> HttpResponse:
        """Send one request in a savepoint; record a 5xx, or a refused request that wrote.

        `first`: a request sent just before in the same savepoint (the first of a double
        submit); it may write, and the one judged is compared with the tables it left.
        `must_refuse`: the request carries a hostile file; taking it is a failure.
        """
        cookies = copy.deepcopy(self.client.cookies)  # a logout must not log the role out
        with transaction.atomic():
            before = self.before
            if first is not None:
                earlier = first(self.client)
                if earlier.status_code >= 500:
                    self.failures.append(
                        f"{earlier.status_code} {label} (first): {describe(earlier)}"
                    )
                before = fingerprint() if not connection.needs_rollback else before
            with CaptureQueriesContext(connection) as queries:
                response = request(self.client)
            self.judge(label, response, before, queries, writes_allowed)
            if must_refuse and not outcome_of(response).startswith("refused"):
                self.failures.append(f"{response.status_code} {label}: took a hostile file")
            transaction.set_rollback(True)
        self.client.cookies = cookies
        return response

    def judge(
        self,
        label: str,
        response: HttpResponse,
        before: dict[str, tuple[int, str]],
        queries: CaptureQueriesContext,
        writes_allowed: bool,
    ) -> None:
        status = response.status_code
        outcome = outcome_of(response)
        self.count[outcome] += 1
        TOTALS[outcome] += 1
        if status >= 500:
            self.failures.append(f"{status} {label}: {describe(response)}")
        elif connection.needs_rollback:
            self.failures.append(f"{status} {label}: the transaction was left broken")
        elif refused_or_asked(outcome) and not writes_allowed and wrote(queries):
            # It sent a write: compare every table (a write undone by its own savepoint is fine).
            moved = changed(before, fingerprint())
            if moved:
                self.failures.append(f"{status} {label}: {outcome} but wrote {moved}")
        if outcome == "refused (message)":
            self.failures.append(f"{status} {label}: {redirected_refusal(response)}")
        if is_refused_form(response):
            if status == 200:
                self.failures.append(f"200 {label}: a refused form answers 4xx, not 200")
            self.failures += [f"{status} {label}: {problem}" for problem in unshown(response)]


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def wrote(queries: CaptureQueriesContext) -> bool:
    """Whether the request sent an INSERT, UPDATE or DELETE to a domain table."""
    tables = {table for table, _pk in domain_tables()}
    for query in queries.captured_queries:
        found = WRITE.match(query["sql"])
        if found and found.group(1) in tables:
            return True
    return False


def describe(response: HttpResponse) -> str:
    info = getattr(response, "exc_info", None)
    if info:
        return f"{info[0].__name__}: {str(info[1])[:200]}"
    return response.content[:200].decode(errors="replace")


# A page of the portal answering a POST: a form shown again (422, or 400 and 409 where the
# request itself is wrong or stale), or 200, which a refused form must not answer.
FORM_STATUSES = {200, 400, 409, 422}


def refused_or_asked(outcome: str) -> bool:
    return outcome.startswith("refused") or outcome == "confirmation asked"


def is_refused_form(response: HttpResponse) -> bool:
    """A POST answered with a page of the portal that is neither an error page nor a question."""
    return (
        response.wsgi_request.method == "POST"
        and response.status_code in FORM_STATUSES
        and "html" in response.get("Content-Type", "")
        and not is_error_page(response)
        and not is_confirmation(response)
    )


def outcome_of(response: HttpResponse) -> str:
    """ "5xx", "refused (...)", "confirmation asked" or "accepted"; a GET that answers 200 is
    "read"."""
    status = response.status_code
    method = response.wsgi_request.method
    if status >= 500:
        return "5xx"
    if status >= 400:
        return f"refused ({status})"
    if status in (301, 302, 303):
        location = response.get("Location", "")
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "refused (login)"
        if error_messages(response):
            return "refused (message)"
        return "accepted"
    if method == "POST":
        return "confirmation asked" if is_confirmation(response) else "refused (form shown again)"
    return "read"


def total_line() -> str:
    return ", ".join(f"{outcome}: {n}" for outcome, n in sorted(TOTALS.items()))
