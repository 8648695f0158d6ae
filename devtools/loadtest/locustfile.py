"""The deadline rush as Locust users: `make loadtest` runs it; docs/loadtest.md runs it against a
real deployment.

- Heads: each takes the next unit of the plan, signs in as its head, opens home and the checklist,
  saves the draft RUSH_SAVES times (every criterion, new values each time), submits (the save,
  then the confirmation), signs out, and takes the next unit until none is left. With RUSH_SUBMIT=0
  a head keeps saving drafts of one unit instead (the ramp that finds where p95 passes 1 s).
- Reviewers (20, fixed): sign in once; open their queue; review and accept what was submitted.
- The manager (1, fixed): watches the progress page; RUSH_RUN_AT seconds after the start, starts a
  scoring run of the previous round, then watches its runs page.
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

from locust import HttpUser, constant, events, task
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["RUSH_PLAN"]).read_text())
SUBMIT = os.environ.get("RUSH_SUBMIT", "1") == "1"
SAVES = int(os.environ.get("RUSH_SAVES", "4"))
RUN_AT = float(os.environ.get("RUSH_RUN_AT", "30"))
ACKED_PATH = os.environ.get("RUSH_ACKED", "")
THINK = float(os.environ.get("RUSH_THINK", "0.5"))

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

    def sign_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token(page.text),
                "username": username,
                "password": PLAN["password"],
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")

    def sign_out(self) -> None:
        home = self.client.get("/", name="home")
        self.client.post(
            "/accounts/logout/",
            data={"csrfmiddlewaretoken": token(home.text)},
            name="logout",
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
        self.client.get("/", name="home")

    def checklist(self) -> str:
        assert self.unit is not None  # noqa: S101
        return self.client.get(f"/assessments/{self.unit[1]}/", name="checklist").text

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
        with self.client.post(
            f"/assessments/{self.unit[1]}/",
            data=data,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code < 400:
                acked[str(self.unit[1])] = values
            else:
                response.failure(f"save answered {response.status_code}")
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
        with self.client.post(
            f"/assessments/{self.unit[1]}/",
            data={
                "csrfmiddlewaretoken": token(asked.text),
                "version": version.group(1) if version else "",
                "action": "submit",
                "confirmed": "1",
            },
            name="submit (confirmed)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"submit answered {response.status_code}")
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
        queue = self.client.get("/reviews/", name="review queue").text
        waiting = [pk for pk in REVIEW_LINK.findall(queue) if pk not in self.done]
        if not waiting:
            return
        pk = waiting[0]
        page = self.client.get(f"/reviews/{pk}/", name="review page").text
        values = {f"score_{c}": "" for c in SCORE_FIELD.findall(page)}
        for pk_kind in PLAN["criteria"]:
            name = f"score_{pk_kind[0]}"
            if name in values:
                values[name] = pk_kind[2] if pk_kind[1] == "yes_no" else "1.5"
        data = {"csrfmiddlewaretoken": token(page), **values}
        self.client.post(f"/reviews/{pk}/", data={**data, "action": "save"}, name="review save")
        self.wait()
        self.client.post(
            f"/reviews/{pk}/",
            data={**data, "action": "accept", "confirmed": "1"},
            name="review accept",
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
        self.client.get(f"/campaigns/{PLAN['code']}/progress/", name="progress")
        runs = f"/campaigns/{PLAN['previous']}/scoring/"
        if self.run_started:
            self.client.get(runs, name="runs")
        elif time.monotonic() - started >= RUN_AT:
            page = self.client.get(runs, name="runs").text
            self.client.post(
                runs,
                data={"csrfmiddlewaretoken": token(page)},
                name="start scoring run",
                allow_redirects=False,
            )
            self.run_started = True


@events.test_stop.add_listener
def write_acknowledged(**_kwargs: Any) -> None:
    if ACKED_PATH:
        Path(ACKED_PATH).write_text(json.dumps(acked))
