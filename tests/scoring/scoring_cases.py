"""Hand-built campaigns for the scoring rules: a few lines per case, straight into the tables."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment, AssessmentItem, ReviewItem
from assessments.tallies import criterion_scores_refresh
from campaigns.models import Campaign, CampaignStatus, Checklist, Criterion, Enrolment
from tests.factories import BlockFactory, UnitFactory, UserFactory, kind

CLOSES = datetime.date(2026, 11, 30)


def on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


class Case:
    """A scoring scenario: criteria, units (with block), self scores and review scores."""

    def __init__(self, **settings: object) -> None:
        authority = UnitFactory(kind=kind("huyen"))
        self.checklist = Checklist.objects.create(name="t")
        self.campaign = Campaign.objects.create(
            code=f"S{authority.pk}",
            title="Chấm thử",
            authority=authority,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            window_opens_on=datetime.date(2026, 11, 1),
            window_closes_on=CLOSES,
            status=CampaignStatus.UNDER_REVIEW,
            checklist=self.checklist,
            **settings,
        )
        self.criteria: dict[str, Criterion] = {}
        self.units: dict[str, Enrolment] = {}
        self.blocks: dict[str, object] = {}

    def criterion(
        self,
        code: str,
        kind: str = "points",
        max_points: str = "10",
        critical: bool = False,
        parent: str | None = None,
    ) -> "Case":
        self.criteria[code] = Criterion.objects.create(
            checklist=self.checklist,
            code=code,
            title=code,
            kind=kind,
            max_points=Decimal(max_points),
            critical=critical,
            parent=self.criteria[parent] if parent else None,
        )
        return self

    def unit(
        self,
        name: str,
        scores: dict[str, str | None] | None = None,
        block: str | None = None,
        submitted: datetime.date | None = CLOSES,
    ) -> "Case":
        if block and block not in self.blocks:
            self.blocks[block] = BlockFactory(code=f"{block}-{self.campaign.pk}", name=block)
        unit = UnitFactory(name=name, parent=self.campaign.authority)
        enrolment = Enrolment.objects.create(
            campaign=self.campaign, unit=unit, block=self.blocks.get(block)
        )  # type: ignore[misc]
        self.units[name] = enrolment
        if scores is not None:
            assessment = Assessment.objects.create(
                enrolment=enrolment,
                status="submitted" if submitted else "draft",
                submitted_at=on(submitted) if submitted else None,
            )
            AssessmentItem.objects.bulk_create(
                [
                    AssessmentItem(
                        assessment=assessment,
                        criterion=self.criteria[code],
                        self_score=None if value is None else Decimal(value),
                    )
                    for code, value in scores.items()
                ]
            )
            # Written around the services, as a bulk load: the scores a run reads follow.
            criterion_scores_refresh([assessment.pk])
        return self

    def review(self, name: str, code: str, *scores: str, stage: int = 1) -> "Case":
        assessment = self.units[name].assessment
        for score in scores:
            ReviewItem.objects.create(
                assessment=assessment,
                criterion=self.criteria[code],
                stage=stage,
                reviewer=UserFactory(),
                score=Decimal(score),
            )
        # what review_save keeps beside the review rows
        criterion_scores_refresh([assessment.pk])
        Assessment.objects.filter(pk=assessment.pk, review_started_at__isnull=True).update(
            review_started_at=timezone.now()
        )
        return self
