"""A manager, in the browser: creates a campaign from a template, records the launch conference
with the plan attached, enrols a block, launches, and can no longer edit the checklist."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, Checklist
from tests.campaigns.test_services import PDF
from tests.factories import BlockFactory, MembershipFactory, UnitFactory, UserFactory, kind
from units.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(tmp_path: Path, settings: object) -> dict[str, object]:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    district = UnitFactory(code="KL", name="Huyện Kiên Lương", kind=kind("huyen"))
    communes = [
        UnitFactory(name=name, parent=district)
        for name in ["Thị trấn Kiên Lương", "Xã Bình An", "Xã Bình Trị"]
    ]
    block = BlockFactory(code="KL-XA", name="Khối xã, thị trấn")
    block.members.set(communes)
    manager = UserFactory(
        username="manager", password="demo-pass-123", roles=[Role.CAMPAIGN_MANAGER]
    )
    MembershipFactory(user=manager, unit=district, role="officer")
    template = Checklist.objects.create(name="Văn hóa công sở (mẫu)", is_template=True)
    section = services.criterion_save(
        actor=None,
        checklist=template,
        code="I",
        title="Thái độ, trách nhiệm",
        max_points=Decimal(0),
    )
    services.criterion_save(
        actor=None,
        checklist=template,
        code="1.1",
        parent=section,
        title="Thái độ với người dân",
        max_points=Decimal(10),
    )
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(PDF)
    return {"plan": plan}


def test_manager_runs_the_first_half_of_a_campaign(
    live_server: object, page: Page, world: dict[str, object]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("manager")
    page.get_by_label("Mật khẩu").fill("demo-pass-123")
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Tạo phong trào").first.click()
    page.get_by_label("Mã").fill("VHCS-2026")
    page.get_by_label("Tên phong trào").fill("Văn hóa công sở 2026")
    page.get_by_label("Cơ quan phát động").select_option(label="Huyện Kiên Lương")
    # The window lies ahead of today: the calendar would otherwise open or close it on the page.
    today = timezone.localdate()
    page.get_by_label("Ngày bắt đầu").fill(f"{today - datetime.timedelta(days=30):%Y-%m-%d}")
    page.get_by_label("Ngày kết thúc").fill(f"{today + datetime.timedelta(days=120):%Y-%m-%d}")
    page.get_by_label("Mở tự chấm điểm từ").fill(f"{today + datetime.timedelta(days=10):%Y-%m-%d}")
    page.get_by_label("Hạn tự chấm điểm").fill(f"{today + datetime.timedelta(days=40):%Y-%m-%d}")
    page.get_by_label("Bộ tiêu chí mẫu").select_option(label="Văn hóa công sở (mẫu) (v1)")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã tạo phong trào")).to_be_visible()

    page.get_by_role("link", name="Ghi nhận hội nghị").click()
    page.get_by_label("Loại hội nghị").select_option(label="Hội nghị phát động")
    page.get_by_label("Thời gian").fill(f"{today - datetime.timedelta(days=25):%Y-%m-%d}T07:30")
    page.get_by_label("Địa điểm").fill("Hội trường UBND huyện")
    page.get_by_label("Chủ trì").fill("Ông Đặng Minh Thành")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Hội nghị phát động")).to_be_visible()
    page.get_by_label("Tiêu đề").fill("Kế hoạch phát động")
    page.get_by_label("Tệp (tài liệu hoặc ảnh)").set_input_files(str(world["plan"]))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="Kế hoạch phát động")).to_be_visible()

    page.get_by_role("link", name="Về phong trào").click()
    page.get_by_role("link", name="Đơn vị tham gia").click()
    page.get_by_label("Cả khối thi đua").select_option(label="Khối xã, thị trấn")
    page.get_by_role("button", name="Thêm vào phong trào").click()
    expect(page.get_by_text("Đã thêm 3 đơn vị.")).to_be_visible()

    page.get_by_role("link", name="Tổng quan").click()
    page.get_by_role("button", name="Phát động").click()
    page.get_by_role("dialog").get_by_role("button", name="Phát động").click()
    expect(page.get_by_text("Phong trào chuyển sang: Đã phát động.")).to_be_visible()

    page.get_by_role("link", name="Bộ tiêu chí", exact=True).click()
    expect(page.get_by_text("Đã khóa khi phát động")).to_be_visible()
    expect(page.get_by_role("button", name="Thêm")).to_have_count(0)
    expect(page.get_by_role("link", name="Sửa")).to_have_count(0)

    campaign = Campaign.objects.get(code="VHCS-2026")
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.checklist.is_frozen
    assert campaign.enrolments.filter(block__code="KL-XA").count() == 3
    assert campaign.conferences.get().files.get().original_name == "ke-hoach.pdf"
