"""Notifications: a row in the user's in-portal list, then an e-mail sent by a Celery task.

Rows are written in the caller's transaction and the e-mail task is enqueued only after the
commit, so a broker or mail server that is down loses nothing: `notifications_dispatch` (celery
beat) sends whatever is still unsent.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from units.models import Membership

from .models import Assessment, AssessmentStatus, Notification

MAX_EMAIL_ATTEMPTS = 8
REMINDER_DAYS = (3, 1)


def notify(
    *,
    users: Iterable[User],
    subject: str,
    body: str = "",
    url: str = "",
    campaign: Campaign | None = None,
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
                        campaign=campaign,
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
        from .tasks import notifications_email_task

        # robust: a broker that is down must not turn a saved decision into an error page;
        # the hourly dispatch sends what is still unsent.
        transaction.on_commit(lambda: notifications_email_task.delay(ids), robust=True)
    return created


def _unit_heads(unit_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__unit_id__in=list(unit_ids),
            memberships__role=Membership.Role.HEAD,
            is_active=True,
        ).distinct()
    )


def notify_assessment_decision(*, assessment: Assessment, accepted: bool) -> None:
    enrolment = assessment.enrolment
    campaign = enrolment.campaign
    if accepted:
        subject = _("Bản tự chấm điểm của %(unit)s đã được chấp nhận") % {"unit": enrolment.unit}
        body = campaign.title
    else:
        subject = _("Bản tự chấm điểm của %(unit)s bị trả lại") % {"unit": enrolment.unit}
        body = _("Lý do: %(reason)s") % {"reason": assessment.return_reason}
    notify(
        users=_unit_heads([enrolment.unit_id]),
        subject=subject,
        body=body,
        url=reverse("scoring:assessment", args=[assessment.enrolment_id]),
        campaign=campaign,
    )


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


def notifications_schedule(*, today: datetime.date) -> int:
    """Window-open notices and the reminders 3 and 1 days before the window closes.

    Keys make it safe to run as often as beat likes: each notice goes out once.
    """
    count = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.WINDOW_OPEN):
        enrolled = list(campaign.enrolments.values_list("unit_id", flat=True))
        url = reverse("scoring:my_assessments")
        count += len(
            notify(
                users=_unit_heads(enrolled),
                campaign=campaign,
                url=url,
                subject=_("Đã mở tự chấm điểm: %(title)s") % {"title": campaign.title},
                body=_("Hạn nộp: %(day)s")
                % {"day": campaign.window_closes_on.strftime("%d/%m/%Y")},
                dedupe=f"open:{campaign.pk}",
            )
        )
        days_left = (campaign.window_closes_on - today).days
        if days_left in REMINDER_DAYS:
            waiting = campaign.enrolments.exclude(
                Q(assessment__status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED])
            ).values_list("unit_id", flat=True)
            count += len(
                notify(
                    users=_unit_heads(waiting),
                    campaign=campaign,
                    url=url,
                    subject=_("Còn %(n)s ngày để nộp bản tự chấm điểm: %(title)s")
                    % {"n": days_left, "title": campaign.title},
                    dedupe=f"remind{days_left}:{campaign.pk}:{today.isoformat()}",
                )
            )
    return count


def notifications_unsent() -> list[int]:
    """Notifications still to e-mail (the safety net when the broker was down at commit)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=10)
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
