"""What the browser tests measure of a page, in one place: the two widths we design for, the
height a finger needs, signing a demo user in and finding the page they work on."""

import re

from playwright.sync_api import Page, ViewportSize, expect

from devtools.demo import DEMO_PASSWORD

PHONE = ViewportSize(width=390, height=844)
LAPTOP = ViewportSize(width=1366, height=768)
TOUCH_MIN_HEIGHT = 44

# Every visible thing a finger taps, anywhere on the page (the navbar too).
EVERY_CONTROL = "a[href], button, input:not([type=hidden]), select, textarea, summary"
# The controls of the page's own content: its forms, buttons and pagination.
MAIN_CONTROLS = (
    "main form input:not([type=hidden]), main form select, main form textarea,"
    " main form button, main .btn, main .page-link"
)

# The controls under `minHeight` px; a checkbox or radio counts by its .form-check row or its
# label (the part a finger hits); what only a screen reader reaches is not measured.
SMALL_CONTROLS = """([controls, minHeight]) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && !el.closest('.visually-hidden, .visually-hidden-focusable:not(:focus), .skip-link');
  };
  const name = (el) => {
    const text = el.matches('select, textarea') ? ''
      : el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30);
    const field = el.name ? `[name=${el.name}]` : '';
    return el.tagName.toLowerCase() + field + (text ? ` "${text}"` : '');
  };
  const small = [];
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el)) continue;
    let target = el;
    if (el.type === 'checkbox' || el.type === 'radio') {
      target = el.closest('.form-check') || (el.labels && el.labels[0]) || el;
    }
    const height = target.getBoundingClientRect().height;
    if (height < minHeight - 0.5) small.push(`${name(el)} ${Math.round(height)} px`);
  }
  return small;
}"""


def small_controls(page: Page, controls: str = EVERY_CONTROL) -> list[str]:
    """The page's controls (a CSS selector) under TOUCH_MIN_HEIGHT, each named with its height."""
    found: list[str] = page.evaluate(SMALL_CONTROLS, [controls, TOUCH_MIN_HEIGHT])
    return found


def log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    # On a phone the button sits in the collapsed menu: present, not visible.
    expect(page.get_by_role("button", name="Đăng xuất", include_hidden=True)).to_have_count(1)


def first_link(page: Page, base: str, path: str, pattern: str) -> str:
    """The first link of the page at `path` whose path matches `pattern` (the form or session the
    user goes on to)."""
    page.goto(base + path)
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.pathname)")
    found = [href for href in hrefs if re.match(pattern, href)]
    assert found, f"{path} has no link matching {pattern}"
    return found[0]
