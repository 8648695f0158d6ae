"""A run as a recoverable piece of work, step by step in this process: each chunk done once, the
finish once and last, a planning task that arrives twice, the watchdog (the snapshot check:
test_run_snapshot.py)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scoring import pipeline
from scoring import services as runs
from scoring.models import ChunkStatus, RunStatus, ScoringChunk, ScoringRun
from tests.factories import manager_of
from tests.scoring.scoring_cases import Case

pytestmark = pytest.mark.django_db


def a_case(units: int = 6) -> Case:
    case = Case().criterion("1").criterion("2", kind="yes_no")
    for i in range(units):
        case.unit(f"Xã {i}", {"1": str(9 - i % 3), "2": "10"}, block="K" if i % 2 else None)
    return case


def planned(case: Case, chunk_size: int = 2) -> tuple[ScoringRun, list[int]]:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)  # queued: no commit here
    chunk_ids = pipeline.plan(run.pk, chunk_size)
    assert chunk_ids is not None
    run.refresh_from_db()
    return run, chunk_ids


def scores(run: ScoringRun) -> dict[str, tuple[object, ...]]:
    return {r.unit_name: (r.final_score, r.rank, r.block_rank) for r in run.results.all()}


def test_a_chunk_delivered_twice_is_done_and_counted_once() -> None:
    run, chunk_ids = planned(a_case())
    assert pipeline.chunk(run.pk, chunk_ids[0]) is False
    assert pipeline.chunk(run.pk, chunk_ids[0]) is False  # the second delivery does nothing
    run.refresh_from_db()
    assert run.chunks_total == 3 and run.chunks_done == 1
    first = ScoringChunk.objects.get(pk=chunk_ids[0])
    assert first.status == ChunkStatus.DONE and first.attempts == 1


def test_the_finish_waits_for_every_chunk_and_runs_once() -> None:
    case = a_case()
    run, chunk_ids = planned(case)
    for chunk_id in chunk_ids[:-1]:
        pipeline.chunk(run.pk, chunk_id)
    pipeline.finish(run.pk)  # a finish sent too early does nothing
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and not run.results.filter(rank__isnull=False).exists()

    assert pipeline.chunk(run.pk, chunk_ids[-1]) is True
    pipeline.finish(run.pk)
    finished = ScoringRun.objects.get(pk=run.pk)
    pipeline.finish(run.pk)  # and a second one does nothing either
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.finished_at == finished.finished_at
    assert run.chunks_done == 3 and run.results.count() == 6

    pipeline.execute(runs.scoring_run_start(actor=None, campaign=case.campaign).pk)
    assert scores(run) == scores(ScoringRun.objects.latest("pk"))


def test_a_planning_task_delivered_again_does_not_reset_the_run() -> None:
    run, chunk_ids = planned(a_case())
    pipeline.chunk(run.pk, chunk_ids[0])
    assert pipeline.plan(run.pk, 2) is None
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.chunks_done == 1
    assert ScoringChunk.objects.filter(run=run).count() == 3
    assert ScoringChunk.objects.get(pk=chunk_ids[0]).status == ChunkStatus.DONE


# The watchdog -------------------------------------------------------------------------------------


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_the_watchdog_sends_again_a_run_left_queued(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_QUEUE_GRACE_SECONDS = 60
    run = runs.scoring_run_start(actor=None, campaign=a_case().campaign)
    assert pipeline.watchdog().plans == []
    assert pipeline.watchdog(now=later(61)).plans == [run.pk]
    assert pipeline.watchdog(now=later(62)).plans == []  # claimed: sent once a minute at most
    pipeline.execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_the_watchdog_hands_out_again_a_chunk_whose_worker_vanished(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    run, chunk_ids = planned(a_case())
    lost = chunk_ids[1]
    ScoringChunk.objects.filter(pk=lost).update(
        status=ChunkStatus.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )  # claimed by a worker that was then killed
    for chunk_id in chunk_ids:
        pipeline.chunk(run.pk, chunk_id)
    assert pipeline.watchdog().chunks == []
    assert pipeline.watchdog(now=later(31)).chunks == [(run.pk, lost)]
    assert ScoringChunk.objects.get(pk=lost).status == ChunkStatus.QUEUED

    assert pipeline.chunk(run.pk, lost) is True
    pipeline.finish(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert ScoringChunk.objects.get(pk=lost).attempts == 2


def test_the_watchdog_finishes_a_run_whose_finish_was_lost(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    run, chunk_ids = planned(a_case())
    for chunk_id in chunk_ids:
        pipeline.chunk(run.pk, chunk_id)
    assert pipeline.watchdog().finishes == []
    assert pipeline.watchdog(now=later(31)).finishes == [run.pk]
    pipeline.finish(run.pk)
    assert ScoringRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED


def test_a_finish_waiting_its_turn_is_sent_again_and_the_run_never_gives_up(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    settings.SCORING_MAX_ATTEMPTS = 3
    run, chunk_ids = planned(a_case())
    for chunk_id in chunk_ids:
        pipeline.chunk(run.pk, chunk_id)
    for minutes in range(1, 6):  # five minutes in a long queue, never started
        assert pipeline.watchdog(now=later(60 * minutes)).finishes == [run.pk]
    assert ScoringRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
    pipeline.finish(run.pk)
    assert ScoringRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED


def test_the_watchdog_fails_a_run_whose_finish_keeps_losing_its_worker(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    settings.SCORING_MAX_ATTEMPTS = 3
    run, chunk_ids = planned(a_case())
    for chunk_id in chunk_ids:
        pipeline.chunk(run.pk, chunk_id)
    ScoringRun.objects.filter(pk=run.pk).update(attempts=3)  # started three times, and killed
    assert pipeline.watchdog(now=later(31)).finishes == []
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "dừng giữa chừng 3 lần" in run.error


def test_the_watchdog_fails_a_run_whose_chunk_keeps_losing_its_worker(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    settings.SCORING_MAX_ATTEMPTS = 3
    run, chunk_ids = planned(a_case())
    ScoringChunk.objects.filter(pk=chunk_ids[0]).update(
        status=ChunkStatus.RUNNING, attempts=3, heartbeat_at=timezone.now()
    )
    dispatch = pipeline.watchdog(now=later(31))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "dừng giữa chừng 3 lần" in run.error
    assert dispatch.chunks == []
    assert runs.scoring_run_start(actor=None, campaign=run.campaign)  # the campaign is free


def test_a_stalled_run_gets_its_waiting_chunks_sent_again_one_at_a_time(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    case = a_case()
    run, chunk_ids = planned(case)  # three chunks sent, and their messages lost
    assert pipeline.watchdog().chunks == []
    assert pipeline.watchdog(now=later(31)).chunks == [(run.pk, chunk_ids[0])]
    assert pipeline.watchdog(now=later(32)).chunks == []  # one at a time
    pipeline.chunk(run.pk, chunk_ids[0])
    assert pipeline.watchdog(now=later(5)).chunks == []  # it moved
    assert pipeline.watchdog(now=later(62)).chunks == [(run.pk, chunk_ids[1])]


def test_waiting_chunks_of_a_run_at_work_are_left_in_the_queue(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_LOST_SECONDS = 30
    settings.SCORING_STALE_SECONDS = 700
    run, chunk_ids = planned(a_case())
    ScoringChunk.objects.filter(pk=chunk_ids[0]).update(
        status=ChunkStatus.RUNNING, attempts=1, heartbeat_at=later(25)
    )  # a chunk claimed and still at work
    assert pipeline.watchdog(now=later(40)).chunks == []
    # its worker died too: it comes back, alone
    assert pipeline.watchdog(now=later(56)).chunks == [(run.pk, chunk_ids[0])]
    # after SCORING_STALE_SECONDS every waiting chunk is sent again (the broker lost its queue)
    assert sorted(pipeline.watchdog(now=later(701)).chunks) == [(run.pk, c) for c in chunk_ids]


def test_the_page_says_a_run_waits_for_the_task_queue(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORING_QUEUE_GRACE_SECONDS = 60
    case = a_case()
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    manager = manager_of(case.campaign.authority)
    client.force_login(manager)
    url = reverse("scoring:run_progress", args=[case.campaign.code, run.pk])
    assert "Đang chờ hàng đợi tác vụ" not in client.get(url).content.decode()

    ScoringRun.objects.filter(pk=run.pk).update(created_at=later(-61))  # a minute later
    assert pipeline.watchdog(now=later(61)).plans == [run.pk]  # sent again: still waiting
    page = client.get(reverse("scoring:runs", args=[case.campaign.code])).content.decode()
    assert "Đang chờ hàng đợi tác vụ" in page
    assert reverse("scoring:run_cancel", args=[case.campaign.code, run.pk]) in page
