"""Periodic work on self-assessments (celery beat)."""

from celery import shared_task
from django.utils import timezone

from . import notices


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def assessment_notices_task() -> int:
    """Hourly: window-open notices and the 3- and 1-day reminders; each goes out once."""
    return notices.assessment_notices_send(today=timezone.localdate())
