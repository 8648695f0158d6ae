"""E-mail of notifications: thin, idempotent, enqueued after the commit."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=services.MAX_EMAIL_ATTEMPTS,
    soft_time_limit=120,
    time_limit=180,
)
def notifications_email_task(notification_ids: list[int]) -> int:
    """E-mail these notifications; a mail server that is down makes the task retry later."""
    return services.notifications_email(notification_ids)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def notifications_unsent_task() -> int:
    """Hourly (celery beat): e-mail whatever is still unsent (the broker was down at commit)."""
    unsent = services.notifications_unsent()
    if unsent:
        notifications_email_task.delay(unsent)
    return len(unsent)
