"""One action, one service: the self-assessment window opens and closes through the manager's
button or through celery beat on its dates; both doors write the same history row and lead to the
same notices for the unit heads (notices follow the state, so they cannot drift apart)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessments.notices import assessment_notices_send
from campaigns import tasks as campaign_tasks
from campaigns.models import CampaignEvent, CampaignStatus
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory, manager_of
from tests.scoring.scoring_cases import Case
from units.models import Membership

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def launched_case(status: str) -> Case:
    """A campaign whose window runs around today, with a head for each of two units."""
    case = Case().criterion("1")
    case.unit("Xã A").unit("Xã B")
    case.campaign.window_opens_on = TODAY - datetime.timedelta(days=2)
    case.campaign.window_closes_on = TODAY + datetime.timedelta(days=10)
    case.campaign.status = status
    case.campaign.save()
    for enrolment in case.units.values():
        MembershipFactory(user=UserFactory(), unit=enrolment.unit, role=Membership.Role.HEAD)
    return case


def press(case: Case, action: str) -> None:
    client = Client()
    client.force_login(manager_of(case.campaign.authority))
    client.post(
        reverse("campaigns:transition", args=[case.campaign.code, action]), {"confirmed": "1"}
    )


def open_by_page(case: Case) -> None:
    press(case, "open_window")


def open_by_beat(case: Case) -> None:
    campaign_tasks.campaigns_advance_windows_task()


def history(case: Case) -> list[tuple[str, str, str]]:
    return [
        (event.action, event.old_value, event.new_value)
        for event in CampaignEvent.objects.filter(campaign=case.campaign)
    ]


@pytest.mark.parametrize("door", [open_by_page, open_by_beat])
def test_every_door_that_opens_the_window_writes_the_same_history_and_notices(door) -> None:  # type: ignore[no-untyped-def]
    case = launched_case(CampaignStatus.LAUNCHED)
    door(case)
    case.campaign.refresh_from_db()
    assert case.campaign.status == CampaignStatus.WINDOW_OPEN
    assert history(case) == [("status", CampaignStatus.LAUNCHED, CampaignStatus.WINDOW_OPEN)]
    assessment_notices_send(today=TODAY)
    subjects = sorted(Notification.objects.values_list("user__memberships__unit__name", "subject"))
    assert subjects == [
        ("Xã A", "Đã mở tự chấm điểm: Chấm thử"),
        ("Xã B", "Đã mở tự chấm điểm: Chấm thử"),
    ]


def close_by_page(case: Case) -> None:
    press(case, "close_window")


def close_by_beat(case: Case) -> None:
    case.campaign.window_closes_on = TODAY - datetime.timedelta(days=1)
    case.campaign.save(update_fields=["window_closes_on"])
    campaign_tasks.campaigns_advance_windows_task()


@pytest.mark.parametrize("door", [close_by_page, close_by_beat])
def test_every_door_that_closes_the_window_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    case = launched_case(CampaignStatus.WINDOW_OPEN)
    door(case)
    case.campaign.refresh_from_db()
    assert case.campaign.status == CampaignStatus.WINDOW_CLOSED
    assert history(case) == [("status", CampaignStatus.WINDOW_OPEN, CampaignStatus.WINDOW_CLOSED)]
