"""Hand-built campaigns for the scoring rules: a few lines per case; the scores go in through the
bulk service, which keeps the stored per-criterion scores current."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment
from assessments.services import ReviewScoreRow, SelfScoreRow, assessment_scores_bulk_set
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
            assessment_scores_bulk_set(
                actor=None,
                campaign=self.campaign,
                self_scores=[
                    SelfScoreRow(
                        assessment.pk,
                        self.criteria[code].pk,
                        None if value is None else Decimal(value),
                    )
                    for code, value in scores.items()
                ],
            )
        return self

    def review(self, name: str, code: str, *scores: str, stage: int = 1) -> "Case":
        assessment = self.units[name].assessment
        assessment_scores_bulk_set(
            actor=None,
            campaign=self.campaign,
            reviews=[
                ReviewScoreRow(
                    assessment.pk, self.criteria[code].pk, UserFactory().pk, stage, Decimal(score)
                )
                for score in scores
            ],
        )
        return self
