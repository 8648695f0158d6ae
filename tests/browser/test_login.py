"""In a real browser: the login page is Vietnamese, a demo account logs in and out."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from units.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_logs_in_and_out(live_server: object, page: Page) -> None:
    UserFactory(username="manager", password="demo-pass-123", roles=[Role.CAMPAIGN_MANAGER])
    page.goto(f"{live_server.url}/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("manager")
    page.get_by_label("Mật khẩu").fill("demo-pass-123")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào, manager")).to_be_visible()
    expect(page.get_by_role("link", name="Tạo phong trào").first).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
