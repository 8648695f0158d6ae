"""A run's work in three steps (plan, chunk, finish) and the watchdog that keeps runs going.

The steps never enqueue: they return what is to be sent, `tasks.py` sends it, and `execute` runs
the steps one after the other in this process. Each step is safe to repeat, whatever the broker
redelivers: the plan is made once (a queued run is claimed by a conditional UPDATE, and creates the
chunk rows); each chunk is done once (claimed queued → running, then marked done in the transaction
that writes its results, only if its claim still holds); the finish runs once, when every chunk is
done (claimed by a conditional UPDATE in the transaction that ranks).

A step at work holds its row locked: a chunk holds its chunk row, the finish its run row, from the
start of the transaction that writes until its commit. A worker that dies loses its connection,
and PostgreSQL ends that transaction within seconds (`_end_with_the_worker`), so the watchdog tells
a dead worker from a slow one by the lock alone: it skips rows that are held (SKIP LOCKED) and
hands out again, after SCORING_LOST_SECONDS, the steps nobody holds.

A run is a snapshot: the plan reads its inputs in one consistent view (REPEATABLE READ on
PostgreSQL) with the campaign's `scores_version`, which every write to those inputs moves in its
own transaction (`campaigns.services.scores_touched`); the finish reads it again, and a run whose
inputs moved in between (even by edits that keep every sum) fails with a message instead of
mixing two states.
"""

import datetime
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from campaigns.services import campaign_set_status

from . import engine, selectors
from .models import ChunkStatus, RunStatus, ScoringChunk, ScoringRun
from .services import scoring_run_check, scoring_run_fail

UNDONE = [ChunkStatus.QUEUED, ChunkStatus.RUNNING]
Row = TypeVar("Row", bound=Model)


def _moved() -> ValidationError:
    return ValidationError(
        _("Dữ liệu chấm điểm thay đổi trong khi tính; hãy chạy lại."), code="moved"
    )


def _scores_version(campaign_id: int) -> int:
    return Campaign.objects.values_list("scores_version", flat=True).get(pk=campaign_id)


def _undone_chunks() -> Exists:
    return Exists(ScoringChunk.objects.filter(run_id=OuterRef("pk"), status__in=UNDONE))


def _beat(run_id: int) -> None:
    """The run's heartbeat, with its count of done chunks recounted from the chunk rows."""
    done = (
        ScoringChunk.objects.filter(run_id=OuterRef("pk"), status=ChunkStatus.DONE)
        .values("run_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        heartbeat_at=timezone.now(), chunks_done=Coalesce(Subquery(done), Value(0))
    )


# Plan -------------------------------------------------------------------------------------------


def plan(run_id: int, chunk_size: int | None = None) -> list[int] | None:
    """Claim a queued run and split it into chunks: the ids of the chunks to send.

    None when the run is planned already (a redelivered message must not reset it) or over.
    """
    run = ScoringRun.objects.select_related("campaign").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return None
    try:
        scoring_run_check(run.campaign)
        with engine.consistent_view():
            version = _scores_version(run.campaign_id)
            inputs = engine.inputs_for(run.campaign)
            summary = engine.inputs_summary(inputs, version)
            size = chunk_size or settings.SCORING_CHUNK_SIZE
            ranges = engine.enrolment_ranges(run.campaign_id, size)
        return _plan_save(run_id, inputs, summary, ranges)
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise


@transaction.atomic
def _plan_save(
    run_id: int,
    inputs: engine.Inputs,
    summary: dict[str, object],
    ranges: list[tuple[int, int]],
) -> list[int] | None:
    now = timezone.now()
    claimed = ScoringRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=0,
        chunks_total=len(ranges),
        chunks_done=0,
        inputs=inputs.as_message(),
        inputs_summary=summary,
        error="",
    )
    if not claimed:
        return None  # another delivery of the planning task got there first
    chunks = ScoringChunk.objects.bulk_create(
        ScoringChunk(run_id=run_id, lo=lo, hi=hi, heartbeat_at=now) for lo, hi in ranges
    )
    return [chunk.pk for chunk in chunks]


# Chunks -----------------------------------------------------------------------------------------


def chunk(run_id: int, chunk_id: int) -> bool:
    """Compute one chunk, once; True when every chunk of the run is done (time to finish).

    A chunk already done, taken by another worker, or of a run that is over does nothing. Any
    error fails the whole run (and drops what it wrote).
    """
    try:
        _chunk_compute(run_id, chunk_id)
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise
    return (
        ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING)
        .exclude(_undone_chunks())
        .exists()
    )


def _chunk_compute(run_id: int, chunk_id: int) -> None:
    # One table in the WHERE (no join), so PostgreSQL re-checks the status of a row another
    # worker claimed while this UPDATE waited for it: two deliveries, one claim.
    running = Exists(ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING))
    claimed = ScoringChunk.objects.filter(
        running, pk=chunk_id, run_id=run_id, status=ChunkStatus.QUEUED
    ).update(
        status=ChunkStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    if not claimed:
        return
    _beat(run_id)
    claim = ScoringChunk.objects.select_related("run").get(pk=chunk_id)
    inputs = engine.Inputs.from_message(claim.run.inputs)
    with transaction.atomic():
        _end_with_the_worker()
        if not _hold_running(run_id):
            return  # cancelled or failed meanwhile
        # Done only if our claim still holds: the watchdog may have handed the chunk to another
        # worker, and a second worker on the same chunk waits here on the row, then finds it done.
        # The row stays locked until the results are written: the watchdog's sign of life.
        marked = ScoringChunk.objects.filter(
            pk=chunk_id, status=ChunkStatus.RUNNING, attempts=claim.attempts
        ).update(status=ChunkStatus.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now())
        if not marked:
            return
        engine.compute_chunk(run_id=run_id, inputs=inputs, lo=claim.lo, hi=claim.hi)
    _beat(run_id)


def _hold_running(run_id: int) -> bool:
    """Whether the run is still running, and it stays so until this transaction ends.

    On PostgreSQL a FOR KEY SHARE lock: chunks hold it side by side (and heartbeats still write
    the row), while a cancel or a failure, which lock the run FOR UPDATE, wait for the chunk's
    results and then drop them. SQLite runs one writer at a time anyway.
    """
    if connection.vendor != "postgresql":
        return ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {ScoringRun._meta.db_table} WHERE id = %s AND status = %s "  # noqa: S608
            "FOR KEY SHARE",
            [run_id, RunStatus.RUNNING.value],
        )
        return cursor.fetchone() is not None


def _end_with_the_worker() -> None:
    """PostgreSQL (14 and later) checks every 5 seconds, even in the middle of a long statement,
    that the worker of this transaction is still connected, and ends the transaction (releasing
    its locks) when it is not, instead of at the statement's end."""
    if connection.vendor == "postgresql" and connection.get_database_version() >= (14,):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL client_connection_check_interval = 5000")


# Finish -----------------------------------------------------------------------------------------


def finish(run_id: int) -> None:
    """Rank and flag once every chunk is done; does nothing otherwise, or once done."""
    try:
        _finish_started(run_id)
        _run_finish(run_id)
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise


def _finish_started(run_id: int) -> None:
    """Count a start of the finish (committed, so a finish that kills its worker each time ends
    as a failure after SCORING_MAX_ATTEMPTS starts, while one that waits in the queue does not)."""
    ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exclude(_undone_chunks()).update(
        attempts=F("attempts") + 1, heartbeat_at=timezone.now()
    )


@transaction.atomic
def _run_finish(run_id: int) -> None:
    _end_with_the_worker()
    # The claim locks the run row until the results are ranked: the watchdog's sign of life.
    claimed = (
        ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING)
        .exclude(_undone_chunks())
        .update(
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            chunks_done=F("chunks_total"),
        )
    )
    if not claimed:
        return
    run = ScoringRun.objects.select_related("campaign").get(pk=run_id)
    inputs = engine.Inputs.from_message(run.inputs)
    if run.campaign.scores_version != run.inputs_summary.get("scores_version"):
        raise _moved()
    engine.rank_run(run_id=run_id, inputs=inputs)
    ScoringRun.objects.filter(pk=run_id).update(tallies=selectors.run_tallies(run))
    if run.campaign.status in (CampaignStatus.WINDOW_CLOSED, CampaignStatus.UNDER_REVIEW):
        campaign_set_status(
            actor=None,
            campaign=run.campaign,
            new=CampaignStatus.SCORED,
            allowed_from=[run.campaign.status],
        )


def execute(run_id: int, chunk_size: int | None = None) -> None:
    """The whole run in this process: plan, every chunk, finish (tests, benchmarks, the demo)."""
    for chunk_id in plan(run_id, chunk_size) or []:
        chunk(run_id, chunk_id)
    finish(run_id)


# Watchdog ---------------------------------------------------------------------------------------


@dataclass
class Dispatch:
    """What the watchdog wants sent: planning tasks (run ids), chunk tasks ((run id, chunk id)),
    finish tasks (run ids)."""

    plans: list[int] = field(default_factory=list)
    chunks: list[tuple[int, int]] = field(default_factory=list)
    finishes: list[int] = field(default_factory=list)


def watchdog(now: datetime.datetime | None = None) -> Dispatch:
    """Keep every active run going (celery beat, every 15 seconds).

    - A run still queued after SCORING_QUEUE_GRACE_SECONDS is planned again (its task could not
      be sent, or was lost).
    - A running chunk that no transaction holds and that was claimed more than
      SCORING_LOST_SECONDS ago lost its worker: it is handed out again, or, once it lost
      SCORING_MAX_ATTEMPTS workers, fails the run with the reason.
    - A queued chunk whose message was lost is sent again: at once the first one of a run where
      nothing runs and nothing moved for SCORING_LOST_SECONDS, and every one still queued after
      SCORING_STALE_SECONDS (the broker lost its queue).
    - A run whose chunks are all done, that no finish holds and that gave no sign of life for
      SCORING_LOST_SECONDS, is finished again, or, after SCORING_MAX_ATTEMPTS starts of its
      finish, failed.

    Each hand-out is claimed by a conditional UPDATE, so two watchdogs at once send nothing twice.
    """
    now = now or timezone.now()
    dispatch = Dispatch()
    dispatch.plans = _queued_runs(now)
    dispatch.chunks = _lost_chunks(now) + _lost_messages(now)
    dispatch.finishes = _lost_finishes(now)
    return dispatch


def _ago(now: datetime.datetime, seconds: int) -> datetime.datetime:
    return now - datetime.timedelta(seconds=seconds)


def _queued_runs(now: datetime.datetime) -> list[int]:
    waiting = _ago(now, settings.SCORING_QUEUE_GRACE_SECONDS)
    queued = ScoringRun.objects.filter(status=RunStatus.QUEUED).filter(
        Q(heartbeat_at__lt=waiting) | Q(heartbeat_at__isnull=True, created_at__lt=waiting)
    )
    return [run.pk for run in queued if _touch_run(run, now, count=True)]


def _lost_chunks(now: datetime.datetime) -> list[tuple[int, int]]:
    silent = _ago(now, settings.SCORING_LOST_SECONDS)
    sent: list[tuple[int, int]] = []
    failed: set[int] = set()
    for lost in ScoringChunk.objects.filter(
        run__status=RunStatus.RUNNING, status=ChunkStatus.RUNNING, heartbeat_at__lt=silent
    ).order_by("run_id", "lo"):
        if lost.run_id in failed:
            continue
        with transaction.atomic():
            unheld = _unheld(ScoringChunk.objects.filter(pk=lost.pk, attempts=lost.attempts))
            if unheld.filter(status=ChunkStatus.RUNNING, heartbeat_at__lt=silent).first() is None:
                continue  # at work (its transaction holds it), or done meanwhile
            if lost.attempts >= settings.SCORING_MAX_ATTEMPTS:
                failed.add(lost.run_id)
                scoring_run_fail(lost.run_id, _gave_up(lost.attempts))
                continue
            ScoringChunk.objects.filter(pk=lost.pk).update(
                status=ChunkStatus.QUEUED, heartbeat_at=now
            )
            ScoringRun.objects.filter(pk=lost.run_id).update(heartbeat_at=now)  # it moves again
        sent.append((lost.run_id, lost.pk))
    return sent


def _lost_messages(now: datetime.datetime) -> list[tuple[int, int]]:
    """Queued chunks whose message was lost (a worker died holding it before its claim, or the
    broker lost its queue). A chunk may also just wait its turn, so a run that has something at
    work is left alone, and a stalled run gets one chunk at a time: a message sent in vain only
    finds its chunk taken."""
    silent = _ago(now, settings.SCORING_LOST_SECONDS)
    stale = _ago(now, settings.SCORING_STALE_SECONDS)
    sent: list[tuple[int, int]] = []
    for lost in ScoringChunk.objects.filter(
        run__status=RunStatus.RUNNING, status=ChunkStatus.QUEUED, heartbeat_at__lt=stale
    ).order_by("run_id", "lo"):
        if _touch_chunk(lost, now):
            sent.append((lost.run_id, lost.pk))
    waiting = ScoringChunk.objects.filter(status=ChunkStatus.QUEUED, heartbeat_at__lt=silent)
    at_work = ScoringChunk.objects.filter(status=ChunkStatus.RUNNING)
    stalled = ScoringRun.objects.filter(
        Exists(waiting.filter(run_id=OuterRef("pk"))),
        status=RunStatus.RUNNING,
        heartbeat_at__lt=silent,
    ).exclude(Exists(at_work.filter(run_id=OuterRef("pk"))))
    for run in stalled:
        first = waiting.filter(run=run).order_by("lo").first()
        if first is not None and _touch_run(run, now, count=False) and _touch_chunk(first, now):
            sent.append((run.pk, first.pk))
    return sent


def _lost_finishes(now: datetime.datetime) -> list[int]:
    silent = _ago(now, settings.SCORING_LOST_SECONDS)
    sent: list[int] = []
    unfinished = ScoringRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=silent)
    for run in unfinished.exclude(_undone_chunks()):
        with transaction.atomic():
            unheld = _unheld(ScoringRun.objects.filter(pk=run.pk, heartbeat_at=run.heartbeat_at))
            held = unheld.filter(status=RunStatus.RUNNING).first()
            if held is None:
                continue  # a finish at work holds it, or it is over
            if held.attempts >= settings.SCORING_MAX_ATTEMPTS:
                scoring_run_fail(run.pk, _gave_up(held.attempts))
                continue
            ScoringRun.objects.filter(pk=run.pk).update(heartbeat_at=now)
        sent.append(run.pk)
    return sent


def _unheld(rows: QuerySet[Row]) -> QuerySet[Row]:
    """Those of `rows` no transaction holds, locked for this one (on PostgreSQL; SQLite has one
    writer at a time, so a step at work there is never seen half done)."""
    return rows.select_for_update(skip_locked=True, no_key=True)


def _touch_chunk(chunk: ScoringChunk, now: datetime.datetime) -> bool:
    """Claim a queued chunk for one dispatch: only if nobody touched it since we read it."""
    return bool(
        ScoringChunk.objects.filter(
            pk=chunk.pk, status=ChunkStatus.QUEUED, heartbeat_at=chunk.heartbeat_at
        ).update(heartbeat_at=now)
    )


def _touch_run(run: ScoringRun, now: datetime.datetime, *, count: bool) -> bool:
    """Claim a run for one dispatch: only if nobody touched it since we read it. A planning
    task sent again counts as an attempt (the plan resets the count)."""
    attempts = F("attempts") + 1 if count else F("attempts")
    return bool(
        ScoringRun.objects.filter(
            pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
        ).update(heartbeat_at=now, attempts=attempts)
    )


def _gave_up(attempts: int) -> ValidationError:
    return ValidationError(
        _(
            "Máy xử lý đã dừng giữa chừng %(n)s lần ở cùng một phần việc; lượt chấm điểm không "
            "thể tiếp tục. Hãy kiểm tra máy xử lý (Celery worker) rồi chạy lại."
        )
        % {"n": attempts},
        code="gave_up",
    )
