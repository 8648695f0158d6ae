"""Who may read or change an assessment, its evidence and its reviews.

A unit's head and staff work on their own unit's assessment (only the head submits); a council
member reviews what they are assigned at the assessment's current stage, never a unit they belong
to (recusal); the campaign's managers see everything of their campaigns. Until its first
submission an assessment is the unit's working copy: nobody outside the unit sees it, its items
or its evidence (`view_assessment`, `review_assessment`).
"""

import datetime

import rules
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CampaignStatus, Enrolment
from campaigns.rules import can_manage_campaign, sits_on_council
from units.rules import is_unit_head, is_unit_staff, user_head_unit_ids, user_unit_ids

from .models import Assessment, AssessmentStatus, ReviewAssignment

# Campaigns past every review: no score, return, acceptance or to-do any more.
REVIEW_ENDED = (CampaignStatus.CLOSED,)


def review_refusal(assessment: Assessment) -> tuple[str, str] | None:
    """Why the assessment takes no review score, return or acceptance now, with its code; None
    when it does. The services refuse with it, and the pages offer those steps only without it."""
    if assessment.enrolment.campaign.status in REVIEW_ENDED:
        return (
            _(
                "Phong trào đã kết thúc: không còn thẩm định, chấp nhận hay trả lại bản tự chấm "
                "điểm."
            ),
            "campaign_closed",
        )
    if assessment.status != AssessmentStatus.SUBMITTED:
        return _("Chỉ thẩm định bản đã nộp."), "not_submitted"
    return None


# A window reopened for one unit lets it write while the campaign is in one of these.
REOPENED_WRITABLE = (
    CampaignStatus.WINDOW_OPEN,
    CampaignStatus.WINDOW_CLOSED,
    CampaignStatus.UNDER_REVIEW,
)


def window_is_open(enrolment: Enrolment, today: datetime.date | None = None) -> bool:
    """The unit may still write: the campaign's window is open, or it was reopened for it."""
    today = today or timezone.localdate()
    campaign = enrolment.campaign
    if enrolment.reopened_until is not None and today <= enrolment.reopened_until:
        return campaign.status in REOPENED_WRITABLE
    return campaign.status == CampaignStatus.WINDOW_OPEN and today <= campaign.window_closes_on


def window_open_q(today: datetime.date) -> Q:
    """`window_is_open` as a filter of enrolments, case for case."""
    reopened = Q(reopened_until__gte=today)
    not_reopened = Q(reopened_until__isnull=True) | Q(reopened_until__lt=today)
    return (reopened & Q(campaign__status__in=REOPENED_WRITABLE)) | (
        not_reopened
        & Q(campaign__status=CampaignStatus.WINDOW_OPEN, campaign__window_closes_on__gte=today)
    )


@rules.predicate
def is_writable_now(user: User, assessment: Assessment) -> bool:
    """A draft or returned assessment whose window is open for its unit."""
    return assessment.is_editable and window_is_open(assessment.enrolment)


@rules.predicate
def is_member_of_assessed_unit(user: User, assessment: Assessment) -> bool:
    return assessment.enrolment.unit_id in user_unit_ids(user)


@rules.predicate
def is_head_of_assessed_unit(user: User, assessment: Assessment) -> bool:
    return assessment.enrolment.unit_id in user_head_unit_ids(user)


@rules.predicate
def manages_assessment_campaign(user: User, assessment: Assessment) -> bool:
    return bool(can_manage_campaign(user, assessment.enrolment.campaign))


def is_assigned_reviewer(user: User, assessment: Assessment, stage: int | None = None) -> bool:
    """Assigned to the unit or its block at `stage` (default: the assessment's current stage),
    and not a member of the unit."""
    enrolment = assessment.enrolment
    if not user.is_authenticated or enrolment.unit_id in user_unit_ids(user):
        return False
    scope = Q(unit_id=enrolment.unit_id)
    if enrolment.block_id is not None:
        scope |= Q(block_id=enrolment.block_id)
    return ReviewAssignment.objects.filter(
        scope,
        campaign_id=enrolment.campaign_id,
        reviewer=user,
        stage=assessment.review_stage if stage is None else stage,
    ).exists()


@rules.predicate
def was_submitted(user: User, assessment: Assessment) -> bool:
    return assessment.was_submitted


@rules.predicate
def reviews_assessment(user: User, assessment: Assessment) -> bool:
    return is_assigned_reviewer(user, assessment)


@rules.predicate
def reviewed_assessment_before(user: User, assessment: Assessment) -> bool:
    """Any stage: a first-stage reviewer may still read what they reviewed."""
    return any(
        is_assigned_reviewer(user, assessment, stage)
        for stage in range(1, assessment.enrolment.campaign.review_stages + 1)
    )


can_edit_assessment = (is_unit_head | is_unit_staff) & is_member_of_assessed_unit  # type: ignore[operator]
can_submit_assessment = is_unit_head & is_head_of_assessed_unit

rules.add_perm("assessments.edit_assessment", can_edit_assessment)
# The one "may write" rule of the pages: the unit's own people, an editable assessment, an open
# window. The services check the same pieces and say which one failed.
rules.add_perm("assessments.write_assessment", can_edit_assessment & is_writable_now)
rules.add_perm("assessments.submit_assessment", can_submit_assessment)
rules.add_perm("assessments.review_assessment", was_submitted & reviews_assessment)
# The page, its items and its evidence: the unit's own people always; its managers and reviewers
# from the first submission on.
rules.add_perm(
    "assessments.view_assessment",
    is_member_of_assessed_unit
    | (was_submitted & (manages_assessment_campaign | reviewed_assessment_before)),
)

rules.add_perm("scoring.view_rankings", can_manage_campaign | sits_on_council)
