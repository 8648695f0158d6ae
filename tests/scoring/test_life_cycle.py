"""The life cycle as the manager meets it on the scoring pages: no scoring while units still write,
provisional runs while the council reviews, no publishing before the review is over unless the
manager names the units left, confirmation before publishing, rankings and a unit's own result
without errors, and runs named by their number in the campaign."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments import services as assessment_services
from campaigns import services as campaign_services
from campaigns.models import CampaignEvent, CampaignStatus
from scoring import pipeline, selectors
from scoring import services as runs
from scoring.models import RunStatus, ScoringRun
from tests.assessments.conftest import World, build_world
from tests.scoring.scoring_cases import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media_root: object) -> World:
    """Both communes submitted; the window is still open; one reviewer for both."""
    world = build_world()
    assessment_services.review_assign(
        actor=world.manager, campaign=world.campaign, reviewer=world.reviewer, unit=world.unit_b
    )
    world.submit(unit=world.unit_a)
    world.submit(unit=world.unit_b)
    return world


def close_and_review(world: World) -> None:
    for action in ("close_window", "start_review"):
        campaign_services.campaign_transition(
            actor=world.manager, campaign=world.campaign, action=action
        )
    world.campaign.refresh_from_db()


def accept(world: World, unit: object) -> None:
    assessment_services.assessment_accept(actor=world.reviewer, assessment=world.assessment(unit))


def run_now(world: World) -> ScoringRun:
    run = runs.scoring_run_start(actor=world.manager, campaign=world.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    world.campaign.refresh_from_db()
    return run


def page(client: Client, world: World, name: str, *args: object, user: object = None) -> str:
    client.force_login(user or world.manager)
    response = client.get(reverse(name, args=[world.campaign.code, *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_scoring_is_refused_while_the_window_is_open_and_the_page_says_why(
    client: Client, world: World
) -> None:
    with pytest.raises(ValidationError, match="Hãy đóng tự chấm điểm trước khi tính điểm"):
        runs.scoring_run_start(actor=world.manager, campaign=world.campaign)
    assert not ScoringRun.objects.exists()
    html = page(client, world, "scoring:runs")
    assert "Hãy đóng tự chấm điểm trước khi tính điểm" in html
    assert "disabled" in html


def test_a_run_during_review_is_provisional_and_marked_so(client: Client, world: World) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    run = run_now(world)
    assert run.is_provisional and run.status == RunStatus.SUCCEEDED
    runs_page = page(client, world, "scoring:runs")
    assert "Lần tính điểm thứ 1" in runs_page and "tạm tính" in runs_page
    assert f"#{run.pk}" not in runs_page
    rankings = page(client, world, "scoring:rankings")
    assert "tạm tính" in rankings


def test_a_run_after_every_acceptance_is_final(world: World) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    accept(world, world.unit_b)
    assert not run_now(world).is_provisional


def test_publishing_before_the_review_is_over_is_refused_and_names_the_units(
    world: World,
) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    run = run_now(world)
    with pytest.raises(ValidationError, match=world.unit_b.name) as refused:
        runs.scoring_run_publish(actor=world.manager, run=run)
    assert "còn 1 đơn vị chưa được thẩm định" in " ".join(refused.value.messages)
    run.refresh_from_db()
    assert not run.is_published


def test_publishing_with_the_units_not_reviewed_is_an_explicit_choice_recorded(
    world: World,
) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    run = runs.scoring_run_publish(actor=world.manager, run=run_now(world), publish_unreviewed=True)
    assert run.is_published
    event = CampaignEvent.objects.get(campaign=world.campaign, action="publish")
    assert event.new_value == "1" and world.unit_b.name in event.reason


def test_publishing_after_the_review_needs_no_option_and_then_the_campaign_can_end(
    world: World,
) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    accept(world, world.unit_b)
    with pytest.raises(ValidationError, match="sau khi đã công bố kết quả"):
        campaign_services.campaign_transition(
            actor=world.manager, campaign=world.campaign, action="close"
        )
    runs.scoring_run_publish(actor=world.manager, run=run_now(world))
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close"
    )
    world.campaign.refresh_from_db()
    assert world.campaign.status == CampaignStatus.CLOSED
    with pytest.raises(ValidationError, match="đã kết thúc"):
        runs.scoring_run_start(actor=world.manager, campaign=world.campaign)


def test_the_publish_button_asks_first_and_the_server_does_not_trust_the_dialog(
    client: Client, world: World
) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    run = run_now(world)
    runs_page = page(client, world, "scoring:runs")
    assert 'data-confirm="Kết quả lần tính điểm thứ 1' in runs_page
    assert f'data-confirm-list="{world.unit_b.name}"' in runs_page
    assert "Công bố khi còn 1 đơn vị chưa thẩm định" in runs_page
    url = reverse("scoring:run_publish", args=[world.campaign.code, run.pk])
    # Without the dialog (no JavaScript): a page that asks, and nothing is published yet.
    asked = client.post(url, {"publish_unreviewed": "1"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "mọi người, kể cả người không đăng nhập" in html and world.unit_b.name in html
    assert 'name="confirmed" value="1"' in html
    run.refresh_from_db()
    assert not run.is_published
    # A confirmation without the option is still refused by the service.
    refused = client.post(url, {"confirmed": "1"}, follow=True).content.decode()
    assert "Chưa thể công bố" in refused
    client.post(url, {"confirmed": "1", "publish_unreviewed": "1"})
    run.refresh_from_db()
    assert run.is_published


def test_rankings_before_the_first_run_say_what_to_do_next(client: Client, world: World) -> None:
    html = page(client, world, "scoring:rankings")
    assert "Chưa có kết quả xếp hạng" in html
    assert "đóng tự chấm điểm" in html
    council = page(client, world, "scoring:rankings", user=world.reviewer)
    assert "Kết quả sẽ hiện ở đây khi cán bộ phụ trách thi đua tính điểm" in council


def test_the_unit_head_opens_their_own_published_result_and_no_other(
    client: Client, world: World
) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    accept(world, world.unit_b)
    own = world.enrolment(world.unit_a)
    other = world.enrolment(world.unit_b)
    client.force_login(world.head_a)
    before = client.get(reverse("scoring:unit_result", args=[world.campaign.code, own.pk]))
    assert before.status_code == 200 and "Chưa có kết quả xếp hạng" in before.content.decode()
    runs.scoring_run_publish(actor=world.manager, run=run_now(world))
    mine = client.get(reverse("scoring:unit_result", args=[world.campaign.code, own.pk]))
    assert mine.status_code == 200
    assert world.unit_a.name in mine.content.decode()
    theirs = client.get(reverse("scoring:unit_result", args=[world.campaign.code, other.pk]))
    assert theirs.status_code == 403
    detail = client.get(reverse("campaigns:detail", args=[world.campaign.code])).content.decode()
    assert reverse("scoring:unit_result", args=[world.campaign.code, own.pk]) in detail
    assert reverse("assessments:assessment", args=[own.pk]) in detail


def test_history_names_runs_by_number(client: Client, world: World) -> None:
    close_and_review(world)
    accept(world, world.unit_a)
    run_now(world)
    html = page(client, world, "campaigns:history")
    assert "bắt đầu lần tính điểm thứ 1 (tạm tính: thẩm định chưa xong)." in html
    assert "scoring_run" not in html


@pytest.mark.django_db(transaction=True)
def test_in_development_the_run_does_not_hold_the_page(
    client: Client, settings: object, media_root: object
) -> None:
    """TASKS_EAGER_IN_BACKGROUND (local settings): the run computes on a thread of its own, so
    the page answers while it is still under way and the progress bar takes over."""
    world = build_world()
    world.submit(unit=world.unit_a)
    close_and_review(world)
    settings.TASKS_EAGER_IN_BACKGROUND = ["scoring.tasks.scoring_run_task"]  # type: ignore[attr-defined]
    release, started = threading.Event(), threading.Event()
    plan = pipeline.plan

    def slow_plan(*args: object, **kwargs: object) -> object:
        started.set()
        release.wait(20)
        return plan(*args, **kwargs)

    pipeline.plan = slow_plan  # type: ignore[assignment]
    try:
        client.force_login(world.manager)
        response = client.post(reverse("scoring:runs", args=[world.campaign.code]))
        assert response.status_code == 302
        assert started.wait(60)  # a busy machine starts the thread late
        run = ScoringRun.objects.get(campaign=world.campaign)
        assert run.is_active  # the page came back before the run ended
        progress = client.get(
            reverse("scoring:run_progress", args=[world.campaign.code, run.pk])
        ).content.decode()
        assert "hx-get" in progress and "Tiến độ lần tính điểm thứ 1" in progress
    finally:
        release.set()
        pipeline.plan = plan  # type: ignore[assignment]
    for _second in range(100):
        run.refresh_from_db()
        if not run.is_active:
            break
        threading.Event().wait(0.1)
    assert run.status == RunStatus.SUCCEEDED


def test_a_long_list_of_units_not_reviewed_names_twenty_and_counts_the_rest() -> None:
    """The refusal, the confirmation page and the history stay readable at 10,000 units."""
    case = Case().criterion("1", max_points="10")
    for n in range(25):
        case.unit(f"Xã {n:02d}", {"1": "8"})
    count, names = selectors.unreviewed_named(case.campaign)
    assert count == 25
    assert names == ", ".join(f"Xã {n:02d}" for n in range(20)) + " và 5 đơn vị khác"
    assert selectors.has_unreviewed(case.campaign)
