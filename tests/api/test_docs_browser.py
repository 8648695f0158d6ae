"""In the browser, under the enforced Content-Security-Policy: the API's Swagger UI loads from
our own files, draws the API and is refused nothing."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_csp_walk import Watcher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_draw_every_endpoint_without_a_csp_violation(
    live_server: object, page: Page
) -> None:
    watcher = Watcher(page)
    base = str(live_server.url)  # type: ignore[attr-defined]
    watcher.url = "/api/docs/"
    page.goto(f"{base}/api/docs/")
    expect(page.get_by_text("/api/awards/", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    assert watcher.problems == []
