"""Celery tasks for scoring runs: thin, idempotent, enqueued after the commit.

Each step of a run (`pipeline.py`) is safe to run twice, so a message the broker delivers again
(a worker killed, the visibility timeout) does no harm; the watchdog, on celery beat every 15
seconds, sends again what a vanished worker or a broker that was down left undone.
"""

import logging
from typing import Any

from billiard.exceptions import TimeLimitExceeded, WorkerLostError
from celery import Task, shared_task
from django.conf import settings
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, CampaignStatus

from . import exports, pipeline, services

logger = logging.getLogger(__name__)


class ScoringTask(Task):  # type: ignore[type-arg]
    """Marks the run failed when a task fails for good (errors, time limits)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):  # type: ignore[no-untyped-def]
        services.scoring_run_fail(args[0], exc)


# Every step: acknowledged once done, put back if its worker is lost, limited in time (the
# broker's visibility timeout is longer). A whole worker killed takes its messages with it until
# that timeout: the watchdog hands their work out again (SCORING_LOST_SECONDS).
STEP: dict[str, Any] = {
    "base": ScoringTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.SCORING_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.SCORING_TASK_TIME_LIMIT,
}


@shared_task(**STEP)
def scoring_run_task(run_id: int, chunk_size: int | None = None) -> None:
    """Plan a run and hand out its chunks. A redelivered message finds the run planned: no-op."""
    for chunk_id in pipeline.plan(run_id, chunk_size) or []:
        scoring_chunk_task.delay(run_id, chunk_id)


@shared_task(**STEP)
def scoring_chunk_task(run_id: int, chunk_id: int) -> None:
    """One chunk, done once; whoever sees every chunk done sends the finish (which runs once)."""
    if pipeline.chunk(run_id, chunk_id):
        scoring_finish_task.delay(run_id)


@shared_task(**STEP)
def scoring_finish_task(run_id: int) -> None:
    pipeline.finish(run_id)


@shared_task(acks_late=True, soft_time_limit=45, time_limit=55)
def scoring_watchdog_task() -> dict[str, int]:
    """Send again what runs left undone (celery beat, every 15 s): see `pipeline.watchdog`."""
    dispatch = pipeline.watchdog()
    for run_id in dispatch.plans:
        scoring_run_task.delay(run_id)
    for run_id, chunk_id in dispatch.chunks:
        scoring_chunk_task.delay(run_id, chunk_id)
    for run_id in dispatch.finishes:
        scoring_finish_task.delay(run_id)
    sent = {
        "plans": len(dispatch.plans),
        "chunks": len(dispatch.chunks),
        "finishes": len(dispatch.finishes),
    }
    if any(sent.values()):
        logger.warning("scoring watchdog sent again: %s", sent)
    return sent


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def scoring_nightly_task() -> int:
    """Recompute every campaign under review (celery beat, nightly)."""
    started = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.UNDER_REVIEW):
        try:
            services.scoring_run_start(actor=None, campaign=campaign)
            started += 1
        except ValidationError:
            continue
    return started


class ExportTask(Task):  # type: ignore[type-arg]
    """Marks the export failed when its process was killed (a hard time limit, a lost worker):
    an error inside the build is marked there already, only while the build still holds its
    claim (`export_job_build`), so a late failure never fails a job the watchdog handed on."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):  # type: ignore[no-untyped-def]
        if isinstance(exc, TimeLimitExceeded | WorkerLostError):
            exports.export_job_fail(args[0], exc)


@shared_task(
    base=ExportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.SCORING_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.SCORING_TASK_TIME_LIMIT,
)
def scoring_export_task(job_id: int) -> None:
    """Write a results file (PDF, .xlsx). A redelivered message finds the job taken: no-op."""
    exports.export_job_build(job_id)


@shared_task(acks_late=True, soft_time_limit=45, time_limit=55)
def scoring_exports_task() -> dict[str, int]:
    """Send again the exports left waiting and remove week-old files (celery beat, every minute)."""
    sent = exports.export_jobs_watchdog()
    for job_id in sent:
        scoring_export_task.delay(job_id)
    removed = exports.export_jobs_clean()
    if sent:
        logger.warning("export watchdog sent again: %s", sent)
    return {"sent": len(sent), "removed": removed}
