"""Hostile input at every door: no server error, nothing written by a refused request.

The doors are found, not listed: every URL pattern of the URLconf, its concrete addresses from
crawling the pages of every role, its fields from the form and filter classes its view uses and
from the forms that post to it. Each role (the manager of the authority, the manager of another
authority, a unit head, unit staff, a council member, anonymous) then sends, to every door, a
sample of hostile values per field (the sample turns with the role, so the roles together cover
the corpus), hostile files and workbooks, invalid UTF-8, missing and empty fields, htmx requests
with and without their header, hostile URL arguments and double submits.

HOSTILE_SAMPLE (default 3) is the number of hostile values per field and role.
"""

import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Max
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from .attack import TOTALS, Attacker
from .conftest import ROLES, World
from .corpus import (
    BAD_UTF8,
    CORPUS,
    TOO_BIG,
    RawUpload,
    field_kind,
    hostile_files,
    hostile_workbooks,
    html_kind,
    multipart,
)
from .doors import ROOT, Door, all_doors, crawl, form_fields, registered_form_classes
from .fingerprint import fingerprint

pytestmark = pytest.mark.django_db

SAMPLE = int(os.environ.get("HOSTILE_SAMPLE", "3"))
CRAWLERS = ["manager", "other_manager", "unithead", "unitstaff", "council", "anonymous"]
CRAWL_BUDGET = 140  # pages per crawling role
START = ["/", "/campaigns/", "/assessments/", "/reviews/", "/units/", "/units/blocks/", "/public/"]
# Query parameters the views read by hand (pagination, the run shown, the runs compared).
QUERY_PARAMETERS = ["page", "run", "a", "b", "next", "q", "sort"]
# Doors the crawl cannot reach from any page, each with the reason; they are still attacked
# through the addresses built here. Every other door is reached through a link of a page the
# seeded world shows (conftest.py adds what the demo lacks: files, a registration waiting, a
# draft campaign, runs).
UNLINKED = {
    "healthz/": "for load balancers and monitoring",
    "healthz": "the load balancers' old address, the same view as healthz/",
    "favicon.ico": "asked for by browsers, not linked",
    "accounts/password_reset/done/": "shown after a reset request",
    "accounts/reset/<uidb64>/<token>/": "reached from an e-mail",
    "accounts/invitation/<uidb64>/<token>/": "reached from an invitation e-mail",
    "accounts/reset/done/": "shown after a reset",
    "accounts/password_change/done/": "shown after a change",
    "campaigns/<str:code>/exports/<int:pk>/": "offered once an export is asked for",
    "campaigns/<str:code>/exports/<int:pk>/progress/": "polled by htmx while an export is made",
    "campaigns/<str:code>/exports/<int:pk>/file/": "offered once an export is made",
    "accounts/two-factor/": "the second step of a sign-in, a redirect after the password",
    "accounts/security/recovery-codes/": "shown once, after a set-up or a renewal",
    "accounts/security/recovery-codes/new/": "a button of Bảo mật tài khoản once two-factor is on",
    "accounts/security/two-factor/off/": "a link of Bảo mật tài khoản once two-factor is on",
    "council/catalogue/terms/<int:pk>/": "linked for the province's emulation office only",
    "council/catalogue/terms/<int:pk>/new-period/": "linked for the emulation office only",
    "council/catalogue/salaries/": "linked for the province's emulation office only",
    "council/catalogue/provinces/<int:pk>/ratios/": "linked for the province's own officers only",
    "api/campaigns/<str:code>/": "read by other systems with a token; the schema lists it",
    "api/campaigns/<str:code>/results/": "read by other systems with a token; the schema lists it",
}


def client_for(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def fallback_kwargs(world: World) -> dict[str, Any]:
    """Real ids of the other authority's rows for doors no page links to."""
    campaign = world.other_campaign
    models = {name: apps.get_model(*name.split(".")) for name in MODEL_OF_PK.values()}
    highest = {
        name: model.objects.aggregate(Max("pk"))["pk__max"] or 1 for name, model in models.items()
    }
    return {"campaign": campaign.code, "highest": highest}


MODEL_OF_PK = {
    "campaigns/<str:code>/exports/<int:pk>/": "scoring.ExportJob",
    "campaigns/<str:code>/exports/<int:pk>/progress/": "scoring.ExportJob",
    "campaigns/<str:code>/exports/<int:pk>/file/": "scoring.ExportJob",
    "council/catalogue/terms/<int:pk>/": "votes.AwardTerm",
    "council/catalogue/terms/<int:pk>/new-period/": "votes.AwardTerm",
    "council/catalogue/provinces/<int:pk>/ratios/": "units.Unit",
}
EXTRA_KWARGS = {"action": "copy", "fmt": "pdf"}


def add_unlinked(doors: dict[str, Door], world: World) -> None:
    """Addresses for the doors the crawl did not reach: the other authority's campaign, the
    highest id of the row the door shows (2019's closed session, the published run, ...)."""
    known = fallback_kwargs(world)
    for route, door in doors.items():
        if door.urls or "<" not in route:
            if not door.urls:
                door.urls["/" + route] = {}
            continue
        kwargs: dict[str, Any] = {}
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            if name == "code":
                kwargs[name] = known["campaign"]
            elif name in EXTRA_KWARGS:
                kwargs[name] = EXTRA_KWARGS[name]
            elif name in ("uidb64", "token"):
                kwargs[name] = "x" * 8
            else:
                kwargs[name] = known["highest"].get(MODEL_OF_PK.get(route, ""), 1)
        door.urls[reverse(door.name, kwargs=kwargs)] = kwargs


@dataclass
class Map:
    doors: dict[str, Door]
    answers: list[tuple[str, int]]  # of the crawl
    reached: set[str]  # routes some page links to


def build_map(world: World) -> Map:
    doors = all_doors()
    answers = []
    for role in CRAWLERS:
        answers += crawl(client_for(world, role), doors, START, CRAWL_BUDGET)
    reached = {route for route, door in doors.items() if door.urls}
    add_unlinked(doors, world)
    TOTALS["read (crawl)"] += len(answers)
    return Map(doors, answers, reached)


# The map itself ---------------------------------------------------------------------------------


def test_the_crawl_reaches_every_door_without_a_server_error(mapped: Map) -> None:
    assert [(path, status) for path, status in mapped.answers if status >= 500] == []
    unreached = sorted(set(mapped.doors) - mapped.reached - set(UNLINKED))
    assert unreached == [], f"new doors: link them from a page or add them to UNLINKED: {unreached}"
    stale = sorted(set(UNLINKED) - set(mapped.doors))
    assert stale == [], "UNLINKED names routes that no longer exist"


def test_every_form_class_is_used_by_a_door(mapped: Map) -> None:
    used = {form for door in mapped.doors.values() for form in door.form_classes()}
    unused = [  # a base class counts through the forms built on it
        name
        for name, form in registered_form_classes().items()
        if not any(issubclass(used_form, form) for used_form in used)
    ]
    assert unused == [], "a form no view uses is a door the suite cannot find"


# The attack --------------------------------------------------------------------------------------

Field = tuple[str, str, Any]  # name, kind, form field or None


def door_fields(door: Door) -> list[Field]:
    """The fields of a door's forms and of the page forms that post to it; of fields made per
    criterion (`score_12`, `note_12`, ...) two of each kind."""
    fields: dict[str, Field] = {}
    for form_class in door.form_classes():
        if getattr(form_class, "_meta", None) and hasattr(form_class, "base_filters"):
            continue  # a filter set is attacked through the query string
        for name, form_field in form_fields(form_class).items():
            kind = field_kind(form_field, name)
            if kind == "file" and "import" in door.name:
                kind = "workbook"
            fields[name] = (name, kind, form_field)
    per_family: dict[str, int] = {}
    for name, html_field in door.html_fields.items():
        if name in fields:
            continue
        family = re.sub(r"\d+", "#", name)
        per_family[family] = per_family.get(family, 0) + 1
        if per_family[family] <= 2:
            fields[name] = (name, html_kind(html_field, door.name), None)
    return sorted(fields.values(), key=lambda f: f[0])


def query_fields(door: Door) -> list[Field]:
    fields: dict[str, Field] = {}
    for form_class in door.form_classes():
        if hasattr(form_class, "base_filters"):
            for name, field_class in form_fields(form_class).items():
                fields[name] = (name, field_kind(field_class, name), field_class)
    for name, html_field in door.get_fields.items():
        fields.setdefault(name, (name, html_kind(html_field, door.name), None))
    return sorted(fields.values(), key=lambda f: f[0])


def baseline(door: Door) -> dict[str, Any]:
    """What the page's form would post as it stands, with the empty required inputs filled."""
    filled = {
        "date": "2026-06-15",
        "datetime-local": "2026-06-15T08:00",
        "time": "08:00",
        "number": "1",
        "email": "a@example.invalid",
    }
    data: dict[str, Any] = {}
    for name, field in door.html_fields.items():
        if field.kind in ("file", "submit") or (field.kind == "checkbox" and not field.value):
            continue
        value = field.value or filled.get(field.kind, "")
        if not value and field.kind in ("text", "textarea"):
            value = "Kiểm thử"
        data[name] = value
    return data


def sample(kind: str, role: str, key: str) -> list[str]:
    """SAMPLE values of the kind's corpus; which ones turns with the role."""
    values = list(CORPUS[kind])
    random.Random(key).shuffle(values)
    start = ROLES.index(role) * SAMPLE
    return [values[(start + n) % len(values)] for n in range(min(SAMPLE, len(values)))]


def other_id(form_field: Any) -> str:
    queryset = getattr(form_field, "queryset", None)
    model = queryset.model if queryset is not None else None
    if model is None:
        return "1"
    return str(model._default_manager.aggregate(Max("pk"))["pk__max"] or 1)


def hostile_values(role: str, door: Door, field: Field) -> list[tuple[str, Any]]:
    name, kind, form_field = field
    if kind == "file":
        return [(label, make) for label, make in hostile_files()]
    if kind == "workbook":
        return [(label, make) for label, make in hostile_workbooks()]
    values = sample(kind, role, f"{door.route}|{name}")
    values = [other_id(form_field) if value == "{other}" else value for value in values]
    if kind == "ids":
        return [(repr(value), [value]) for value in values] + [
            ("one good, one too big", ["1", TOO_BIG])
        ]
    return [(repr(value)[:40], value) for value in values]


def post(path: str, data: dict[str, Any], **extra: Any) -> Callable[[Client], Any]:
    def send(client: Client) -> Any:
        made = {key: value() if callable(value) else value for key, value in data.items()}
        if any(isinstance(value, RawUpload) for value in made.values()):
            body, content_type = multipart(made)
            return client.post(path, body, content_type=content_type, **extra)
        return client.post(path, made, **extra)

    return send


def raw_post(path: str, body: bytes) -> Callable[[Client], Any]:
    return lambda client: client.post(path, body, content_type="application/x-www-form-urlencoded")


def get(path: str, params: dict[str, Any] | None = None, **extra: Any) -> Callable[[Client], Any]:
    return lambda client: client.get(path, params or {}, **extra)


def hostile_paths(door: Door, kwargs: dict[str, Any]) -> list[str]:
    """The door's address with each argument replaced by a hostile one."""
    paths = []
    for name, value in kwargs.items():
        for hostile in [TOO_BIG, "0"] if isinstance(value, int) else ["'\"<x>", "Đ" * 300, "%00"]:
            try:
                paths.append(reverse(door.name, kwargs={**kwargs, name: hostile}))
            except Exception:  # noqa: BLE001, S112 - the converter refuses it: no such address
                continue
    return paths


def attack_door(attacker: Attacker, door: Door, htmx_doors: set[str]) -> None:
    role, send = attacker.role, attacker.send
    paths = list(door.urls.items())
    for path, _kwargs in paths:
        send(f"GET {path}", get(path))
    path, kwargs = paths[0]
    htmx = door.name in htmx_doors
    if htmx:  # an htmx target asked for by htmx, and by hand without its headers (done above)
        send(f"GET {path} (htmx)", get(path, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main"))
    for hostile_path in hostile_paths(door, kwargs):
        send(f"GET {hostile_path}", get(hostile_path))
    for value in sample("id", role, f"{door.route}|query")[:2]:
        params = dict.fromkeys(QUERY_PARAMETERS, value)
        send(f"GET {path} ?…={value!r}", get(path, params))
    for name, kind, _form_field in query_fields(door):
        for value in sample(kind, role, f"{door.route}|?{name}")[:2]:
            send(f"GET {path} ?{name}={value!r:.40}", get(path, {name: value}))
    if not door.takes_post:
        send(f"POST {path} (no POST here)", post(path, {}))
        return
    data = baseline(door)
    opened = send(f"POST {path} baseline", post(path, data))
    for other_path, _kwargs in paths[1:]:
        send(f"POST {other_path} baseline", post(other_path, data))
    send(f"POST {path} twice", post(path, data), first=post(path, data))
    if htmx:
        send(f"POST {path} (htmx)", post(path, data, HTTP_HX_REQUEST="true"))
    send(f"POST {path} empty", post(path, {}))
    fields = door_fields(door)
    shut = opened.status_code in (403, 404, 405) or opened.get("Location", "").startswith(
        resolve_url(settings.LOGIN_URL)
    )
    if shut:  # the door refuses this role before it reads the form: a few values only
        fields = fields[:3]
    for body in BAD_UTF8[:1] if shut else BAD_UTF8:
        name = fields[0][0] if fields else "x"
        send(f"POST {path} {name}=<invalid UTF-8>", raw_post(path, name.encode() + b"=" + body))
    # A refused submit keeps the draft saved just before it (assessments/views.py, `save`).
    keeps_draft = door.name == "assessments:assessment" and data.get("action") == "submit"
    for field in fields:
        name = field[0]
        if name in data and not shut:
            missing = {key: value for key, value in data.items() if key != name}
            send(f"POST {path} without {name}", post(path, missing), writes_allowed=keeps_draft)
        values = hostile_values(role, door, field)
        # The multipart corpus: every hostile file is refused, with a message, changing nothing.
        # (A file field the page itself offers: a view's base class may name forms it never reads.)
        is_file = field[1] in ("file", "workbook") and (
            door.html_fields[name].kind == "file" if name in door.html_fields else False
        )
        for label, value in values[:1] if shut else values:
            send(
                f"POST {path} {name}={label}",
                post(path, {**data, name: value}),
                writes_allowed=keeps_draft and not is_file,
                must_refuse=is_file,
            )


def htmx_targets() -> set[str]:
    """The URL names the templates ask htmx to fetch or post to (hx-get="{% url 'name' ..."""
    found = set()
    for template in (ROOT / "templates").rglob("*.html"):
        found.update(HX_URL.findall(template.read_text()))
    return found


HX_URL = re.compile(r"""hx-(?:get|post|put|patch|delete)="{% url '([\w:]+)'""")


@pytest.mark.parametrize("role", ROLES)
def test_no_door_answers_a_server_error_or_writes_when_it_refuses(
    world: World, mapped: Map, role: str
) -> None:
    doors = mapped.doors
    attacker = Attacker(client=client_for(world, role), role=role, before=fingerprint())
    htmx_doors = htmx_targets()
    assert htmx_doors, "no template asks htmx for a page: the pattern HX_URL is out of date"
    for route in sorted(doors):
        attack_door(attacker, doors[route], htmx_doors)
    total = sum(attacker.count.values())
    print(f"\n{role}: {total} requests, {dict(attacker.count)}")  # noqa: T201
    assert attacker.failures == [], tally(attacker.failures) + "\n".join(attacker.failures[:60])


def tally(failures: list[str]) -> str:
    """How many failures of each kind, above the first of them."""
    server = sum(1 for failure in failures if failure.startswith("5"))
    wrote = sum(1 for failure in failures if " but wrote " in failure or "left broken" in failure)
    shown = len(failures) - server - wrote
    return (
        f"{len(failures)} failures: {server} server errors, {wrote} refusals that wrote, "
        f"{shown} refused forms not shown as they should be\n"
    )
