"""Notices about self-assessments: decisions, the window opening, the reminders before it closes."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from notifications.services import notify
from units.selectors import unit_heads

from .models import Assessment, AssessmentStatus

REMINDER_DAYS = (3, 1)


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
        users=unit_heads([enrolment.unit_id]),
        subject=subject,
        body=body,
        url=reverse("assessments:assessment", args=[assessment.enrolment_id]),
    )


def assessment_notices_send(*, today: datetime.date) -> int:
    """Window-open notices and the reminders 3 and 1 days before the window closes.

    Keys make it safe to run as often as beat likes: each notice goes out once.
    """
    count = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.WINDOW_OPEN):
        enrolled = list(campaign.enrolments.values_list("unit_id", flat=True))
        url = reverse("assessments:my_assessments")
        count += len(
            notify(
                users=unit_heads(enrolled),
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
                    users=unit_heads(waiting),
                    url=url,
                    subject=_("Còn %(n)s ngày để nộp bản tự chấm điểm: %(title)s")
                    % {"n": days_left, "title": campaign.title},
                    dedupe=f"remind{days_left}:{campaign.pk}:{today.isoformat()}",
                )
            )
    return count
