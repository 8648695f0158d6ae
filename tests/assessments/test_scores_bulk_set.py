"""Scores loaded in bulk (`assessment_scores_bulk_set`, for the load generator and the test cases)
keep the stored per-criterion scores, the assessments' versions and history, and the campaign's
scores version current by themselves."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from assessments.models import AssessmentEvent, AssessmentItem, CriterionScore, ReviewItem
from assessments.services import ReviewScoreRow, SelfScoreRow, assessment_scores_bulk_set
from assessments.tallies import criterion_scores_drift
from campaigns.models import Campaign
from tests.assessments.conftest import World, build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def scores_version(world: World) -> int:
    return Campaign.objects.get(pk=world.campaign.pk).scores_version


def load(world: World, self_scores: dict[str, str], reviews: dict[str, str], **kw: object):  # type: ignore[no-untyped-def]
    assessment = world.assessment()
    return assessment_scores_bulk_set(
        actor=kw.get("actor", world.manager),
        campaign=world.campaign,
        self_scores=[
            SelfScoreRow(assessment.pk, world.criterion(code).pk, Decimal(value))
            for code, value in self_scores.items()
        ],
        reviews=[
            ReviewScoreRow(
                assessment.pk, world.criterion(code).pk, world.reviewer.pk, 1, Decimal(v)
            )
            for code, v in reviews.items()
        ],
    )


def stored(world: World) -> dict[str, tuple[int | None, int | None, int]]:
    return {
        row.criterion.code: (row.self_cents, row.review_cents, row.reviewers)
        for row in CriterionScore.objects.filter(assessment=world.assessment()).select_related(
            "criterion"
        )
    }


def test_a_load_keeps_the_stored_scores_and_writes_one_history_line(world: World) -> None:
    version, before = scores_version(world), world.assessment().version

    counts = load(world, {"1.1": "8", "1.2": "5"}, {"1.1": "7"})

    assert counts == {"created:assessmentitem": 2, "created:reviewitem": 1}
    assert stored(world) == {"1.1": (800, 700, 1), "1.2": (500, None, 0)}
    assert criterion_scores_drift(world.campaign.pk) == 0
    assert scores_version(world) == version + 1  # once for the load
    assessment = world.assessment()
    assert assessment.version == before + 1 and assessment.review_started_at is not None
    event = AssessmentEvent.objects.get(assessment=assessment)
    assert (event.actor, event.field, event.version) == (world.manager, "scores_loaded", before + 1)
    assert event.new_value == "2 điểm tự chấm, 1 điểm thẩm định"


def test_a_second_load_updates_the_stored_rows_and_keeps_their_text(world: World) -> None:
    world.save({"1.1": "8"}, notes={"1.1": "Biên bản số 3"})
    load(world, {}, {"1.1": "7"})

    counts = load(world, {"1.1": "6", "1.2": "4"}, {"1.1": "6.5"})

    assert counts == {
        "updated:assessmentitem": 1,
        "created:assessmentitem": 1,
        "updated:reviewitem": 1,
    }
    item = AssessmentItem.objects.get(assessment=world.assessment(), criterion__code="1.1")
    assert (item.self_score, item.note) == (Decimal(6), "Biên bản số 3")
    assert ReviewItem.objects.get().score == Decimal("6.5")
    assert stored(world) == {"1.1": (600, 650, 1), "1.2": (400, None, 0)}
    assert criterion_scores_drift(world.campaign.pk) == 0


def test_only_the_system_or_the_campaigns_managers_load_scores(world: World) -> None:
    version = scores_version(world)
    for outsider in [world.head_a, world.reviewer, UserFactory()]:
        with pytest.raises(PermissionDenied):
            load(world, {"1.1": "8"}, {}, actor=outsider)
    assert not AssessmentItem.objects.exists() and scores_version(world) == version

    load(world, {"1.1": "8"}, {}, actor=None)  # the system: commands, the load generator
    assert AssessmentEvent.objects.get(field="scores_loaded").actor is None


def test_a_score_of_another_campaign_refuses_the_whole_load(media_root: object) -> None:
    world = build_world()
    other = build_world()
    foreign = SelfScoreRow(other.assessment().pk, other.criterion("1.1").pk, Decimal(8))
    own = SelfScoreRow(world.assessment().pk, world.criterion("1.1").pk, Decimal(8))
    for row in [foreign, own._replace(criterion_id=other.criterion("1.1").pk)]:
        with pytest.raises(ValidationError):
            assessment_scores_bulk_set(actor=None, campaign=world.campaign, self_scores=[own, row])
    assert not AssessmentItem.objects.exists()


def test_the_load_generator_leaves_nothing_for_the_audit_to_repair() -> None:
    call_command(
        "generate_load_data",
        "--code", "TINY", "--units", "30", "--blocks", "3", "--criteria", "8", "--reviewers", "2",
    )  # fmt: skip
    campaign = Campaign.objects.get(code="TINY")
    of_campaign = {"assessment__enrolment__campaign": campaign}
    assert AssessmentItem.objects.filter(**of_campaign).count() == 30 * 8
    assert ReviewItem.objects.filter(stage=1, **of_campaign).count() == 30 * 8 * 2
    assert ReviewItem.objects.filter(stage=2, **of_campaign).exists()
    assert criterion_scores_drift(campaign.pk) == 0
    assert CriterionScore.objects.filter(**of_campaign).count() == 30 * 8
    assert campaign.scores_version == 1
    assert not campaign.enrolments.filter(assessment__review_started_at__isnull=True).exists()
