"""What officials notice on the campaign pages: each irreversible step asks first and says what
will happen to whom; refusals give the reason; history in Vietnamese sentences; a unit's links and
registration follow the phase; totals and numbers written by the server, the Vietnamese way."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments import services as assessment_services
from campaigns import services
from campaigns.models import Campaign, CampaignStatus
from tests.assessments.conftest import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media_root: object) -> World:
    return build_world()


def detail(client: Client, world: World, user: object) -> str:
    client.force_login(user)
    response = client.get(reverse("campaigns:detail", args=[world.campaign.code]))
    assert response.status_code == 200
    return response.content.decode()


def status_of(world: World) -> str:
    return Campaign.objects.get(pk=world.campaign.pk).status


def test_closing_the_window_asks_first_saying_what_happens_to_whom(
    client: Client, world: World
) -> None:
    world.submit(unit=world.unit_a)
    html = detail(client, world, world.manager)
    assert 'data-confirm="2 đơn vị sẽ không sửa hay nộp bản tự chấm điểm được nữa; 1 đơn vị' in html
    url = reverse("campaigns:transition", args=[world.campaign.code, "close_window"])
    # Without JavaScript: a confirmation page, and the campaign has not moved.
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Xác nhận: Đóng tự chấm điểm" in asked.content.decode()
    assert 'name="confirmed" value="1"' in asked.content.decode()
    assert status_of(world) == CampaignStatus.WINDOW_OPEN
    client.post(url, {"confirmed": "1"})
    assert status_of(world) == CampaignStatus.WINDOW_CLOSED


def test_ending_a_campaign_before_publication_is_refused_with_the_reason(
    client: Client, world: World
) -> None:
    client.force_login(world.manager)
    url = reverse("campaigns:transition", args=[world.campaign.code, "close"])
    html = client.post(url, {"confirmed": "1"}, follow=True).content.decode()
    assert "Chỉ kết thúc phong trào sau khi đã công bố kết quả" in html
    assert status_of(world) == CampaignStatus.WINDOW_OPEN


def test_history_reads_as_vietnamese_sentences_without_codes(client: Client, world: World) -> None:
    services.campaign_update(
        actor=world.manager,
        campaign=world.campaign,
        window_closes_on=world.campaign.window_closes_on.replace(day=28),
    )
    services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    client.force_login(world.manager)
    html = client.get(reverse("campaigns:history", args=[world.campaign.code])).content.decode()
    assert "chuyển phong trào từ “Đang tự chấm điểm” sang “Hết hạn tự chấm điểm”." in html
    assert "chuyển phong trào từ “Đã phát động” sang “Đang tự chấm điểm”." in html
    assert f"thêm 2 đơn vị của khối “{world.block.name}”: " in html
    assert world.unit_a.name in html
    new_day = world.campaign.window_closes_on.replace(day=28).strftime("%d/%m/%Y")
    assert "đổi hạn tự chấm điểm từ “" in html and f"thành “{new_day}”" in html
    for code in ("window_open", "window_closed", "launched", "status", "enrol", world.block.code):
        assert f">{code}<" not in html and f" {code} " not in html


def test_registration_is_offered_while_open_and_refused_after_the_window(
    client: Client, world: World
) -> None:
    html = detail(client, world, world.head_a)
    assert 'action="' + reverse("campaigns:registration_send", args=[world.campaign.code]) in html
    assert reverse("assessments:assessment", args=[world.enrolment().pk]) in html
    services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    html = detail(client, world, world.head_a)
    assert (
        'action="' + reverse("campaigns:registration_send", args=[world.campaign.code]) not in html
    )
    assert "thời gian đăng ký đã hết" in html
    with pytest.raises(ValidationError, match="Đã hết thời gian đăng ký thi đua"):
        services.registration_send(actor=world.head_a, enrolment=world.enrolment(), targets="x")


def test_a_submitted_assessment_shows_its_total_before_any_script(
    client: Client, world: World
) -> None:
    world.save({"1.1": "8.5", "1.2": "5"})
    world.attach("1.1")
    assessment = world.assessment()
    assessment_services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    client.force_login(world.head_a)
    html = client.get(reverse("assessments:assessment", args=[world.enrolment().pk])).content
    page = html.decode()
    # 13,5 of a base of 15: 90,00 %.
    assert '<output id="running-total" aria-live="polite">13,50 / 15,00 (90,00%)</output>' in page
    assert ">8,5<" in page


def test_the_review_page_shows_both_totals_and_asks_before_accepting(
    client: Client, world: World
) -> None:
    world.submit()  # 8 + 5 of 15
    assessment = world.assessment()
    assessment_services.review_save(
        actor=world.reviewer,
        assessment=assessment,
        entries=world.entries({"1.1": "6.5"}),
    )
    client.force_login(world.reviewer)
    page = client.get(reverse("assessments:review", args=[assessment.pk])).content.decode()
    assert "13,00 / 15,00 (86,67%)" in page  # the unit's own
    assert "11,50 / 15,00 (76,67%)" in page  # 6,5 reviewed + 5 kept from the unit
    assert f"Chấp nhận bản tự chấm điểm của {world.unit_a.name}" in page


def test_submitting_asks_first_and_names_the_council(client: Client, world: World) -> None:
    world.complete()
    client.force_login(world.head_a)
    page = client.get(
        reverse("assessments:assessment", args=[world.enrolment().pk])
    ).content.decode()
    assert "sẽ được gửi tới Hội đồng thi đua khen thưởng" in page
    assert 'value="submit"' in page and "data-confirm=" in page
