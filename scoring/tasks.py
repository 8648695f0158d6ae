"""Celery tasks for scoring: thin, idempotent, enqueued after the commit."""

from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus

from . import notifications, runs


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=notifications.MAX_EMAIL_ATTEMPTS,
    soft_time_limit=120,
    time_limit=180,
)
def notifications_email_task(notification_ids: list[int]) -> int:
    """E-mail these notifications; a mail server that is down makes the task retry later."""
    return notifications.notifications_email(notification_ids)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def notifications_dispatch_task() -> int:
    """Hourly (celery beat): window notices, reminders, and e-mails left unsent."""
    scheduled = notifications.notifications_schedule(today=timezone.localdate())
    unsent = notifications.notifications_unsent()
    if unsent:
        notifications_email_task.delay(unsent)
    return scheduled


class ScoringTask(Task):  # type: ignore[type-arg]
    """Marks the run failed when a task fails for good (errors, time limits)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):  # type: ignore[no-untyped-def]
        runs.scoring_run_fail(args[0], exc)


@shared_task(
    base=ScoringTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def scoring_run_task(run_id: int, chunk_size: int | None = None) -> None:
    """Plan a run and hand out its chunks. Redelivered after a worker crash, it starts over."""
    runs.scoring_run_execute(run_id, chunk_size)


@shared_task(
    base=ScoringTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def scoring_chunk_task(run_id: int, lo: int, hi: int, inputs: dict[str, Any]) -> None:
    runs.scoring_chunk_compute(run_id, lo, hi, inputs)


@shared_task(
    base=ScoringTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def scoring_finish_task(run_id: int, inputs: dict[str, Any]) -> None:
    runs.scoring_run_finish(run_id, inputs)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def scoring_nightly_task() -> int:
    """Recompute every campaign under review (celery beat, nightly)."""
    started = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.UNDER_REVIEW):
        try:
            runs.scoring_run_start(actor=None, campaign=campaign)
            started += 1
        except ValidationError:
            continue
    return started
