"""Reads for the self-assessment and review pages: each page in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.calendar import campaign_window_advance, campaigns_advance_windows
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Criterion,
    CriterionKind,
    Enrolment,
    Registration,
)
from campaigns.rules import registration_is_open, registration_open_q
from campaigns.selectors import checklist_rows
from units.rules import user_unit_ids

from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentItem,
    AssessmentStatus,
    AssessmentSubmission,
    Evidence,
    ReviewAssignment,
)
from .rules import REVIEW_ENDED, window_is_open, window_open_q
from .scores import parse_score


@dataclass
class AssessmentRow:
    """One line of the checklist form: the criterion, the unit's entry, its files and reviews."""

    criterion: Criterion
    depth: int
    is_section: bool
    item: AssessmentItem | None = None
    evidence: list[Evidence] = field(default_factory=list)
    reviews: list = field(default_factory=list)  # type: ignore[type-arg]

    @property
    def self_score(self) -> Decimal | None:
        return self.item.self_score if self.item else None

    @property
    def note(self) -> str:
        return self.item.note if self.item else ""

    @property
    def sign(self) -> int:
        return -1 if self.criterion.kind == CriterionKind.DEDUCTION else 1


def enrolment_for_page(enrolment_id: int) -> Enrolment | None:
    """The enrolment for its assessment's pages, its campaign in the status the window's dates
    call for today (as `campaigns.selectors.campaign_get` gives a campaign's pages)."""
    enrolment = (
        Enrolment.objects.select_related("campaign", "campaign__checklist", "unit", "block")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is not None:
        campaign_window_advance(campaign=enrolment.campaign)
    return enrolment


def assessment_rows(
    assessment: Assessment, *, with_entries: bool = True, with_reviews: bool = False
) -> list[AssessmentRow]:
    """The checklist in tree order with the unit's scores, notes, files (and reviews). Without
    entries, the checklist alone (one query): what a posted form is checked against."""
    campaign = assessment.enrolment.campaign
    rows = checklist_rows(campaign.checklist)
    if assessment.pk is None or not (with_entries or with_reviews):  # nothing saved yet
        return [AssessmentRow(row.criterion, row.depth, row.is_section) for row in rows]
    items = {item.criterion_id: item for item in assessment.items.all()}
    files: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in Evidence.objects.filter(item__assessment=assessment).select_related("item"):
        files[evidence.item.criterion_id].append(evidence)
    reviews: dict[int, list] = defaultdict(list)  # type: ignore[type-arg]
    if with_reviews:
        for review in assessment.reviews.select_related("reviewer").order_by("stage", "pk"):
            reviews[review.criterion_id].append(review)
    return [
        AssessmentRow(
            row.criterion,
            row.depth,
            row.is_section,
            items.get(row.criterion.pk),
            files.get(row.criterion.pk, []),
            reviews.get(row.criterion.pk, []),
        )
        for row in rows
    ]


@dataclass
class CriterionChange:
    """What the unit changed in one criterion between two submissions: the score and the note as
    (before, after), None when unchanged; the files added and removed, by name."""

    criterion: Criterion
    score: tuple[str, str] | None = None
    note: tuple[str, str] | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.score or self.note or self.added or self.removed)


@dataclass(frozen=True)
class Resubmission:
    """The latest submission after an earlier one: why it came back, and what changed since."""

    latest: AssessmentSubmission
    previous: AssessmentSubmission
    returned: AssessmentEvent | None
    changes: list[CriterionChange]


def resubmission(assessment: Assessment, rows: list[AssessmentRow]) -> Resubmission | None:
    """The latest submission's changes since the one before, read from the history rows written
    between the two submissions' versions (net: 7 → 9 → 7 is no change), in the order of `rows`;
    None before a second submission. Two queries."""
    if assessment.pk is None:
        return None
    submissions = list(assessment.submissions.select_related("actor").order_by("-number")[:2])
    if len(submissions) < 2:
        return None
    latest, previous = submissions
    events = list(
        assessment.events.filter(version__gt=previous.version, version__lte=latest.version)
        .select_related("actor")
        .order_by("pk")
    )
    returns = [
        e for e in events if e.field == "status" and e.new_value == AssessmentStatus.RETURNED
    ]
    changes = {row.criterion.pk: CriterionChange(row.criterion) for row in rows}
    firsts: dict[tuple[int, str], str] = {}
    lasts: dict[tuple[int, str], str] = {}
    for event in events:
        change = changes.get(event.criterion_id)  # type: ignore[arg-type]
        if change is None:
            continue
        if event.field in ("self_score", "note"):
            firsts.setdefault((change.criterion.pk, event.field), event.old_value)
            lasts[(change.criterion.pk, event.field)] = event.new_value
        elif event.field == "evidence":
            _evidence_change(change, event)
    for (criterion_id, name), before in firsts.items():
        after = lasts[(criterion_id, name)]
        if name == "self_score" and parse_score(before) != parse_score(after):
            changes[criterion_id].score = (before, after)
        elif name == "note" and before != after:
            changes[criterion_id].note = (before, after)
    return Resubmission(
        latest, previous, returns[-1] if returns else None, [c for c in changes.values() if c]
    )


def _evidence_change(change: CriterionChange, event: AssessmentEvent) -> None:
    """A file added then removed between the two submissions cancels out (and the other way)."""
    if event.new_value:  # added
        if event.new_value in change.removed:
            change.removed.remove(event.new_value)
        else:
            change.added.append(event.new_value)
    elif event.old_value:  # removed
        if event.old_value in change.added:
            change.added.remove(event.old_value)
        else:
            change.removed.append(event.old_value)


def my_enrolments(user: User) -> QuerySet[Enrolment]:
    """The user's units' enrolments in campaigns that are past their launch."""
    return (
        Enrolment.objects.filter(unit_id__in=user_unit_ids(user))
        .exclude(campaign__status=CampaignStatus.DRAFT)
        .select_related("campaign", "unit", "assessment")
        .order_by("-campaign__window_closes_on", "unit__name")
    )


def my_assessments_today(
    user: User, today: datetime.date
) -> list[tuple[Enrolment, Assessment | None, bool]]:
    """The rows of "Tự chấm điểm của đơn vị": each of the user's enrolments, its assessment (None
    before the first save) and whether the unit may write it today. The calendar first moves
    every campaign whose window's dates call for it (without beat: one query when none is due),
    as `campaigns.selectors.campaigns_for_user_today` does, so a window opening or closing today
    shows so."""
    campaigns_advance_windows(today=today)
    return [
        (enrolment, getattr(enrolment, "assessment", None), window_is_open(enrolment))
        for enrolment in my_enrolments(user)
    ]


def review_queue(user: User) -> list[Assessment]:
    """Submitted assessments the user is assigned to at their current stage, minus own units."""
    assignments = list(ReviewAssignment.objects.filter(reviewer=user))
    if not assignments:
        return []
    scope = Q()
    for assignment in assignments:
        target = (
            Q(enrolment__unit_id=assignment.unit_id)
            if assignment.unit_id
            else Q(enrolment__block_id=assignment.block_id)
        )
        scope |= target & Q(
            enrolment__campaign_id=assignment.campaign_id, review_stage=assignment.stage
        )
    return list(
        Assessment.objects.filter(scope, status=AssessmentStatus.SUBMITTED)
        .exclude(enrolment__unit_id__in=user_unit_ids(user))
        .exclude(enrolment__campaign__status__in=REVIEW_ENDED)  # no to-do outlives its campaign
        .select_related("enrolment__campaign", "enrolment__unit", "enrolment__block")
        .order_by("enrolment__campaign__code", "enrolment__unit__name")
    )


PROGRESS_LABELS = {
    "not_started": _("Chưa bắt đầu"),
    "draft": _("Đang soạn"),
    "submitted": _("Đã nộp"),
    "under_review": _("Đang thẩm định"),
    "returned": _("Bị trả lại"),
    "accepted": _("Đã chấp nhận"),
}


def assessment_progress(
    campaign: Campaign, today: datetime.date | None = None
) -> QuerySet[Enrolment]:
    """Per unit, in SQL: `state` (not started, draft, submitted, under review, returned, accepted)
    and `late` (the rule of `Enrolment.submitted_on_time`), so a page reads 50 rows of 10,000."""
    today = today or timezone.localdate()
    state = Case(
        When(assessment__isnull=True, then=Value("not_started")),
        When(
            assessment__status=AssessmentStatus.SUBMITTED,
            assessment__review_started_at__isnull=False,
            then=Value("under_review"),
        ),
        default=F("assessment__status"),
        output_field=CharField(),
    )
    return (
        Enrolment.objects.filter(campaign=campaign)
        .with_lateness(today)
        .annotate(state=state)
        .select_related("unit", "block", "assessment")
        .order_by("block__code", "unit__name", "pk")
    )


def progress_summary(rows: QuerySet[Any]) -> tuple[list[tuple[str, int]], int]:
    """The count of each state and of late units (`rows` from `assessment_progress`), in one
    aggregate query: a unit's state (and its review lookup) is worked out once."""
    counts: dict[str, int] = defaultdict(int)
    late = 0
    for state, is_late, n in rows.order_by().values_list("state", "late").annotate(n=Count("pk")):
        counts[state] += n
        late += n if is_late else 0
    return [(str(label), counts[state]) for state, label in PROGRESS_LABELS.items()], late


# The home page ---------------------------------------------------------------------------------


def _status_count(status: str) -> Count:
    return Count("enrolments", filter=Q(enrolments__assessment__status=status))


def campaigns_with_assessment_counts(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """The campaigns, each with its units and their assessments counted by state (one query),
    the next window's close first."""
    return campaigns.annotate(
        units=Count("enrolments"),
        not_started=Count("enrolments", filter=Q(enrolments__assessment__isnull=True)),
        drafting=_status_count(AssessmentStatus.DRAFT),
        submitted=_status_count(AssessmentStatus.SUBMITTED),
        returned=_status_count(AssessmentStatus.RETURNED),
        reviewed=_status_count(AssessmentStatus.ACCEPTED),
    ).order_by("window_closes_on", "code")


@dataclass
class DueItem:
    enrolment: Enrolment
    what: str
    due: datetime.date | None
    days_left: int | None
    url_name: str  # "assessment" or "registration"


def unit_due_items(user: User, today: datetime.date) -> list[DueItem]:
    """The unit head's open tasks: registrations to send (`campaigns.rules.registration_is_open`)
    and self-assessments to write or resend (`rules.window_is_open`), in one query."""
    unit_ids = user_unit_ids(user)
    if not unit_ids:
        return []
    enrolments = (
        Enrolment.objects.filter(unit_id__in=unit_ids)
        .filter(window_open_q(today) | registration_open_q("campaign__"))
        .select_related("campaign", "unit", "assessment", "registration")
        .order_by("campaign__window_closes_on", "campaign__code", "unit__name")
    )
    items = []
    for enrolment in enrolments:
        items += _due_of(enrolment, today)
    return items


def _due_of(enrolment: Enrolment, today: datetime.date) -> list[DueItem]:
    items = []
    registration: Registration | None = getattr(enrolment, "registration", None)
    if registration_is_open(enrolment.campaign):
        if registration is None:
            items.append((_("Gửi đăng ký thi đua"), "registration"))
        elif registration.status == Registration.Status.RETURNED:
            items.append((_("Sửa và gửi lại đăng ký thi đua (bị trả lại)"), "registration"))
    assessment = getattr(enrolment, "assessment", None)
    if window_is_open(enrolment, today):
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
