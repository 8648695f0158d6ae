"""Celery tasks for campaigns: thin wrappers that load ids and call a service."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def campaigns_advance_windows_task() -> int:
    """Open and close self-assessment windows by date (celery beat, hourly). Safe to run twice."""
    return services.campaigns_advance_windows(today=timezone.localdate())
