"""What each role has to do next, for the home page. Each read is one query whatever the number of
campaigns or units (the home page's cost is fixed: tests/test_home.py)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from assessments.models import AssessmentStatus
from assessments.selectors import review_queue
from campaigns.models import Campaign, CampaignStatus, Enrolment, Registration
from campaigns.selectors import campaigns_for_user, council_campaign_ids
from units.rules import user_unit_ids
from units.selectors import unit_subtree
from votes.models import CouncilSession, SessionStatus

ACTIVE = [
    CampaignStatus.DRAFT,
    CampaignStatus.LAUNCHED,
    CampaignStatus.WINDOW_OPEN,
    CampaignStatus.WINDOW_CLOSED,
    CampaignStatus.UNDER_REVIEW,
    CampaignStatus.SCORED,
    CampaignStatus.PUBLISHED,
]


def _status_count(status: str) -> Count:
    return Count("enrolments", filter=Q(enrolments__assessment__status=status))


def managed_campaigns(user: User | AnonymousUser, limit: int = 20) -> QuerySet[Campaign]:
    """The manager's campaigns still under way, each with its assessments counted by state."""
    managed = campaigns_for_user(user).filter(status__in=ACTIVE)
    if not user.is_superuser:  # type: ignore[union-attr]
        managed = managed.filter(authority__in=unit_subtree(user_unit_ids(user)).values("pk"))
    return (
        Campaign.objects.filter(pk__in=managed.values("pk"))
        .annotate(
            units=Count("enrolments"),
            not_started=Count("enrolments", filter=Q(enrolments__assessment__isnull=True)),
            drafting=_status_count(AssessmentStatus.DRAFT),
            submitted=_status_count(AssessmentStatus.SUBMITTED),
            returned=_status_count(AssessmentStatus.RETURNED),
            reviewed=_status_count(AssessmentStatus.ACCEPTED),
        )
        .order_by("window_closes_on", "code")[:limit]
    )


def next_step(campaign: Campaign) -> str:
    """The manager's next step in a campaign's life (docs/domain.md, "Life of a campaign")."""
    steps = {
        CampaignStatus.DRAFT: _("Soạn bộ tiêu chí, thêm đơn vị rồi phát động."),
        CampaignStatus.LAUNCHED: _("Mở tự chấm điểm cho các đơn vị."),
        CampaignStatus.WINDOW_OPEN: _("Theo dõi tiến độ; đóng tự chấm điểm khi hết hạn."),
        CampaignStatus.WINDOW_CLOSED: _("Bắt đầu thẩm định."),
        CampaignStatus.UNDER_REVIEW: _("Chờ Hội đồng thẩm định xong, rồi tính điểm."),
        CampaignStatus.SCORED: _("Xem kết quả và công bố."),
        CampaignStatus.PUBLISHED: _("Họp Hội đồng xét khen thưởng, rồi kết thúc phong trào."),
    }
    return str(steps.get(campaign.status, ""))  # type: ignore[call-overload]


def deadline(campaign: Campaign) -> datetime.date:
    """The date that matters now: the window's opening, its close, or the campaign's end."""
    if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED):
        return campaign.window_opens_on
    if campaign.status == CampaignStatus.WINDOW_OPEN:
        return campaign.window_closes_on
    return campaign.ends_on


@dataclass
class DueItem:
    enrolment: Enrolment
    what: str
    due: datetime.date | None
    days_left: int | None
    url_name: str  # "assessment" or "registration"


def unit_due_items(user: User | AnonymousUser, today: datetime.date) -> list[DueItem]:
    """The unit head's open tasks: self-assessments to write or resend, registrations to send."""
    unit_ids = user_unit_ids(user)
    if not unit_ids:
        return []
    writable = Q(campaign__status=CampaignStatus.WINDOW_OPEN) | Q(reopened_until__gte=today)
    registering = Q(
        campaign__status__in=[
            CampaignStatus.DRAFT,
            CampaignStatus.LAUNCHED,
            CampaignStatus.WINDOW_OPEN,
        ]
    )
    enrolments = (
        Enrolment.objects.filter(unit_id__in=unit_ids)
        .filter(writable | registering)
        .exclude(campaign__status=CampaignStatus.CLOSED)
        .select_related("campaign", "unit", "assessment", "registration")
        .order_by("campaign__window_closes_on", "campaign__code", "unit__name")
    )
    items = []
    for enrolment in enrolments:
        items += _due_of(enrolment, today)
    return items


def _due_of(enrolment: Enrolment, today: datetime.date) -> list[DueItem]:
    campaign = enrolment.campaign
    items = []
    registration: Registration | None = getattr(enrolment, "registration", None)
    if campaign.status in (
        CampaignStatus.DRAFT,
        CampaignStatus.LAUNCHED,
        CampaignStatus.WINDOW_OPEN,
    ):
        if registration is None:
            items.append((_("Gửi đăng ký thi đua"), "registration"))
        elif registration.status == Registration.Status.RETURNED:
            items.append((_("Sửa và gửi lại đăng ký thi đua (bị trả lại)"), "registration"))
    assessment = getattr(enrolment, "assessment", None)
    reopened = enrolment.reopened_until is not None and enrolment.reopened_until >= today
    if campaign.status == CampaignStatus.WINDOW_OPEN or reopened:
        if assessment is None or assessment.status == AssessmentStatus.DRAFT:
            items.append((_("Tự chấm điểm và nộp"), "assessment"))
        elif assessment.status == AssessmentStatus.RETURNED:
            items.append((_("Sửa và nộp lại bản tự chấm điểm (bị trả lại)"), "assessment"))
    due = enrolment.submission_deadline
    return [
        DueItem(
            enrolment=enrolment,
            what=str(what),
            due=due,
            days_left=(due - today).days,
            url_name=url_name,
        )
        for what, url_name in items
    ]


def council_sessions(user: User | AnonymousUser, limit: int = 10) -> QuerySet[CouncilSession]:
    """Sessions not yet closed of the campaigns whose council the user sits on."""
    return (
        CouncilSession.objects.filter(campaign_id__in=council_campaign_ids(user))
        .exclude(status=SessionStatus.CLOSED)
        .select_related("campaign")
        .order_by("held_on", "pk")[:limit]
    )


def council_queue(user: User | AnonymousUser) -> list:  # type: ignore[type-arg]
    return review_queue(user) if user.is_authenticated else []  # type: ignore[arg-type]
