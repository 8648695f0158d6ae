"""A task sent through the real Redis broker is executed by a real worker, visible in PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from campaigns.tasks import campaigns_advance_windows_task
from tests.conftest import wait_for
from tests.factories import CampaignFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_opens_a_due_window_through_the_broker(celery_queue: str) -> None:
    today = timezone.localdate()
    campaign = CampaignFactory(
        status=CampaignStatus.LAUNCHED,
        starts_on=today - datetime.timedelta(days=30),
        window_opens_on=today,
        window_closes_on=today + datetime.timedelta(days=10),
    )
    result = campaigns_advance_windows_task.delay()
    assert result.id
    assert wait_for(
        lambda: Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.WINDOW_OPEN
    ), "the worker did not run the task"
    assert campaign.events.filter(action="status", new_value="window_open").exists()
