"""In the browser, on a phone (390 × 844) and a small laptop (1366 × 768): each demo role's main
pages never scroll sideways, the navbar keeps its labels on one line, the controls a finger
taps are at least 44 px high, no positive tabindex reorders the keyboard path, and the browser
finds the portal's favicon."""

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize

from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2026, seed_demo
from tests.browser.measure import (
    LAPTOP,
    MAIN_CONTROLS,
    PHONE,
    TOUCH_MIN_HEIGHT,
    first_link,
    log_in,
    small_controls,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The expanded navbar is one row of 40 px links inside 8 px padding; a wrapped label makes it 80.
NAVBAR_MAX_HEIGHT = 64

# Each role's main pages: a path, or (a page, the pattern of the first link on it to follow), as
# the user reaches the form or session they work on.
PAGES: dict[str | None, list[str | tuple[str, str]]] = {
    None: ["/public/", f"/public/{CAMPAIGN_2019}/", "/accounts/login/"],
    "manager": [
        "/",
        "/campaigns/",
        f"/campaigns/{CAMPAIGN_2026}/",
        f"/campaigns/{CAMPAIGN_2026}/progress/",
        f"/campaigns/{CAMPAIGN_2019}/rankings/",
        f"/campaigns/{CAMPAIGN_2019}/scoring/",
        f"/public/{CAMPAIGN_2019}/",
        "/guide/manager/",
    ],
    "unithead": [
        "/",
        f"/campaigns/{CAMPAIGN_2026}/",
        "/assessments/",
        ("/assessments/", r"^/assessments/\d+/$"),  # the self-assessment form
        "/guide/unit/",
    ],
    "council": [
        "/",
        "/reviews/",
        ("/reviews/", r"^/reviews/\d+/$"),  # the review form
        f"/council/{CAMPAIGN_2019}/sessions/",
        (f"/council/{CAMPAIGN_2019}/sessions/", rf"^/council/{CAMPAIGN_2019}/sessions/\d+/$"),
        "/guide/council/",
    ],
}

# What the page measures of itself besides its controls' height: sideways overflow, the navbar,
# and any positive tabindex.
MEASURE = """() => {
  const name = (el) => el.tagName.toLowerCase() + (el.name ? `[name=${el.name}]` : '');
  const navbar = document.querySelector('nav.navbar');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    navbarHeight: navbar ? Math.round(navbar.getBoundingClientRect().height) : 0,
    positiveTabindex: [...document.querySelectorAll('[tabindex]')]
      .filter((el) => el.tabIndex > 0).map(name),
  };
}"""


def check_page(page: Page, base: str, path: str, viewport: ViewportSize) -> list[str]:
    """What is wrong with one page at one width, in words a reviewer can act on."""
    response = page.goto(base + path)
    where = f"{viewport['width']} px {path}"
    if response is None or response.status != 200:
        return [f"{where}: answered {response.status if response else 'nothing'}"]
    found = page.evaluate(MEASURE)
    small = small_controls(page, MAIN_CONTROLS)
    problems = []
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"{where}: scrolls sideways to {found['scrollWidth']} px")
    if found["positiveTabindex"]:
        problems.append(f"{where}: positive tabindex on {found['positiveTabindex']}")
    if viewport == LAPTOP and found["navbarHeight"] > NAVBAR_MAX_HEIGHT:
        problems.append(f"{where}: navbar {found['navbarHeight']} px high (labels wrap)")
    if viewport == PHONE and small:
        problems.append(f"{where}: under {TOUCH_MIN_HEIGHT} px: {small}")
    return problems


def test_each_roles_main_pages_fit_a_phone_and_a_small_laptop(
    live_server: object, contexts: list[tuple[ViewportSize, BrowserContext]]
) -> None:
    seed_demo()
    base = live_server.url  # type: ignore[attr-defined]
    problems: list[str] = []
    visited = 0
    for viewport, context in contexts:
        page = context.new_page()
        for username, pages in PAGES.items():
            if username is None:
                context.clear_cookies()
            else:
                log_in(page, base, username)
            for entry in pages:
                path = entry if isinstance(entry, str) else first_link(page, base, *entry)
                problems += check_page(page, base, path, viewport)
                visited += 1
    assert not problems, "\n".join(["", *problems])
    assert visited == 2 * sum(len(pages) for pages in PAGES.values())


def test_the_browser_finds_the_favicon(live_server: object, page: Page) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    links = page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)")
    assert links
    for link in links:
        response = page.request.get(link)
        assert response.status == 200, link
        assert response.headers["content-type"].startswith("image/"), link
    # Browsers that read no <link> ask for /favicon.ico; it leads to the same file.
    response = page.request.get(f"{base}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # the ICO header
