"""In the browser, under the enforced Content-Security-Policy: every demo user walks the pages
their links lead to (home, campaigns and their tabs, assessments, reviews, rankings, council
sessions, public pages) and nothing is refused: no inline script, handler or style, no eval."""

import datetime
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import ConsoleMessage, Page, Response, expect

from campaigns.models import Campaign
from devtools.demo import CAMPAIGN_2019, DEMO_PASSWORD, seed_demo
from votes.services import session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages that change state on GET do not exist; these only leave the walk or the site.
SKIP = ("/accounts/logout", "/i18n/setlang", "/admin/")
PAGES_PER_USER = 60
# Pages each user must have reached, whoever links to them.
MUST_SEE = {
    "manager": [
        "/campaigns/",
        f"/campaigns/{CAMPAIGN_2019}/",
        f"/campaigns/{CAMPAIGN_2019}/rankings/",
    ],
    "unithead": ["/assessments/"],
    "council": ["/reviews/", f"/council/{CAMPAIGN_2019}/sessions/"],
}
PUBLIC = ["/public/", f"/public/{CAMPAIGN_2019}/", "/accounts/login/"]


class Watcher:
    """Collects what the browser refuses or fails at, page by page."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        self.url = ""
        page.expose_function("reportCspViolation", self.violation)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            " window.reportCspViolation([e.violatedDirective, e.blockedURI,"
            " e.sourceFile + ':' + e.lineNumber].join(' ')); });"
        )
        page.on("console", self.console)
        page.on("response", self.response)
        page.on("pageerror", lambda error: self.problems.append(f"{self.url}: JS error {error}"))

    def violation(self, text: str) -> None:
        self.problems.append(f"{self.url}: CSP violation {text}")

    def console(self, message: ConsoleMessage) -> None:
        # A failed load is reported with its address by `response`.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"{self.url}: console {message.type}: {message.text}")

    def response(self, response: Response) -> None:
        # The browser asks for /favicon.ico by itself; the portal has none.
        if response.status >= 400 and urlparse(response.url).path != "/favicon.ico":
            self.problems.append(f"{self.url}: {response.status} for {response.url}")


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def walk(page: Page, watcher: Watcher, base: str, start: list[str]) -> set[str]:
    """Breadth first over same-site links that answer HTML (files and exports are not opened)."""
    queue, seen, visited = deque(start), set(start), set()
    while queue and len(visited) < PAGES_PER_USER:
        path = queue.popleft()
        head = page.request.get(base + path, max_redirects=0)
        if head.status != 200 or "text/html" not in head.headers.get("content-type", ""):
            continue
        watcher.url = path
        page.goto(base + path)
        page.wait_for_load_state("load")
        visited.add(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlparse(urldefrag(href)[0])
            if url.netloc != urlparse(base).netloc or url.path.startswith(SKIP):
                continue
            link = url.path + (f"?{url.query}" if url.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return visited


def test_every_demo_user_walks_their_pages_without_a_policy_violation(
    live_server: object, page: Page
) -> None:
    seed_demo()
    session_create(
        actor=None,
        campaign=Campaign.objects.get(code=CAMPAIGN_2019),
        held_on=datetime.date(2019, 12, 20),
    )
    base = live_server.url  # type: ignore[attr-defined]
    watcher = Watcher(page)

    visited = walk(page, watcher, base, PUBLIC)
    assert set(PUBLIC) <= visited
    for username, must_see in MUST_SEE.items():
        log_in(page, base, username)
        visited = walk(page, watcher, base, ["/", *must_see])
        assert set(must_see) <= visited, username
        assert len(visited) > 5, username
    assert watcher.problems == []

    # The language switch submits from portal.js (no onchange= in the page).
    page.goto(f"{base}/")
    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-select", "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert watcher.problems == []


def test_the_watcher_sees_what_the_policy_refuses(live_server: object, page: Page) -> None:
    """The walk above proves something only if an inline script is really refused and seen."""
    watcher = Watcher(page)
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    watcher.url = "/accounts/login/"
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("CSP violation script-src" in problem for problem in watcher.problems)
