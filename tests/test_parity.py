"""One action, one service: whichever door an action comes through (a page, a management command,
a beat task), it writes the same history row, because every door calls the same service."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from campaigns.models import CampaignEvent, CampaignStatus
from scoring import selectors
from scoring import tasks as scoring_tasks
from scoring.models import RunStatus, ScoringRun
from tests.factories import manager_of
from tests.scoring.scoring_cases import Case

# transaction=True: the doors queue the run after the commit, as in production (eager here).
pytestmark = pytest.mark.django_db(transaction=True)


def scored_case() -> Case:
    case = Case().criterion("1").criterion("2", kind="yes_no")
    return case.unit("Xã A", {"1": "9", "2": "10"}).unit("Xã B", {"1": "7", "2": "10"})


def run_page(case: Case) -> None:
    client = Client()
    client.force_login(manager_of(case.campaign.authority))
    client.post(reverse("scoring:runs", args=[case.campaign.code]))


def run_command(case: Case) -> None:
    call_command("score_campaign", case.campaign.code, "--timeout", "30")


def run_beat(case: Case) -> None:
    scoring_tasks.scoring_nightly_task()


@pytest.mark.parametrize("door", [run_page, run_command, run_beat])
def test_every_door_that_starts_a_run_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    case = scored_case()
    door(case)
    run = ScoringRun.objects.get(campaign=case.campaign)
    assert run.status == RunStatus.SUCCEEDED
    events = CampaignEvent.objects.filter(campaign=case.campaign, action="scoring_run")
    assert [e.new_value for e in events] == [str(selectors.run_number(run))]


def publish_page(case: Case, run: ScoringRun) -> None:
    client = Client()
    client.force_login(manager_of(case.campaign.authority))
    client.post(
        reverse("scoring:run_publish", args=[case.campaign.code, run.pk]),
        {"publish_unreviewed": "1", "confirmed": "1"},
    )


def publish_command(case: Case, run: ScoringRun) -> None:
    ScoringRun.objects.filter(pk=run.pk).delete()  # the command scores and publishes its own run
    call_command(
        "score_campaign", case.campaign.code, "--publish", "--publish-unreviewed", "--timeout", "30"
    )


@pytest.mark.parametrize("door", [publish_page, publish_command])
def test_every_door_that_publishes_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    case = scored_case()
    call_command("score_campaign", case.campaign.code, "--timeout", "30")
    run = ScoringRun.objects.get(campaign=case.campaign)
    door(case, run)
    case.campaign.refresh_from_db()
    assert case.campaign.status == CampaignStatus.PUBLISHED
    assert CampaignEvent.objects.filter(campaign=case.campaign, action="publish").count() == 1
    status = CampaignEvent.objects.filter(campaign=case.campaign, new_value="published")
    assert status.count() == 1
