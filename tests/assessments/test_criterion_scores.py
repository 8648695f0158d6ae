"""The per-criterion scores a scoring run reads (`CriterionScore`) follow every service that
writes a score, and always equal a full recomputation from the score tables."""

import pytest
from django.contrib.auth.models import User

from assessments import services
from assessments.models import CriterionScore
from assessments.tallies import criterion_scores_drift
from tests.assessments.conftest import World, build_world
from tests.assessments.test_review_services import council_member, review

pytestmark = pytest.mark.django_db


def stored(world: World) -> dict[str, tuple[int | None, int | None, int]]:
    """{criterion code: (self, review sum, reviewers)} of unit A, in hundredths."""
    return {
        row.criterion.code: (row.self_cents, row.review_cents, row.reviewers)
        for row in CriterionScore.objects.filter(assessment=world.assessment()).select_related(
            "criterion"
        )
    }


def test_a_draft_stores_its_self_scores_and_a_cleared_score_leaves(world: World) -> None:
    world.save({"1.1": "8", "1.2": "5"})
    assert stored(world) == {"1.1": (800, None, 0), "1.2": (500, None, 0)}

    world.save({"1.1": "7.5", "1.2": ""})
    assert stored(world) == {"1.1": (750, None, 0)}
    assert criterion_scores_drift(world.campaign.pk) == 0


def test_evidence_on_an_unscored_criterion_stores_nothing(world: World) -> None:
    world.attach("1.1")
    assert stored(world) == {}
    assert criterion_scores_drift(world.campaign.pk) == 0


def test_reviews_store_their_sum_and_count_beside_the_self_score(
    world: World, media_root: object
) -> None:
    other = council_member(world, "second-reviewer")
    services.review_assign(
        actor=world.manager, campaign=world.campaign, reviewer=other, unit=world.unit_a
    )
    world.submit()
    assert world.assessment().review_started_at is None
    review(world, world.reviewer, {"1.1": "7"})
    started = world.assessment().review_started_at
    assert started is not None  # the progress page's "under review"
    review(world, other, {"1.1": "6.5", "1.2": "5"})
    assert world.assessment().review_started_at == started  # the first review's time stays
    assert stored(world) == {"1.1": (800, 1350, 2), "1.2": (500, 500, 1)}

    review(world, world.reviewer, {"1.1": "8"})  # a changed review score
    assert stored(world)["1.1"] == (800, 1450, 2)
    assert criterion_scores_drift(world.campaign.pk) == 0


def test_the_latest_stage_that_scored_a_criterion_decides(media_root: object) -> None:
    world = build_world(review_stages=2)
    second: User = council_member(world, "second-stage")
    services.review_assign(
        actor=world.manager, campaign=world.campaign, reviewer=second, block=world.block, stage=2
    )
    world.submit()
    review(world, world.reviewer, {"1.1": "7", "1.2": "0"})
    services.assessment_accept(actor=world.reviewer, assessment=world.assessment())
    review(world, second, {"1.1": "7.5"})

    # 1.1 was scored again at stage 2; 1.2 keeps its stage-1 review
    assert stored(world) == {"1.1": (800, 750, 1), "1.2": (500, 0, 1)}
    assert criterion_scores_drift(world.campaign.pk) == 0
