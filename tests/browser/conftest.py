from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ViewportSize

from .measure import LAPTOP, PHONE


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[tuple[ViewportSize, BrowserContext]]]:
    """One browser context per width, shared by every role (cookies cleared between them)."""
    made = [(viewport, browser.new_context(viewport=viewport)) for viewport in (PHONE, LAPTOP)]
    yield made
    for _viewport, context in made:
        context.close()
