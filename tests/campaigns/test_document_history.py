"""Attachments, conferences and criteria leave a line in the campaign's history, whichever page
changes them, told in words on the history page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, CampaignEvent, Checklist, Conference
from tests.campaigns.conftest import add_criterion
from tests.campaigns.test_services import PDF, PNG
from units.models import Unit

pytestmark = pytest.mark.django_db


def url(name: str, campaign: Campaign, *args: object) -> str:
    return reverse(f"campaigns:{name}", args=[campaign.code, *args])


def lines(campaign: Campaign, action: str) -> list[tuple[object, str, str, str]]:
    events = CampaignEvent.objects.filter(campaign=campaign, action=action).order_by("pk")
    return list(events.values_list("actor__username", "subject", "old_value", "new_value"))


def history(client: Client, campaign: Campaign) -> str:
    return client.get(url("history", campaign)).content.decode()


@pytest.fixture
def manager_client(client: Client, manager: User) -> Client:
    client.force_login(manager)
    return client


def conference_form(unit: Unit, **changes: str) -> dict[str, object]:
    return {
        "kind": "midterm",
        "held_at": "2019-10-15T08:00",
        "venue": "Hội trường UBND huyện",
        "chair": "Ông Đặng Minh Thành",
        "attending_units": [unit.pk],
        **changes,
    }


def test_an_attachment_added_on_its_page_is_a_history_line(
    manager_client: Client, campaign: Campaign, media_root: object
) -> None:
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
    response = manager_client.post(
        url("attachment_add", campaign), {"kind": "plan", "title": "Kế hoạch", "file": upload}
    )
    assert response.status_code == 302
    assert lines(campaign, "attachment_add") == [("manager", "Kế hoạch", "", "ke-hoach.pdf")]
    assert "đính kèm văn bản “Kế hoạch” (tệp ke-hoach.pdf)." in history(manager_client, campaign)


def test_a_conference_recorded_then_changed_on_its_form_is_a_line_each(
    manager_client: Client, ready_campaign: Campaign
) -> None:
    unit = ready_campaign.enrolments.first().unit
    manager_client.post(url("conference_add", ready_campaign), conference_form(unit))
    conference = Conference.objects.get(campaign=ready_campaign)
    edit = url("conference_edit", ready_campaign, conference.pk)
    manager_client.post(edit, conference_form(unit, venue="Nhà văn hóa", minutes="Biên bản"))
    manager_client.post(edit, conference_form(unit, venue="Nhà văn hóa", minutes="Biên bản"))

    assert lines(ready_campaign, "conference_add") == [("manager", "midterm:2019-10-15", "", "")]
    assert lines(ready_campaign, "conference_update") == [  # the same form again: no line
        ("manager", "midterm:2019-10-15", "", "minutes,venue")
    ]
    page = history(manager_client, ready_campaign)
    assert "ghi Hội nghị sơ kết ngày 15/10/2019." in page
    assert "sửa Hội nghị sơ kết ngày 15/10/2019: biên bản, địa điểm." in page


def test_a_file_uploaded_to_a_conference_is_a_history_line(
    manager_client: Client, manager: User, ready_campaign: Campaign, media_root: object
) -> None:
    conference = services.conference_record(
        actor=manager,
        campaign=ready_campaign,
        kind="launch",
        held_at=timezone.make_aware(timezone.datetime(2019, 8, 8, 7, 30)),
        venue="Hội trường",
        chair="Ông Thành",
    )
    response = manager_client.post(
        url("conference_file_add", ready_campaign, conference.pk),
        {"kind": "photo", "title": "", "file": SimpleUploadedFile("anh.png", PNG)},
    )
    assert response.status_code == 302
    assert lines(ready_campaign, "conference_file_add") == [
        ("manager", "launch:2019-08-08", "", "anh.png")
    ]
    page = history(manager_client, ready_campaign)
    assert "tải tệp anh.png lên Hội nghị phát động ngày 08/08/2019." in page


def test_criteria_added_changed_and_deleted_on_their_pages_are_lines(
    manager_client: Client, campaign: Campaign
) -> None:
    form = {"code": "1.1", "title": "Thái độ", "kind": "points", "max_points": "10", "order": 1}
    manager_client.post(url("criterion_add", campaign), form)
    criterion = campaign.checklist.criteria.get(code="1.1")
    edit = url("criterion_edit", campaign, criterion.pk)
    manager_client.post(edit, {**form, "max_points": "12.5", "critical": "on"})
    manager_client.post(url("criterion_delete", campaign, criterion.pk))

    assert lines(campaign, "criterion_add") == [("manager", "1.1", "", "Thái độ")]
    assert lines(campaign, "criterion_update") == [
        ("manager", "1.1:max_points", "10.00", "12.5"),
        ("manager", "1.1:critical", "False", "True"),
    ]
    assert lines(campaign, "criterion_delete") == [("manager", "1.1", "Thái độ", "")]
    page = history(manager_client, campaign)
    assert "thêm tiêu chí 1.1 “Thái độ”." in page
    assert "từ “10” thành “12,5”." in page and "từ “Không” thành “Có”." in page
    assert "xóa tiêu chí 1.1 “Thái độ”." in page


def test_a_checklist_copied_on_its_page_is_a_history_line(
    manager_client: Client, campaign: Campaign
) -> None:
    template = Checklist.objects.create(name="Bộ mẫu văn hóa công sở", is_template=True)
    response = manager_client.post(url("checklist", campaign) + "copy/", {"source": template.pk})
    assert response.status_code == 302
    assert lines(campaign, "checklist_use") == [("manager", "", "", "Bộ mẫu văn hóa công sở")]
    assert "sao chép bộ tiêu chí “Bộ mẫu văn hóa công sở”." in history(manager_client, campaign)


def test_a_templates_criteria_have_no_campaign_and_no_history(campaign: Campaign) -> None:
    template = Checklist.objects.create(name="Bộ mẫu", is_template=True)
    before = CampaignEvent.objects.count()
    criterion = services.criterion_save(
        actor=None, checklist=template, code="1", title="Một", kind="points", max_points=Decimal(5)
    )
    services.criterion_delete(actor=None, criterion=criterion)
    add_criterion(campaign, "2")  # the campaign's own: one line
    assert CampaignEvent.objects.count() == before + 1
