"""The self-assessment window follows its dates without celery beat: whichever page, command or
task touches a campaign first moves it, once, with a history line written by the system."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.rules import window_is_open
from campaigns import services
from campaigns.models import Campaign, CampaignEvent, CampaignStatus
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership, Unit
from units.roles import Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def status_lines(campaign: Campaign) -> list[tuple[object, str, str]]:
    events = CampaignEvent.objects.filter(campaign=campaign, action="status").order_by("pk")
    return [(event.actor, event.old_value, event.new_value) for event in events]


def stored(campaign: Campaign) -> str:
    return Campaign.objects.get(pk=campaign.pk).status


def launch_with_window(
    campaign: Campaign, manager: User, opens: datetime.date, closes: datetime.date
) -> Campaign:
    """The window moved to the dates given; the campaign's own dates around it (a window lies
    inside its campaign)."""
    services.campaign_update(
        actor=manager,
        campaign=campaign,
        starts_on=min(campaign.starts_on, opens),
        ends_on=max(campaign.ends_on, closes),
        window_opens_on=opens,
        window_closes_on=closes,
    )
    return services.campaign_launch(actor=manager, campaign=campaign)


def history_page(client: Client, campaign: Campaign) -> str:
    return client.get(reverse("campaigns:history", args=[campaign.code])).content.decode()


def test_a_window_opens_by_its_date_when_the_campaign_page_is_opened(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    launch_with_window(ready_campaign, manager, TODAY - DAY, TODAY + 10 * DAY)
    assert stored(ready_campaign) == CampaignStatus.LAUNCHED
    client.force_login(manager)

    response = client.get(reverse("campaigns:detail", args=[ready_campaign.code]))

    assert response.status_code == 200
    assert stored(ready_campaign) == CampaignStatus.WINDOW_OPEN
    assert status_lines(ready_campaign)[-1] == (
        None,
        CampaignStatus.LAUNCHED,
        CampaignStatus.WINDOW_OPEN,
    )
    assert "Đang tự chấm điểm" in response.content.decode()  # the page shows today's status
    assert "mở tự chấm điểm theo lịch" in history_page(client, ready_campaign)


def test_a_window_that_passed_before_the_launch_closes_with_one_history_line(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)  # window: November 2019
    client.force_login(manager)

    client.get(reverse("campaigns:list"))

    assert stored(ready_campaign) == CampaignStatus.WINDOW_CLOSED
    assert status_lines(ready_campaign) == [
        (manager, CampaignStatus.DRAFT, CampaignStatus.LAUNCHED),
        (None, CampaignStatus.LAUNCHED, CampaignStatus.WINDOW_CLOSED),
    ]
    assert (
        "đóng tự chấm điểm theo lịch: thời gian tự chấm điểm (01/11/2019–30/11/2019) đã qua "
        "trước khi phong trào được phát động hoặc nhập vào cổng."
    ) in history_page(client, ready_campaign)


def test_a_window_opening_today_shows_open_on_the_campaign_list_without_beat(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    launch_with_window(ready_campaign, manager, TODAY, TODAY + 10 * DAY)
    assert stored(ready_campaign) == CampaignStatus.LAUNCHED  # beat has not run
    client.force_login(manager)

    page = client.get(reverse("campaigns:list")).content.decode()

    assert "Đang tự chấm điểm" in page
    assert stored(ready_campaign) == CampaignStatus.WINDOW_OPEN
    assert status_lines(ready_campaign)[-1] == (
        None,
        CampaignStatus.LAUNCHED,
        CampaignStatus.WINDOW_OPEN,
    )


def head_of_first_unit(campaign: Campaign, client: Client) -> None:
    enrolment = campaign.enrolments.select_related("unit").order_by("pk").first()
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=enrolment.unit, role=Membership.Role.HEAD)
    client.force_login(head)


def test_my_assessments_show_a_window_opening_today_as_open_and_one_past_as_closed(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    launch_with_window(ready_campaign, manager, TODAY, TODAY + 10 * DAY)
    head_of_first_unit(ready_campaign, client)

    page = client.get(reverse("assessments:my_assessments")).content.decode()

    assert "đang mở" in page and "Chấm điểm" in page  # the unit may write today
    assert stored(ready_campaign) == CampaignStatus.WINDOW_OPEN
    # The day after its last day (the dates moved back, as time would): closed, beat or not.
    Campaign.objects.filter(pk=ready_campaign.pk).update(
        window_opens_on=TODAY - 11 * DAY, window_closes_on=TODAY - DAY
    )

    page = client.get(reverse("assessments:my_assessments")).content.decode()

    assert "đang mở" not in page and "Xem" in page
    assert stored(ready_campaign) == CampaignStatus.WINDOW_CLOSED


def test_an_open_window_closes_after_its_last_day_when_a_unit_opens_its_assessment(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    launch_with_window(ready_campaign, manager, TODAY - 10 * DAY, TODAY)
    services.campaigns_advance_windows(today=TODAY)
    assert stored(ready_campaign) == CampaignStatus.WINDOW_OPEN
    # The next morning: the last day is behind (the dates moved back a day, as time would).
    Campaign.objects.filter(pk=ready_campaign.pk).update(window_closes_on=TODAY - DAY)
    enrolment = ready_campaign.enrolments.select_related("unit").first()
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=enrolment.unit, role=Membership.Role.HEAD)
    client.force_login(head)

    client.get(reverse("assessments:assessment", args=[enrolment.pk]))

    assert stored(ready_campaign) == CampaignStatus.WINDOW_CLOSED
    assert "đóng tự chấm điểm theo lịch: hết hạn ngày" in history_page(client, ready_campaign)


def test_two_doors_at_once_move_the_campaign_once(ready_campaign: Campaign, manager: User) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    stale = Campaign.objects.get(pk=ready_campaign.pk)  # read by a second door before the move

    assert services.campaign_window_advance(campaign=ready_campaign) is True
    assert services.campaign_window_advance(campaign=stale) is False
    assert services.campaigns_advance_windows(today=TODAY) == 0

    assert len(status_lines(ready_campaign)) == 2  # the launch, and one close


def test_a_page_costs_no_extra_query_when_the_status_agrees_with_the_dates(
    ready_campaign: Campaign, manager: User, django_assert_num_queries: object
) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    services.campaigns_advance_windows(today=TODAY)
    campaign = Campaign.objects.get(pk=ready_campaign.pk)

    with django_assert_num_queries(0):  # type: ignore[operator]
        assert services.campaign_window_advance(campaign=campaign) is False


def test_a_unit_reopened_after_the_calendar_closed_the_window_may_still_write(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    services.campaigns_advance_windows(today=TODAY)
    campaign = Campaign.objects.get(pk=ready_campaign.pk)
    enrolment = campaign.enrolments.first()
    services.enrolment_reopen(
        actor=manager, enrolment=enrolment, until=TODAY + 3 * DAY, reason="Mất điện"
    )
    client.force_login(manager)

    client.get(reverse("campaigns:detail", args=[campaign.code]))

    enrolment.refresh_from_db()
    assert stored(campaign) == CampaignStatus.WINDOW_CLOSED
    assert window_is_open(enrolment)


def test_a_window_the_manager_closed_early_stays_closed(
    ready_campaign: Campaign, manager: User, client: Client
) -> None:
    launch_with_window(ready_campaign, manager, TODAY - DAY, TODAY + 10 * DAY)
    services.campaigns_advance_windows(today=TODAY)
    campaign = Campaign.objects.get(pk=ready_campaign.pk)
    services.campaign_transition(actor=manager, campaign=campaign, action="close_window")
    client.force_login(manager)

    client.get(reverse("campaigns:detail", args=[campaign.code]))

    assert stored(campaign) == CampaignStatus.WINDOW_CLOSED
    assert status_lines(campaign)[-1] == (
        manager,
        CampaignStatus.WINDOW_OPEN,
        CampaignStatus.WINDOW_CLOSED,
    )


def test_the_home_page_moves_the_calendar_for_the_unit_head(
    ready_campaign: Campaign, manager: User, district: Unit, client: Client
) -> None:
    launch_with_window(ready_campaign, manager, TODAY, TODAY + 10 * DAY)
    enrolment = ready_campaign.enrolments.select_related("unit").first()
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=enrolment.unit, role=Membership.Role.HEAD)
    client.force_login(head)

    html = client.get(reverse("home")).content.decode()

    assert stored(ready_campaign) == CampaignStatus.WINDOW_OPEN
    assert "Tự chấm điểm và nộp" in html
