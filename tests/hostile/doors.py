"""Every door of the portal, found from the URLconf, the views and the pages themselves.

A door is one URL pattern. Its concrete addresses come from crawling the pages each role sees
(so URL arguments are real ids of the seeded world, of this authority and of another one); its
fields come from the form and filter classes its view uses (found by introspection, not by a
hand-kept list) and from the HTML forms that post to it (fields read straight from the request,
such as `score_<id>`, appear only there).
"""

import importlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType
from typing import Any
from urllib.parse import urldefrag, urlsplit

import django_filters
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent.parent
FORM_MODULE_FILES = ("forms.py", "filters.py", "import_forms.py")
PROJECT_PACKAGES = {
    "emulation_portal",
    "core",
    "notifications",
    "units",
    "campaigns",
    "assessments",
    "scoring",
    "votes",
    "api",
}
# Namespaces left out, with the reason: no role of the portal is staff, so every admin page
# answers the admin's login; tests/test_admin_read_only.py covers the admin itself.
SKIPPED_NAMESPACES = {"admin"}


@dataclass
class Door:
    route: str  # the full route, as ResolverMatch.route spells it
    name: str  # namespace:name, or the route when the pattern has no name
    callback: Any
    urls: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> kwargs
    html_fields: dict[str, "HtmlField"] = field(default_factory=dict)
    get_fields: dict[str, "HtmlField"] = field(default_factory=dict)

    @property
    def view_class(self) -> type | None:
        return getattr(self.callback, "view_class", None)

    @property
    def takes_post(self) -> bool:
        view = self.view_class
        if view is None:  # a function view: ask it
            return True
        return hasattr(view, "post")

    def form_classes(self) -> list[type]:
        return view_form_classes(self.view_class) if self.view_class else []


@dataclass
class HtmlField:
    name: str
    kind: str  # text, textarea, select, select-multiple, checkbox, file, date, number, ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False


# The URLconf ------------------------------------------------------------------------------------


def all_doors() -> dict[str, Door]:
    """Every URL pattern, recursively through includes, keyed by its full route."""
    doors: dict[str, Door] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or route)
                doors[route] = Door(route=route, name=name, callback=pattern.callback)

    walk(get_resolver().url_patterns, "", None)
    return doors


# Forms of a view --------------------------------------------------------------------------------


def is_form_class(value: object) -> bool:
    return isinstance(value, type) and (
        issubclass(value, forms.BaseForm) or issubclass(value, django_filters.FilterSet)
    )


def _functions_of(view_class: type) -> Iterator[FunctionType]:
    for klass in inspect.getmro(view_class):
        if klass.__module__.split(".")[0] not in PROJECT_PACKAGES:
            continue
        for value in vars(klass).values():
            if isinstance(value, FunctionType):
                yield value


def _names_used(function: FunctionType) -> set[str]:
    names: set[str] = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(const for const in code.co_consts if inspect.iscode(const))
    return names


def view_form_classes(view_class: type) -> list[type]:
    """The form and filter classes a view uses: its `form_class` and `filterset_class`, and
    every form class its own methods name (views that build their forms by hand)."""
    found: dict[str, type] = {}
    for attribute in ("form_class", "filterset_class"):
        value = getattr(view_class, attribute, None)
        if is_form_class(value):
            found[value.__qualname__] = value
    for function in _functions_of(view_class):
        for name in _names_used(function):
            value = function.__globals__.get(name)
            if is_form_class(value) and value.__module__.split(".")[0] in PROJECT_PACKAGES:
                found[value.__qualname__] = value
    return list(found.values())


def registered_form_classes() -> dict[str, type]:
    """Every form and filter class of the apps' forms modules (`*/forms.py`, `*/filters.py`,
    `*/import_forms.py`), by dotted name."""
    registry: dict[str, type] = {}
    for package in sorted(PROJECT_PACKAGES):
        for filename in FORM_MODULE_FILES:
            if not (ROOT / package / filename).exists():
                continue
            module = importlib.import_module(f"{package}.{filename.removesuffix('.py')}")
            for attribute, value in vars(module).items():
                if is_form_class(value) and value.__module__ == module.__name__:
                    registry[f"{module.__name__}.{attribute}"] = value
    return registry


def form_fields(form_class: type) -> dict[str, Any]:
    """name -> field (a form field, or a filter's field class instance) of a form class."""
    if issubclass(form_class, django_filters.FilterSet):
        return {name: f.field_class for name, f in form_class.base_filters.items()}
    return dict(form_class.base_fields)


# Crawling ----------------------------------------------------------------------------------------

DOWNLOAD_SUFFIXES = (".xlsx", ".csv", ".pdf", ".docx")
MAX_URLS_PER_DOOR = 3


def match(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        found = resolve(path)
    except Resolver404:
        return None
    return found.route, found.kwargs


def _html_fields(form: Any) -> dict[str, HtmlField]:
    fields: dict[str, HtmlField] = {}
    for element in form.inputs:
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        tag = element.tag
        required = element.get("required") is not None
        if tag == "select":
            options = [o.get("value", o.text_content()) for o in element.findall(".//option")]
            selected = [
                o.get("value", o.text_content())
                for o in element.findall(".//option")
                if o.get("selected") is not None
            ]
            kind = "select-multiple" if element.get("multiple") is not None else "select"
            value = (selected or [o for o in options if o] or [""])[0]
            fields[name] = HtmlField(name, kind, value, options, required)
        elif tag == "textarea":
            fields[name] = HtmlField(name, "textarea", element.text or "", [], required)
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                if name not in fields:
                    fields[name] = HtmlField(name, "submit", element.get("value", ""), [], False)
                continue
            if kind in ("checkbox", "radio"):
                previous = fields.get(name)
                options = (previous.options if previous else []) + [element.get("value", "on")]
                checked = element.get("checked") is not None
                value = (
                    element.get("value", "on") if checked else (previous.value if previous else "")
                )
                fields[name] = HtmlField(name, kind, value, options, required)
                continue
            fields[name] = HtmlField(name, kind, element.get("value", ""), [], required)
    return fields


def crawl(
    client: Client, doors: dict[str, Door], start: list[str], budget: int
) -> list[tuple[str, int]]:
    """Follow the links and forms of the pages `client` sees; record every concrete address of
    every door and the fields of the forms that post to it. Returns (path, status) of each GET."""
    seen: set[str] = set()
    queue = list(start)
    answers: list[tuple[str, int]] = []
    per_route: dict[str, int] = {}
    while queue and len(answers) < budget:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        found = match(urlsplit(path).path)
        if found is None:
            continue
        route, kwargs = found
        door = doors.get(route)
        if door is None:
            continue
        if per_route.get(route, 0) >= MAX_URLS_PER_DOOR and urlsplit(path).path not in door.urls:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        door.urls.setdefault(urlsplit(path).path, kwargs)
        with transaction.atomic():  # whatever a page writes, and a broken transaction, go
            response = client.get(path)
            transaction.set_rollback(True)
        answers.append((path, response.status_code))
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = lxml_html.fromstring(response.content.decode() or "<html></html>")
        page.make_links_absolute("http://testserver" + urlsplit(path).path)
        for form in page.forms:
            action = urlsplit(urldefrag(form.action or path)[0]).path
            target = match(action)
            if target is None or target[0] not in doors:
                continue
            door_ = doors[target[0]]
            if len(door_.urls) < MAX_URLS_PER_DOOR or action in door_.urls:
                door_.urls.setdefault(action, target[1])
            fields = _html_fields(form)
            if (form.method or "GET").upper() == "POST":
                for name, html_field in fields.items():
                    door_.html_fields.setdefault(name, html_field)
            else:
                for name, html_field in fields.items():
                    door_.get_fields.setdefault(name, html_field)
        for element in page.xpath("//a[@href] | //*[@hx-get] | //*[@hx-post]"):
            for attribute in ("href", "hx-get", "hx-post"):
                link = element.get(attribute)
                if not link or not link.startswith(("/", "http://testserver")):
                    continue
                link = urldefrag(link)[0].removeprefix("http://testserver")
                if urlsplit(link).path.endswith(DOWNLOAD_SUFFIXES):
                    found_ = match(urlsplit(link).path)
                    if found_ and found_[0] in doors:
                        doors[found_[0]].urls.setdefault(urlsplit(link).path, found_[1])
                    continue
                if link not in seen:
                    queue.append(link)
    return answers
