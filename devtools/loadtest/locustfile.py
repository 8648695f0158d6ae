"""The deadline rush as Locust users: `make loadtest` runs it; docs/loadtest.md runs it against a
real deployment.

- Heads: each takes the next unit of the plan, signs in as its head, opens home and the checklist,
  saves the draft RUSH_SAVES times (every criterion, new values each time), submits (the save,
  then the confirmation), signs out, and takes the next unit until none is left. With RUSH_SUBMIT=0
  a head keeps saving drafts of one unit instead (the ramp that finds where p95 passes 1 s).
- Reviewers (20, fixed): sign in once; open their queue; review and accept what was submitted.
- The manager (1, fixed): signs in with the password and the current code of its authenticator
  (production makes managers use two-factor; the plan holds the secret), watches the progress
  page; RUSH_RUN_AT seconds after the start, starts a scoring run of the previous round, then
  watches its runs page.
Every request goes through `Person.call`: one that lands on the sign-in page, the two-factor step
or its set-up (rush_checks.py) fails, so a user who never got past sign-in cannot pass unseen.
Every save the portal acknowledged (2xx or 3xx) is written to RUSH_ACKED at the end, so the
driver can check that the database holds each one (0 lost).
"""

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser
from rush_checks import sent_to_sign_in, totp_code

PLAN: dict[str, Any] = json.loads(Path(os.environ["RUSH_PLAN"]).read_text())
SUBMIT = os.environ.get("RUSH_SUBMIT", "1") == "1"
SAVES = int(os.environ.get("RUSH_SAVES", "4"))
RUN_AT = float(os.environ.get("RUSH_RUN_AT", "30"))
ACKED_PATH = os.environ.get("RUSH_ACKED", "")
THINK = float(os.environ.get("RUSH_THINK", "0.5"))
# A council member who finds nothing to review comes back later, not every second.
EMPTY_QUEUE_SECONDS = float(os.environ.get("RUSH_EMPTY_QUEUE_SECONDS", "10"))

CSRF = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
VERSION = re.compile(r'name="version"\s+value="(\d+)"')
REVIEW_LINK = re.compile(r'href="/reviews/(\d+)/"')
SCORE_FIELD = re.compile(r'name="score_(\d+)"')

_heads = iter(PLAN["heads"])
_reviewers = iter(PLAN["reviewers"])
acked: dict[str, dict[str, str]] = {}  # enrolment id -> the last acknowledged scores
started = time.monotonic()


def token(text: str) -> str:
    found = CSRF.search(text)
    return found.group(1) if found else ""


def scores(final: bool) -> dict[str, str]:
    """A value per criterion: half points for points/deduction/bonus, Đạt or not for yes_no. Early
    drafts leave a few blank; the last save fills every one, so the submit goes through."""
    values = {}
    for pk, kind, maximum in PLAN["criteria"]:
        top = float(maximum)
        if not final and random.random() < 0.2:  # noqa: S311 - load, not secrets
            value = ""
        elif kind == "yes_no":
            value = maximum if final or random.random() < 0.8 else "0"  # noqa: S311
        else:
            value = str(random.randrange(0, int(top * 2) + 1) / 2)  # noqa: S311
        values[f"score_{pk}"] = value
    return values


class Person(HttpUser):
    abstract = True
    wait_time = constant(THINK)

    def call(
        self, method: str, path: str, name: str, *, expect: int | None = None, **kwargs: Any
    ) -> Any:
        """The one way the rush sends a request. It fails on an error status, on a status other
        than `expect`, and when it lands on a sign-in page it did not ask for."""
        with self.client.request(
            method, path, name=name, catch_response=True, **kwargs
        ) as response:
            landed = [r.headers.get("Location", "") for r in [*response.history, response]]
            refusal = sent_to_sign_in(path, [*landed, response.url or ""])
            if refusal is None and expect is not None and response.status_code != expect:
                refusal = f"{name} answered {response.status_code}, not {expect}"
            if refusal is not None:
                response.failure(refusal)
        return response

    def sign_in(self, username: str) -> None:
        page = self.call("GET", "/accounts/login/", "login page")
        self.call(
            "POST",
            "/accounts/login/",
            "login",
            expect=302,
            data={
                "csrfmiddlewaretoken": token(page.text),
                "username": username,
                "password": PLAN["password"],
            },
            allow_redirects=False,
        )
        key = PLAN.get("totp_keys", {}).get(username)
        if key is not None:  # the second step, with the code the person's app shows now
            step = self.call("GET", "/accounts/two-factor/", "two-factor step", expect=200)
            self.call(
                "POST",
                "/accounts/two-factor/",
                "two-factor code",
                expect=302,
                data={"csrfmiddlewaretoken": token(step.text), "code": totp_code(key)},
                allow_redirects=False,
            )

    def sign_out(self) -> None:
        home = self.call("GET", "/", "home")
        self.call(
            "POST",
            "/accounts/logout/",
            "logout",
            data={"csrfmiddlewaretoken": token(home.text)},
            allow_redirects=False,
        )
        self.client.cookies.clear()


class Head(Person):
    """A unit head at the deadline."""

    def on_start(self) -> None:
        self.unit: tuple[str, int] | None = None

    def next_unit(self) -> None:
        try:
            self.unit = next(_heads)
        except StopIteration:
            raise StopUser from None
        self.sign_in(self.unit[0])
        self.call("GET", "/", "home")

    def checklist(self) -> str:
        assert self.unit is not None  # noqa: S101
        return str(self.call("GET", f"/assessments/{self.unit[1]}/", "checklist").text)

    def save(self, page: str, values: dict[str, str], action: str = "save") -> Any:
        assert self.unit is not None  # noqa: S101
        version = VERSION.search(page)
        data = {
            "csrfmiddlewaretoken": token(page),
            "version": version.group(1) if version else "1",
            "action": action,
            **values,
        }
        name = "save draft" if action == "save" else "submit (save, then ask)"
        response = self.call(
            "POST", f"/assessments/{self.unit[1]}/", name, data=data, allow_redirects=False
        )
        if response.status_code < 400 and not sent_to_sign_in(
            "/assessments/", [response.headers.get("Location", "")]
        ):
            acked[str(self.unit[1])] = values
        return response

    @task
    def rush(self) -> None:
        if self.unit is None or SUBMIT:
            self.next_unit()
        for i in range(SAVES):
            page = self.checklist()
            self.save(page, scores(final=SUBMIT and i == SAVES - 1))
            self.wait()
        if not SUBMIT:
            return
        page = self.checklist()
        asked = self.save(page, scores(final=True), action="submit")
        self.wait()
        version = VERSION.search(asked.text)
        assert self.unit is not None  # noqa: S101
        self.call(
            "POST",
            f"/assessments/{self.unit[1]}/",
            "submit (confirmed)",
            expect=302,
            data={
                "csrfmiddlewaretoken": token(asked.text),
                "version": version.group(1) if version else "",
                "action": "submit",
                "confirmed": "1",
            },
            allow_redirects=False,
        )
        self.sign_out()


class Reviewer(Person):
    """A council member reviewing what comes in."""

    fixed_count = len(PLAN["reviewers"])
    wait_time = constant(max(THINK, 1.0))

    def on_start(self) -> None:
        self.done: set[str] = set()
        try:
            self.sign_in(next(_reviewers))
        except StopIteration:
            raise StopUser from None

    @task
    def review(self) -> None:
        queue = self.call("GET", "/reviews/", "review queue").text
        waiting = [pk for pk in REVIEW_LINK.findall(queue) if pk not in self.done]
        if not waiting:
            gevent.sleep(EMPTY_QUEUE_SECONDS)
            return
        pk = waiting[0]
        page = self.call("GET", f"/reviews/{pk}/", "review page").text
        values = {f"score_{c}": "" for c in SCORE_FIELD.findall(page)}
        for pk_kind in PLAN["criteria"]:
            name = f"score_{pk_kind[0]}"
            if name in values:
                values[name] = pk_kind[2] if pk_kind[1] == "yes_no" else "1.5"
        data = {"csrfmiddlewaretoken": token(page), **values}
        self.call("POST", f"/reviews/{pk}/", "review save", data={**data, "action": "save"})
        self.wait()
        self.call(
            "POST",
            f"/reviews/{pk}/",
            "review accept",
            data={**data, "action": "accept", "confirmed": "1"},
            allow_redirects=False,
        )
        self.done.add(pk)


class Manager(Person):
    """The emulation officer watching the rush, scoring the previous round at the midpoint."""

    fixed_count = 1
    wait_time = constant(3)

    def on_start(self) -> None:
        self.run_started = False
        self.sign_in(PLAN["manager"])

    @task
    def watch(self) -> None:
        self.call("GET", f"/campaigns/{PLAN['code']}/progress/", "progress")
        runs = f"/campaigns/{PLAN['previous']}/scoring/"
        if self.run_started:
            self.call("GET", runs, "runs")
        elif time.monotonic() - started >= RUN_AT:
            page = self.call("GET", runs, "runs").text
            self.call(
                "POST",
                runs,
                "start scoring run",
                expect=302,
                data={"csrfmiddlewaretoken": token(page)},
                allow_redirects=False,
            )
            self.run_started = True


@events.test_stop.add_listener
def write_acknowledged(**_kwargs: Any) -> None:
    if ACKED_PATH:
        Path(ACKED_PATH).write_text(json.dumps(acked))
