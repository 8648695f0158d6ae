"""Celery tasks for scoring runs: thin, idempotent, enqueued after the commit."""

from typing import Any

from celery import Task, shared_task
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, CampaignStatus

from . import pipeline, services


class ScoringTask(Task):  # type: ignore[type-arg]
    """Marks the run failed when a task fails for good (errors, time limits)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):  # type: ignore[no-untyped-def]
        services.scoring_run_fail(args[0], exc)


@shared_task(
    base=ScoringTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def scoring_run_task(run_id: int, chunk_size: int | None = None) -> None:
    """Plan a run and hand out its chunks. Redelivered after a worker crash, it starts over."""
    planned = pipeline.plan(run_id, chunk_size)
    if planned is None:
        return  # finished already: a redelivered message does nothing
    for lo, hi in planned.chunks:
        scoring_chunk_task.delay(run_id, lo, hi, planned.message)


@shared_task(
    base=ScoringTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def scoring_chunk_task(run_id: int, lo: int, hi: int, inputs: dict[str, Any]) -> None:
    if pipeline.chunk(run_id, lo, hi, inputs):
        scoring_finish_task.delay(run_id, inputs)


@shared_task(
    base=ScoringTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def scoring_finish_task(run_id: int, inputs: dict[str, Any]) -> None:
    pipeline.finish(run_id, inputs)


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
