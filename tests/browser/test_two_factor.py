"""In a real browser, under the production rule: a manager's first sign-in sets up two-factor
from the QR code page (no CSP refusal), sees the recovery codes, then reaches the portal; the
next sign-in asks for the code."""

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from units.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("manager")
    page.get_by_label("Mật khẩu").fill("demo-pass-123")
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_manager_sets_up_two_factor_then_signs_in_with_the_code(
    live_server: Any, page: Page, settings: Any
) -> None:
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    UserFactory(username="manager", password="demo-pass-123", roles=[Role.CAMPAIGN_MANAGER])
    refused: list[str] = []
    page.expose_function("reportCspViolation", lambda text: refused.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    expect(page.locator("svg.segno")).to_be_visible()
    secret = page.locator("[data-secret-key]").inner_text().replace(" ", "")
    key = b32decode(secret)
    page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_role("heading", name="Mã dự phòng")).to_be_visible()
    expect(page.locator(".recovery-codes code")).to_have_count(10)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", name="Xin chào, manager")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").first.click()
    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    page.get_by_label("Mã xác thực").fill(f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Xin chào, manager")).to_be_visible()
    assert refused == []
