"""The Content-Security-Policy on every page, templates it can enforce, and request size limits."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory
from units.roles import Role

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def plain_paths(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    """Every URL of the project that takes no argument (admin included)."""
    paths = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or "^" in route and "(" in route:
            continue
        if isinstance(pattern, URLResolver):
            paths += plain_paths(pattern.url_patterns, prefix + route)
        else:
            paths.append("/" + prefix + route.lstrip("^").rstrip("$"))
    return sorted(set(paths))


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(
        username="manager", roles=[Role.CAMPAIGN_MANAGER], is_staff=True, is_superuser=True
    )


@pytest.mark.django_db
def test_every_page_carries_an_enforced_policy_without_inline_scripts(manager: User) -> None:
    paths = [*plain_paths(get_resolver().url_patterns), "/khong-co-trang-nay/"]
    assert len(paths) > 20
    # A page that fails still answers through the middleware: its 500 must carry the policy too.
    anonymous = Client(raise_request_exception=False)
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    for path in paths:
        for who in (anonymous, client):
            response = who.get(path)
            assert "Content-Security-Policy-Report-Only" not in response, path
            policy = directives(response["Content-Security-Policy"])
            assert policy["default-src"] == ["'self'"], path
            assert policy["script-src"] == ["'self'"], path
            assert "'unsafe-inline'" not in policy["style-src"], path
            assert policy["frame-ancestors"] == ["'none'"], path


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.IGNORECASE)
JSON_SCRIPT = re.compile(r'type="application/(ld\+)?json"', re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_have_no_inline_script_handler_or_style(template: Path) -> None:
    """What the policy would refuse in the browser: scripts in the page, on*= handlers, style=."""
    html = template.read_text()
    scripts = [m.group(0) for m in INLINE_SCRIPT.finditer(html) if not JSON_SCRIPT.search(m[0])]
    assert scripts == []
    assert HANDLER.findall(html) == []
    assert STYLE_ATTRIBUTE.findall(html) == []
    assert "<style" not in html.lower()


def test_the_template_checks_catch_what_they_look_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js"></script>')
    assert HANDLER.search('<select onchange="this.form.submit()">')
    assert not HANDLER.search('<select data-submit-on-change name="language">')
    assert STYLE_ATTRIBUTE.search('<td style="width: 8rem">')


def test_htmx_is_told_not_to_inject_styles_or_eval(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert '<meta name="htmx-config"' in html
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


# Request size -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_body_over_the_limit_gets_a_vietnamese_413(
    client: Client, manager: User, settings: object
) -> None:
    settings.REQUEST_MAX_BYTES = 1000  # type: ignore[attr-defined]
    client.force_login(manager)
    response = client.post(reverse("campaigns:create"), {"note": "x" * 2000})
    assert response.status_code == 413
    html = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in html
    assert "Tổng dung lượng gửi lên trong một lần vượt quá" in html


@pytest.mark.django_db
def test_a_form_over_djangos_field_limits_gets_the_same_page_not_a_bare_400(
    client: Client, manager: User, settings: object
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # type: ignore[attr-defined]
    client.force_login(manager)
    response = client.post(reverse("campaigns:create"), {f"f{i}": "x" for i in range(20)})
    assert response.status_code == 413
    assert "quá nhiều trường" in response.content.decode()
