"""Notifications: a row in the user's in-portal list, then an e-mail sent by a Celery task.

Rows are written in the caller's transaction and the e-mail task is enqueued only after the
commit, so a broker or mail server that is down loses nothing: `notifications_dispatch_task` (celery
beat) sends whatever is still unsent.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.queue import enqueue_on_commit

from .models import Notification

MAX_EMAIL_ATTEMPTS = 8


def notify(
    *,
    users: Iterable[User],
    subject: str,
    body: str = "",
    url: str = "",
    dedupe: str | None = None,
) -> list[Notification]:
    """Create one notification per user; e-mail them after the surrounding transaction commits.

    With `dedupe`, a user who already has a notification with that key gets no second one.
    """
    created = []
    for user in users:
        key = f"{dedupe}:{user.pk}" if dedupe else None
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user,
                        subject=subject,
                        body=body,
                        url=url,
                        dedupe_key=key,
                    )
                )
        except IntegrityError:
            continue  # already notified under this key
    ids = [n.pk for n in created]
    if ids:
        # A broker that is down must not turn a saved decision into an error page;
        # the hourly dispatch sends what is still unsent.
        enqueue_on_commit("notifications.tasks.notifications_email_task", ids)
    return created


def notifications_email(notification_ids: Iterable[int]) -> int:
    """E-mail each unsent notification; a failure leaves it unsent for the next attempt."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=list(notification_ids),
        emailed_at__isnull=True,
        email_attempts__lt=MAX_EMAIL_ATTEMPTS,
    )
    for notification in pending.select_related("user"):
        Notification.objects.filter(pk=notification.pk).update(
            email_attempts=notification.email_attempts + 1
        )
        if not notification.user.email:
            continue
        link = f"\n\n{settings.PORTAL_URL}{notification.url}" if notification.url else ""
        send_mail(
            notification.subject,
            f"{notification.body}{link}",
            settings.DEFAULT_FROM_EMAIL,
            [notification.user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notifications_unsent() -> list[int]:
    """Notifications still to e-mail (the safety net when the broker was down at commit)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=10)
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )


def notifications_mark_read(*, actor: User) -> int:
    """Mark every unread notice of the acting user as read."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
