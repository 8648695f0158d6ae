"""The user guide (Hướng dẫn sử dụng): a page per role, each step with its menu path and a
picture of its page; the reader's own role first; each page the guide shows links to its step."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from devtools.demo import seed_demo
from devtools.management.commands.guide_screenshots import OUT, SHOTS
from emulation_portal.guide import GUIDES, PAGE_STEPS
from tests.factories import UserFactory
from units.roles import Role

pytestmark = pytest.mark.django_db

ROLE_OF_GUIDE = {
    "manager": Role.CAMPAIGN_MANAGER,
    "unit": Role.UNIT_HEAD,
    "council": Role.COUNCIL_MEMBER,
}


def signed_in(client: Client, *roles: str) -> Client:
    client.force_login(UserFactory(roles=list(roles)))
    return client


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.role)
def test_each_roles_guide_shows_its_steps_with_pictures_and_alt_text(
    client: Client, guide: object
) -> None:
    signed_in(client, ROLE_OF_GUIDE[guide.role])  # type: ignore[attr-defined]
    response = client.get(reverse("guide_role", args=[guide.role]))  # type: ignore[attr-defined]

    assert response.status_code == 200
    page = response.content.decode()
    for step in guide.steps:  # type: ignore[attr-defined]
        assert f'id="{step.anchor}"' in page
        assert str(step.menu).replace("→", "&rarr;") in page or str(step.menu) in page
        assert f'src="{settings.STATIC_URL}{step.picture_path}"' in page
        assert f'alt="{step.alt}"' in page
        assert finders.find(step.picture_path), f"{step.picture_path} is missing"


def test_the_guide_opens_on_the_readers_own_role(client: Client) -> None:
    for role, expected in [
        (Role.CAMPAIGN_MANAGER, "manager"),
        (Role.UNIT_STAFF, "unit"),
        (Role.COUNCIL_MEMBER, "council"),
    ]:
        response = signed_in(client, role).get(reverse("guide"))
        assert response.status_code == 302
        assert response["Location"] == reverse("guide_role", args=[expected])


def test_a_reader_with_two_roles_sees_both_their_guides_first(client: Client) -> None:
    signed_in(client, Role.UNIT_HEAD, Role.COUNCIL_MEMBER)
    page = client.get(reverse("guide_role", args=["unit"])).content.decode()

    council, unit, manager = (
        page.index(f'href="{reverse("guide_role", args=[slug])}"')
        for slug in ("council", "unit", "manager")
    )
    assert council < unit < manager
    assert page.count("vai trò của bạn") == 2


def test_an_anonymous_reader_is_sent_to_sign_in(client: Client) -> None:
    for url in (reverse("guide"), reverse("guide_role", args=["unit"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_guide_is_not_found(client: Client) -> None:
    assert signed_in(client).get(reverse("guide_role", args=["admin"])).status_code == 404


def test_the_english_guide_is_in_english(client: Client) -> None:
    signed_in(client, Role.UNIT_HEAD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("guide_role", args=["unit"])).content.decode()

    assert "User guide" in page
    assert "Self-assessment, evidence, drafts" in page
    assert 'alt="The self-assessment form: each criterion' in page
    assert "Hướng dẫn sử dụng" not in page
    assert "Tự chấm điểm, minh chứng" not in page


def test_the_navbar_leads_to_the_guide(client: Client) -> None:
    page = signed_in(client, Role.UNIT_HEAD).get(reverse("home")).content.decode()
    assert f'href="{reverse("guide")}"' in page


def test_a_page_the_guide_shows_links_to_its_step(client: Client) -> None:
    signed_in(client, Role.UNIT_HEAD)
    page = client.get(reverse("assessments:my_assessments")).content.decode()
    assert f'href="{reverse("guide_role", args=["unit"])}#my-assessments"' in page

    page = client.get(reverse("notifications:list")).content.decode()
    assert "guide-help" not in page  # a page the guide does not show has no link


def test_the_home_pages_link_follows_the_readers_role(client: Client) -> None:
    page = signed_in(client, Role.COUNCIL_MEMBER).get(reverse("home")).content.decode()
    assert f'href="{reverse("guide_role", args=["council"])}#review-queue"' in page


def url_names(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(
                pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            )
        elif pattern.name:
            yield prefix + pattern.name


def test_every_pages_link_names_a_real_page_and_step() -> None:
    anchors = {(guide.role, step.anchor) for guide in GUIDES for step in guide.steps}
    names = set(url_names(get_resolver()))
    for name, steps in PAGE_STEPS.items():
        assert name in names
        assert set(steps) <= anchors, name


def test_the_screenshot_command_takes_exactly_the_pictures_the_guide_shows() -> None:
    shown = {step.picture for guide in GUIDES for step in guide.steps}
    taken = [shot.name for shot in SHOTS]

    assert sorted(set(taken)) == sorted(shown)
    assert len(taken) == len(set(taken))
    files = {path.stem: path for path in Path(OUT).glob("*.jpg")}
    assert set(files) == shown  # no picture left over from a step removed
    assert sum(path.stat().st_size for path in files.values()) < 3 * 1024 * 1024


def test_each_page_the_command_photographs_opens_for_its_account(client: Client) -> None:
    """What guide_screenshots does in the browser, through the test client: on the demo, each
    picture's page answers its account (the browser run itself is too slow for the suite)."""
    seed_demo()
    refused = []
    for shot in SHOTS:
        client.force_login(User.objects.get(username=shot.user))
        response = client.get(shot.url())
        if response.status_code != 200:
            refused.append(f"{shot.name}: {response.status_code}")
    assert refused == []
