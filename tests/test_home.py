"""The home page says what to do next, per role: the manager's campaigns with phase, date and
counts; the unit's due items with the days left; the council member's queue and sessions. Its
cost does not grow with the number of campaigns, units or items."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from campaigns import services as campaign_services
from campaigns.models import Campaign
from tests.assessments.conftest import World, build_world, default_checklist
from tests.factories import UnitFactory
from votes import services as vote_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media_root: object) -> World:
    return build_world()


def home(client: Client, user: object) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def more_campaigns(world: World, count: int, units_each: int) -> None:
    """`count` more open campaigns of the same manager, each with the two communes and more units;
    the reviewer sits on each council, reviews the second commune and meets in each."""
    today = timezone.localdate()
    for i in range(count):
        campaign = campaign_services.campaign_create(
            actor=world.manager,
            code=f"{world.campaign.code}-{i}",
            title=f"Phong trào thêm {i}",
            authority=world.district,
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=90),
            window_opens_on=today - datetime.timedelta(days=5),
            window_closes_on=today + datetime.timedelta(days=20 + i),
        )
        default_checklist(campaign)
        extra = [UnitFactory(parent=world.district) for _n in range(units_each)]
        campaign_services.campaign_enrol(
            actor=world.manager, campaign=campaign, units=[world.unit_a, world.unit_b, *extra]
        )
        campaign_services.campaign_launch(actor=world.manager, campaign=campaign)
        campaign_services.campaign_transition(
            actor=world.manager, campaign=campaign, action="open_window"
        )
        campaign_services.council_seat_set(
            actor=world.manager, campaign=campaign, user=world.reviewer
        )
        assessment_services.review_assign(
            actor=world.manager, campaign=campaign, reviewer=world.reviewer, unit=world.unit_b
        )
        vote_services.session_create(
            actor=world.manager, campaign=campaign, held_on=today + datetime.timedelta(days=30)
        )


def test_the_manager_sees_each_campaign_with_its_phase_date_and_counts(
    client: Client, world: World
) -> None:
    world.submit(unit=world.unit_a)
    world.save({"1.1": "5"}, unit=world.unit_b)
    html = home(client, world.manager)
    assert world.campaign.title in html
    assert "Đang tự chấm điểm" in html
    assert world.campaign.window_closes_on.strftime("%d/%m/%Y") in html
    row = html[html.index(world.campaign.title) :]
    row = row[: row.index("</tr>")]
    # not started, drafting, submitted, reviewed
    cells = [part.split("<")[0].strip() for part in row.split('class="text-end">')[1:]]
    assert cells == ["0", "1", "1", "0"]
    assert "Theo dõi tiến độ; đóng tự chấm điểm khi hết hạn." in html


def test_the_unit_head_sees_what_is_due_with_the_days_left(client: Client, world: World) -> None:
    html = home(client, world.head_a)
    assert "Tự chấm điểm và nộp" in html
    assert "Gửi đăng ký thi đua" in html
    due = world.campaign.window_closes_on.strftime("%d/%m/%Y")
    assert f"Hạn {due}, còn 10 ngày" in html
    assert reverse("assessments:assessment", args=[world.enrolment().pk]) in html
    world.submit()
    html = home(client, world.head_a)
    assert "Tự chấm điểm và nộp" not in html


def test_a_returned_assessment_comes_back_as_due(client: Client, world: World) -> None:
    assessment = world.submit()
    assessment_services.assessment_return(
        actor=world.reviewer, assessment=assessment, reason="Thiếu minh chứng"
    )
    html = home(client, world.head_a)
    assert "Sửa và nộp lại bản tự chấm điểm (bị trả lại)" in html


def test_the_council_member_sees_the_review_queue_and_sessions(
    client: Client, world: World
) -> None:
    world.submit()
    vote_services.session_create(
        actor=world.manager, campaign=world.campaign, held_on=datetime.date(2030, 1, 15)
    )
    html = home(client, world.reviewer)
    assert "1 bản tự chấm điểm chờ bạn thẩm định." in html
    assert reverse("assessments:review", args=[world.assessment().pk]) in html
    assert "15/01/2030" in html


@pytest.mark.parametrize(("campaigns", "units"), [(1, 1), (6, 8)])
def test_the_home_page_costs_the_same_for_few_or_many(
    client: Client, world: World, django_assert_max_num_queries, campaigns: int, units: int
) -> None:  # type: ignore[no-untyped-def]
    more_campaigns(world, campaigns, units)
    world.submit(unit=world.unit_b)
    assert Campaign.objects.count() == campaigns + 1
    for user in (world.manager, world.head_a, world.reviewer):
        client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("home")).status_code == 200
