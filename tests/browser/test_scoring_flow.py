"""In the browser: a manager runs scoring, watches the progress bar, publishes, and the public
page (no login) shows the result."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import manager_of
from tests.scoring.scoring_cases import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_scores_publishes_and_the_public_sees_it(live_server: object, page: Page) -> None:
    case = Case().criterion("1").criterion("2", kind="yes_no")
    case.unit("Xã Bình An", {"1": "9.5", "2": "10"}, block="Khối xã")
    case.unit("Xã Bình Trị", {"1": "7", "2": "10"}, block="Khối xã")
    manager_of(case.campaign.authority, username="manager", password="demo-pass-123")
    base = live_server.url  # type: ignore[attr-defined]
    code = case.campaign.code

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("manager")
    page.get_by_label("Mật khẩu").fill("demo-pass-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/campaigns/{code}/scoring/")
    page.get_by_role("button", name="Chạy chấm điểm").click()
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("[data-run-status]")).to_have_attribute("data-run-status", "succeeded")
    # Nobody reviewed yet: publishing needs the explicit choice, then the dialog's confirmation.
    page.get_by_label("Công bố khi còn 2 đơn vị chưa thẩm định").check()
    page.get_by_role("button", name="Công bố", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("kể cả người không đăng nhập")
    expect(dialog).to_contain_text("Xã Bình An")
    dialog.get_by_role("button", name="Công bố kết quả lần tính điểm thứ 1").click()
    expect(page.get_by_text("Đã công bố kết quả.")).to_be_visible()

    page.get_by_role("link", name="Xếp hạng").click()
    expect(page.get_by_role("cell", name="Xã Bình An")).to_be_visible()
    expect(page.locator("#histogram")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{base}/public/")
    page.get_by_role("link", name=case.campaign.title).click()
    exemplary = page.get_by_role("region", name="Dẫn đầu cụm/khối")
    expect(page.get_by_role("heading", name="Dẫn đầu cụm/khối")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Xã Bình An — 97,50")).to_be_visible()
    expect(page.get_by_role("cell", name="Xã Bình Trị")).to_be_visible()
    assert exemplary is not None
