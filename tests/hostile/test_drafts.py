"""A unit's never-submitted assessment is its own people's working copy: every role of the
hostile world outside the unit (the authority's manager, the council member assigned to its
block, another authority's manager, another unit's head and staff) is refused its page, its
review page and its evidence; anonymous goes to the login page."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from .conftest import ROLES, World, build_world


@pytest.fixture(scope="module")
def bare_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The hostile world without its map (no crawl), rolled back at the module's end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def draft_urls(world: World) -> list[str]:
    draft = world.draft
    evidence = draft.items.filter(evidence__isnull=False).first().evidence.get()  # type: ignore[union-attr]
    return [
        reverse("assessments:assessment", args=[draft.enrolment_id]),
        reverse("assessments:review", args=[draft.pk]),
        reverse("assessments:evidence", args=[evidence.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_a_units_draft_is_shut_to_every_role_outside_the_unit(
    bare_world: World, db: None, role: str
) -> None:
    world = bare_world
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    answers = {url: client.get(url) for url in draft_urls(world)}
    if user is None:
        login = resolve_url(settings.LOGIN_URL)
        assert all(a["Location"].startswith(login) for a in answers.values()), answers
    else:
        assert {url: a.status_code for url, a in answers.items()} == dict.fromkeys(answers, 403)
