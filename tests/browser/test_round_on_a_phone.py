"""In the browser, on a phone (390 × 844) and a small laptop (1366 × 768): the self-assessment's
bar (running total, "Lưu nháp", "Nộp") stays on screen at every scroll position; every control a
user taps on each role's home, campaign list, self-assessment and review pages is at least 44 px
high; and the draft saves itself as the unit types, so a score survives a reload without a click
on "Lưu nháp"."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, Response, ViewportSize, expect

from assessments import services
from assessments.models import Assessment
from devtools.demo import CAMPAIGN_2026, seed_demo
from tests.browser.measure import LAPTOP, PHONE, first_link, log_in, small_controls
from tests.browser.test_assessment_flow import PASSWORD
from tests.browser.test_assessment_flow import world as flow_world  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each role's pages of the round: a path, or (a page, the pattern of the first link on it).
PAGES: dict[str, list[str | tuple[str, str]]] = {
    "manager": ["/", "/campaigns/", f"/campaigns/{CAMPAIGN_2026}/"],
    "unithead": [
        "/",
        "/campaigns/",
        "/assessments/",
        ("/assessments/", r"^/assessments/\d+/$"),  # the self-assessment form
    ],
    "council": ["/", "/campaigns/", "/reviews/", ("/reviews/", r"^/reviews/\d+/$")],
}


def small_controls_with_menu(page: Page, where: str) -> list[str]:
    """The controls under 44 px, with the navbar's menu open on a phone as well as closed."""
    found = [f"{where}: {what}" for what in small_controls(page)]
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        found += [f"{where} (menu open): {what}" for what in small_controls(page)]
    return found


def test_every_control_of_each_roles_round_pages_is_a_fingers_height(
    live_server: object, contexts: list[tuple[ViewportSize, BrowserContext]]
) -> None:
    seed_demo()
    base = live_server.url  # type: ignore[attr-defined]
    problems: list[str] = []
    visited = 0
    for viewport, context in contexts:
        page = context.new_page()
        for username, pages in PAGES.items():
            log_in(page, base, username)
            for entry in pages:
                path = entry if isinstance(entry, str) else first_link(page, base, *entry)
                response = page.goto(base + path)
                assert response is not None and response.status == 200, path
                problems += small_controls_with_menu(
                    page, f"{viewport['width']} px {username} {path}"
                )
                visited += 1
    assert not problems, "\n".join(["", *problems])
    assert visited == 2 * sum(len(pages) for pages in PAGES.values())


def bar_on_screen(page: Page) -> bool:
    """The bar, its total and its buttons lie inside the viewport, uncovered."""
    return bool(
        page.evaluate(
            """() => {
      const bar = document.querySelector('[data-sheet-bar]');
      const parts = [bar, document.getElementById('running-total'),
        ...bar.querySelectorAll('button[name=action]')];
      return parts.every((el) => {
        const box = el.getBoundingClientRect();
        if (!(box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight)) return false;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return hit === el || el.contains(hit) || bar.contains(hit);
      });
    }"""
        )
    )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_the_self_assessments_bar_stays_on_screen_at_every_scroll_position(
    live_server: object, browser: Browser, viewport: ViewportSize
) -> None:
    seed_demo()
    base = live_server.url  # type: ignore[attr-defined]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    log_in(page, base, "unithead")
    page.goto(base + first_link(page, base, "/assessments/", r"^/assessments/\d+/$"))
    bar = page.locator("[data-sheet-bar]")
    expect(bar.get_by_role("button", name="Lưu nháp")).to_be_visible()
    expect(bar.get_by_role("button", name="Nộp bản tự chấm điểm")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 2 * viewport["height"]  # a long page: the bar has somewhere to go
    positions = [0, height // 4, height // 2, 3 * height // 4, height]
    for y in positions:
        page.evaluate("y => window.scrollTo(0, y)", y)
        assert bar_on_screen(page), f"the bar is off screen scrolled to {y} of {height} px"
    context.close()


def test_the_bar_jumps_to_the_next_criterion_that_needs_a_score_or_a_file(
    live_server: object,
    page: Page,
    flow_world: dict[str, object],  # noqa: F811
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)
    log_in(page, base, "unithead", PASSWORD)
    page.goto(f"{base}/assessments/{flow_world['enrolment'].pk}/")  # type: ignore[attr-defined]
    jump = page.locator("[data-next-missing]")
    expect(jump).to_have_text("Còn 2 mục ↓")  # 1.1 needs a score and a file, 1.2 a score
    jump.click()
    expect(page.get_by_label("1.1. Thái độ với người dân")).to_be_focused()
    page.get_by_label("1.1. Thái độ với người dân").fill("8")
    page.get_by_label("Minh chứng 1.1").set_input_files(str(flow_world["evidence"]))
    expect(jump).to_have_text("Còn 1 mục ↓")
    jump.click()
    expect(page.get_by_label("Đạt", exact=True)).to_be_focused()


def autosaved(response: Response) -> bool:
    return response.request.method == "POST" and "x-autosave" in response.request.headers


def test_the_draft_saves_itself_as_the_unit_types(
    live_server: object,
    page: Page,
    flow_world: dict[str, object],  # noqa: F811
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)
    log_in(page, base, "unithead", PASSWORD)
    url = f"{base}/assessments/{flow_world['enrolment'].pk}/"  # type: ignore[attr-defined]
    page.goto(url)
    status = page.locator("[data-autosave-status]")
    with page.expect_response(autosaved) as first:
        page.get_by_label("1.1. Thái độ với người dân").fill("8,5")
    assert first.value.ok
    expect(status).to_have_text(re.compile(r"^Đã lưu lúc \d\d:\d\d$"))
    # A second change saves over the first: the page took the new version from the answer.
    with page.expect_response(autosaved) as second:
        page.get_by_role("group", name="1.2. Không uống rượu bia").get_by_label(
            "Đạt", exact=True
        ).check()
        page.get_by_label("Giải trình 1.1").fill("Có biên bản")
    assert second.value.ok
    page.reload()
    expect(page.get_by_label("1.1. Thái độ với người dân")).to_have_value("8,5")
    expect(page.get_by_label("Giải trình 1.1")).to_have_value("Có biên bản")
    expect(page.get_by_label("Đạt", exact=True)).to_be_checked()
    assessment = Assessment.objects.get(enrolment=flow_world["enrolment"])
    assert assessment.status == "draft"
    assert set(assessment.events.values_list("field", flat=True)) == {"self_score", "note"}


def test_autosave_refuses_to_overwrite_what_someone_else_saved(
    live_server: object,
    page: Page,
    flow_world: dict[str, object],  # noqa: F811
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "unithead", PASSWORD)
    page.goto(f"{base}/assessments/{flow_world['enrolment'].pk}/")  # type: ignore[attr-defined]
    enrolment = flow_world["enrolment"]
    assessment = services.assessment_for(enrolment)  # type: ignore[arg-type]
    criterion = assessment.enrolment.campaign.checklist.criteria.get(code="1.1")
    head = User.objects.get(username="unithead")
    services.assessment_save_draft(
        actor=head, assessment=assessment, version=1, entries={criterion.pk: ("6", "")}
    )
    page.get_by_label("1.1. Thái độ với người dân").fill("9")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Người khác vừa lưu")
    assessment.refresh_from_db()
    assert assessment.items.get(criterion=criterion).self_score == 6
