"""A run is a snapshot: every write to what a run reads moves the campaign's scores version in its
own transaction, and a run whose version moved between its plan and its finish fails with a
message instead of mixing two states. The checksum of the inputs (`engine.inputs_checksum`) audits
the version: every service that changes an input moves both."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import AssessmentItem, ReviewItem
from assessments.tallies import criterion_scores_drift
from campaigns import services as campaign_services
from campaigns.models import Campaign
from scoring import engine, pipeline
from scoring import services as runs
from scoring.models import RunStatus, ScoringRun
from tests.assessments.conftest import World, build_world

pytestmark = pytest.mark.django_db

MOVED = "Dữ liệu chấm điểm thay đổi trong khi tính; hãy chạy lại."


@pytest.fixture
def world(media_root: object) -> World:
    """Both communes submitted 8 for 1.1; the council reviews: 8 for the first, 9 for the second."""
    world = build_world()
    assessment_services.review_assign(
        actor=world.manager, campaign=world.campaign, reviewer=world.reviewer, unit=world.unit_b
    )
    world.submit(unit=world.unit_a)
    world.submit(unit=world.unit_b)
    for action in ("close_window", "start_review"):
        campaign_services.campaign_transition(
            actor=world.manager, campaign=world.campaign, action=action
        )
    review(world, world.unit_a, "8")
    review(world, world.unit_b, "9")
    return world


def review(world: World, unit: object, score: str) -> None:
    assessment_services.review_save(
        actor=world.reviewer,
        assessment=world.assessment(unit),  # type: ignore[arg-type]
        entries=world.entries({"1.1": score}),
    )


def planned(world: World) -> tuple[ScoringRun, list[int]]:
    """A run planned in chunks of one unit (its task is not sent: no commit in these tests)."""
    run = runs.scoring_run_start(actor=world.manager, campaign=world.campaign)
    chunk_ids = pipeline.plan(run.pk, 1)
    assert chunk_ids is not None and len(chunk_ids) == 2
    return run, chunk_ids


def finals(run: ScoringRun) -> dict[str, Decimal | None]:
    return {r.unit_name: r.final_score for r in run.results.all()}


def test_a_review_edit_during_a_run_that_keeps_the_sums_fails_the_run(
    client: Client, world: World
) -> None:
    """8 → 9 in one unit and 9 → 8 in the other, between the two chunks: the same counts and
    sums, other results. The run fails, says why, and keeps no results."""
    run, chunk_ids = planned(world)
    pipeline.chunk(run.pk, chunk_ids[0])
    review(world, world.unit_a, "9")
    review(world, world.unit_b, "8")
    assert pipeline.chunk(run.pk, chunk_ids[1]) is True
    with pytest.raises(Exception, match="thay đổi trong khi tính"):
        pipeline.finish(run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == MOVED
    assert not run.results.exists()
    client.force_login(world.manager)
    page = client.get(reverse("scoring:runs", args=[world.campaign.code]))
    assert MOVED in page.content.decode()

    again = runs.scoring_run_start(actor=world.manager, campaign=world.campaign)
    pipeline.execute(again.pk)
    again.refresh_from_db()
    assert again.status == RunStatus.SUCCEEDED
    assert finals(again) == {
        world.unit_a.name: Decimal("93.33"),
        world.unit_b.name: Decimal("86.67"),
    }


def test_an_edit_after_every_chunk_fails_the_finish(world: World) -> None:
    run, chunk_ids = planned(world)
    for chunk_id in chunk_ids:
        pipeline.chunk(run.pk, chunk_id)
    review(world, world.unit_a, "9")
    with pytest.raises(Exception, match="thay đổi trong khi tính"):
        pipeline.finish(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and not run.results.exists()


def test_edits_before_the_plan_are_in_the_run_and_edits_after_its_end_leave_it_alone(
    world: World,
) -> None:
    review(world, world.unit_a, "10")
    run, chunk_ids = planned(world)
    for chunk_id in chunk_ids:
        pipeline.chunk(run.pk, chunk_id)
    pipeline.finish(run.pk)
    review(world, world.unit_a, "7")
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert finals(run)[world.unit_a.name] == Decimal("100.00")


# Every writer moves the version, and the checksum agrees -----------------------------------------


def reopen(world: World) -> None:
    campaign_services.enrolment_reopen(
        actor=world.manager,
        enrolment=world.enrolment(),
        until=timezone.localdate() + datetime.timedelta(days=3),
        reason="Bão lũ",
    )


def returned_and_reopened(world: World) -> None:
    assessment_services.assessment_return(
        actor=world.reviewer, assessment=world.assessment(), reason="Thiếu minh chứng"
    )
    reopen(world)


def resubmit(world: World) -> None:
    assessment = world.assessment()
    assessment_services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )


def nothing(world: World) -> None:
    pass


WRITERS: dict[str, tuple[Callable[[World], object], Callable[[World], object]]] = {
    # name: (what comes first, the write measured)
    "a review score": (nothing, lambda world: review(world, world.unit_a, "7")),
    "a reopened window": (nothing, reopen),
    "a self score of a reopened unit": (
        returned_and_reopened,
        lambda world: world.save({"1.1": "6"}),
    ),
    "the window's close": (
        nothing,
        lambda world: campaign_services.campaign_update(
            actor=world.manager,
            campaign=world.campaign,
            window_closes_on=timezone.localdate() - datetime.timedelta(days=1),
        ),
    ),
    "an enrolment's block": (
        nothing,
        lambda world: campaign_services.enrolment_blocks_set(
            actor=world.manager, campaign=world.campaign, blocks={world.unit_b.code: world.block}
        ),
    ),
}


def version_and_checksum(campaign: Campaign) -> tuple[int, dict[str, int]]:
    campaign.refresh_from_db()
    return campaign.scores_version, engine.inputs_checksum(engine.inputs_for(campaign))


@pytest.mark.parametrize("writer", WRITERS)
def test_every_write_to_a_runs_inputs_moves_the_version_and_the_checksum(
    world: World, writer: str
) -> None:
    prepare, write = WRITERS[writer]
    prepare(world)
    version, checksum = version_and_checksum(world.campaign)
    write(world)
    moved_version, moved_checksum = version_and_checksum(world.campaign)
    assert moved_version > version
    assert moved_checksum != checksum
    # and the per-criterion scores a run reads are the ones a full recomputation gives
    assert criterion_scores_drift(world.campaign.pk) == 0


STATUS_CHANGES: dict[str, tuple[Callable[[World], object], Callable[[World], object]]] = {
    "accepted": (
        nothing,
        lambda world: assessment_services.assessment_accept(
            actor=world.reviewer, assessment=world.assessment()
        ),
    ),
    "returned": (
        nothing,
        lambda world: assessment_services.assessment_return(
            actor=world.reviewer, assessment=world.assessment(), reason="Thiếu minh chứng"
        ),
    ),
    "submitted again (the first submission's time stands)": (
        lambda world: (returned_and_reopened(world), world.save({"1.1": "6"})),
        resubmit,
    ),
}


@pytest.mark.parametrize("change", STATUS_CHANGES)
def test_a_status_change_moves_the_version_where_no_result_moves(world: World, change: str) -> None:
    prepare, write = STATUS_CHANGES[change]
    prepare(world)
    version, checksum = version_and_checksum(world.campaign)
    write(world)
    assert version_and_checksum(world.campaign) == (version + 1, checksum)


def test_a_write_around_the_services_moves_only_the_checksum(world: World) -> None:
    """Why every writer goes through a service: the audit sees what the version does not."""
    version, checksum = version_and_checksum(world.campaign)
    # Written around the services on purpose: what the audit must detect.
    AssessmentItem.objects.filter(assessment=world.assessment()).update(self_score=Decimal(3))
    moved_version, moved_checksum = version_and_checksum(world.campaign)
    assert moved_version == version and moved_checksum != checksum
    assert criterion_scores_drift(world.campaign.pk) > 0


def test_the_audit_command_names_a_write_around_the_services(world: World) -> None:
    review(world, world.unit_a, "7")
    out = StringIO()
    call_command("score_campaign", world.campaign.code, "--audit", stdout=out)
    assert "equal to a full recomputation" in out.getvalue()
    assert not ScoringRun.objects.filter(campaign=world.campaign).exists()  # audit only

    # Written around the services on purpose: what the audit must detect.
    ReviewItem.objects.filter(assessment__enrolment__unit=world.unit_a).update(score=Decimal(2))
    with pytest.raises(CommandError, match="differ from the score tables"):
        call_command("score_campaign", world.campaign.code, "--audit", stdout=StringIO())

    version = Campaign.objects.get(pk=world.campaign.pk).scores_version
    out = StringIO()
    call_command("score_campaign", world.campaign.code, "--audit", "--repair", stdout=out)
    assert "1 recomputed" in out.getvalue() and "equal to a full recomputation" in out.getvalue()
    assert criterion_scores_drift(world.campaign.pk) == 0
    assert Campaign.objects.get(pk=world.campaign.pk).scores_version == version + 1
    event = world.campaign.events.get(action="scores_repaired")
    assert (event.actor, event.new_value) == (None, "1")


def test_only_the_campaigns_managers_repair_its_stored_scores(world: World) -> None:
    # Written around the services on purpose: a drift for the audit's repair to find.
    AssessmentItem.objects.filter(assessment=world.assessment()).update(self_score=Decimal(3))
    with pytest.raises(PermissionDenied):
        assessment_services.criterion_scores_repair(actor=world.reviewer, campaign=world.campaign)
    assert criterion_scores_drift(world.campaign.pk) > 0
    assert (
        assessment_services.criterion_scores_repair(actor=world.manager, campaign=world.campaign)
        > 0
    )
    assert criterion_scores_drift(world.campaign.pk) == 0


def test_saving_a_campaign_read_before_a_score_edit_keeps_the_newer_version(world: World) -> None:
    stale = Campaign.objects.get(pk=world.campaign.pk)
    review(world, world.unit_a, "7")
    stale.title = "Tên mới"
    stale.save()
    world.campaign.refresh_from_db()
    assert world.campaign.title == "Tên mới"
    assert world.campaign.scores_version == stale.scores_version + 1


def test_writes_a_run_does_not_read_leave_the_version_alone() -> None:
    """A draft never submitted is no run input (the engine skips it; the audit checksum counts
    it all the same), nor is the campaign's title: a run under way goes on, and drafting units
    do not queue on the campaign's row."""
    world = build_world()
    world.campaign.refresh_from_db()
    version = world.campaign.scores_version
    world.save({"1.1": "6"})  # unit A's first draft
    campaign_services.campaign_update(
        actor=world.manager, campaign=world.campaign, title="Văn hóa công sở (đổi tên)"
    )
    world.campaign.refresh_from_db()
    assert world.campaign.scores_version == version
