"""Council review: who may review what (recusal), return with a reason, accept, two stages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import selectors, services
from assessments.models import AssessmentStatus, ReviewAssignment, ReviewItem
from campaigns import services as campaign_services
from campaigns.models import Criterion
from tests.assessments.conftest import World, build_world
from tests.factories import MembershipFactory, UserFactory
from units.models import Unit
from units.roles import Role

pytestmark = pytest.mark.django_db


def council_member(world: World, username: str, *, member_of: Unit | None = None) -> User:
    user = UserFactory(username=username, roles=[Role.COUNCIL_MEMBER])
    if member_of is not None:
        MembershipFactory(user=user, unit=member_of, role="staff")
    campaign_services.council_seat_set(actor=world.manager, campaign=world.campaign, user=user)
    return User.objects.get(pk=user.pk)  # fresh: no membership cache from before


def review(world: World, actor: User, scores: dict[str, object], unit: Unit | None = None):  # type: ignore[no-untyped-def]
    return services.review_save(
        actor=actor, assessment=world.assessment(unit), entries=world.entries(scores)
    )


def review_state(world: World, unit: Unit | None = None) -> tuple[object, ...]:
    assessment = world.assessment(unit)
    return (
        assessment.version,
        assessment.status,
        assessment.review_stage,
        list(ReviewItem.objects.filter(assessment=assessment).values_list("criterion", "score")),
        assessment.events.count(),
    )


# Recusal and assignment --------------------------------------------------------------------------


def test_a_council_member_cannot_be_assigned_to_a_unit_they_belong_to(world: World) -> None:
    insider = council_member(world, "insider", member_of=world.unit_b)
    with pytest.raises(ValidationError) as error:
        services.review_assign(
            actor=world.manager, campaign=world.campaign, reviewer=insider, unit=world.unit_b
        )
    assert error.value.code == "recusal"
    assert world.unit_b.name in error.value.messages[0]
    assert not ReviewAssignment.objects.filter(reviewer=insider).exists()


def test_a_block_assignment_never_lets_a_member_review_their_own_unit(world: World) -> None:
    insider = council_member(world, "insider", member_of=world.unit_b)
    services.review_assign(
        actor=world.manager, campaign=world.campaign, reviewer=insider, block=world.block
    )
    world.submit()
    world.submit(unit=world.unit_b)
    own, other = world.assessment(world.unit_b), world.assessment()
    before = review_state(world, world.unit_b)

    assert insider.has_perm("assessments.review_assessment", other)
    assert not insider.has_perm("assessments.review_assessment", own)
    assert selectors.review_queue(insider) == [other]
    with pytest.raises(PermissionDenied):
        review(world, insider, {"1.1": "10"}, unit=world.unit_b)
    with pytest.raises(PermissionDenied):
        services.assessment_accept(actor=insider, assessment=own)
    with pytest.raises(PermissionDenied):
        services.assessment_return(actor=insider, assessment=own, reason="Thiếu minh chứng")
    assert review_state(world, world.unit_b) == before

    review(world, insider, {"1.1": "7"})
    assert ReviewItem.objects.get(reviewer=insider).assessment == other


@pytest.mark.parametrize("who", ["bystander", "head_b", "head_a", "manager"])
def test_nobody_but_an_assigned_reviewer_may_review(world: World, who: str) -> None:
    world.submit()
    actor = getattr(world, who)
    assessment = world.assessment()
    before = review_state(world)
    assert not actor.has_perm("assessments.review_assessment", assessment)
    with pytest.raises(PermissionDenied):
        review(world, actor, {"1.1": "10"})
    with pytest.raises(PermissionDenied):
        services.assessment_return(actor=actor, assessment=assessment, reason="Sai")
    with pytest.raises(PermissionDenied):
        services.assessment_accept(actor=actor, assessment=assessment)
    assert review_state(world) == before


def test_a_reviewer_who_later_joins_the_unit_is_recused_from_then_on(world: World) -> None:
    world.submit()
    assert world.reviewer.has_perm("assessments.review_assessment", world.assessment())
    MembershipFactory(user=world.reviewer, unit=world.unit_a, role="staff")
    reviewer = User.objects.get(pk=world.reviewer.pk)
    assert not reviewer.has_perm("assessments.review_assessment", world.assessment())
    with pytest.raises(PermissionDenied):
        review(world, reviewer, {"1.1": "10"})
    assert selectors.review_queue(reviewer) == []


def test_only_council_members_are_assigned_and_only_by_the_campaigns_manager(
    world: World,
) -> None:
    with pytest.raises(ValidationError, match="thành viên Hội đồng"):
        services.review_assign(
            actor=world.manager, campaign=world.campaign, reviewer=world.head_b, unit=world.unit_a
        )
    with pytest.raises(PermissionDenied):
        services.review_assign(
            actor=world.head_a, campaign=world.campaign, reviewer=world.bystander, unit=world.unit_a
        )
    with pytest.raises(ValidationError, match="Vòng"):
        services.review_assign(
            actor=world.manager,
            campaign=world.campaign,
            reviewer=world.bystander,
            unit=world.unit_a,
            stage=2,
        )
    assert not ReviewAssignment.objects.filter(reviewer=world.bystander).exists()


def test_a_draft_is_not_reviewed(world: World) -> None:
    """Before its first submission the reviewer does not even see it."""
    world.complete()
    with pytest.raises(PermissionDenied):
        review(world, world.reviewer, {"1.1": "7"})
    assert not ReviewItem.objects.exists()


# Return and accept -------------------------------------------------------------------------------


def test_returning_needs_a_reason(world: World) -> None:
    world.submit()
    before = review_state(world)
    with pytest.raises(ValidationError, match="lý do"):
        services.assessment_return(actor=world.reviewer, assessment=world.assessment(), reason=" ")
    assert review_state(world) == before


def test_a_returned_assessment_is_edited_and_resubmitted_keeping_the_first_submission_time(
    world: World,
) -> None:
    first = world.submit()
    first_at = first.submitted_at

    services.assessment_return(
        actor=world.reviewer, assessment=world.assessment(), reason=" Thiếu biên bản họp "
    )
    returned = world.assessment()
    assert returned.status == AssessmentStatus.RETURNED
    assert returned.return_reason == "Thiếu biên bản họp"
    event = returned.events.filter(field="status").first()
    assert (event.actor, event.old_value, event.new_value, event.reason) == (
        world.reviewer,
        "submitted",
        "returned",
        "Thiếu biên bản họp",
    )

    world.save({"1.1": "9"})
    world.attach("1.1", name="bien-ban-hop.pdf")
    assessment = world.assessment()
    services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    resubmitted = world.assessment()
    assert resubmitted.status == AssessmentStatus.SUBMITTED
    assert resubmitted.submitted_at == first_at
    assert resubmitted.last_submitted_at > first_at
    assert resubmitted.return_reason == ""
    assert resubmitted.items.get(criterion=world.criterion("1.1")).self_score == Decimal(9)
    statuses = list(
        resubmitted.events.filter(field="status").order_by("pk").values_list("new_value", flat=True)
    )
    assert statuses == ["submitted", "returned", "submitted"]


def test_accepting_makes_the_assessment_accepted_and_closed_to_everyone(world: World) -> None:
    world.submit()
    review(world, world.reviewer, {"1.1": "7", "1.2": "5"})
    services.assessment_accept(actor=world.reviewer, assessment=world.assessment())

    accepted = world.assessment()
    assert accepted.status == AssessmentStatus.ACCEPTED
    event = accepted.events.filter(field="status").first()
    assert (event.actor, event.old_value, event.new_value) == (
        world.reviewer,
        "submitted",
        "accepted",
    )
    with pytest.raises(ValidationError):
        review(world, world.reviewer, {"1.1": "6"})
    with pytest.raises(ValidationError):
        world.save({"1.1": "10"})
    assert ReviewItem.objects.get(criterion=world.criterion("1.1")).score == Decimal(7)


def test_with_two_stages_the_first_accept_hands_over_to_the_second_stage(
    media_root: object,
) -> None:
    world = build_world(review_stages=2)
    second = council_member(world, "second-stage")
    services.review_assign(
        actor=world.manager, campaign=world.campaign, reviewer=second, block=world.block, stage=2
    )
    world.submit()
    assert not second.has_perm("assessments.review_assessment", world.assessment())

    review(world, world.reviewer, {"1.1": "7"})
    services.assessment_accept(actor=world.reviewer, assessment=world.assessment())
    handed_over = world.assessment()
    assert handed_over.status == AssessmentStatus.SUBMITTED
    assert handed_over.review_stage == 2
    assert handed_over.events.filter(field="review_stage", old_value="1", new_value="2").exists()
    assert not world.reviewer.has_perm("assessments.review_assessment", handed_over)
    assert world.reviewer.has_perm("assessments.view_assessment", handed_over)
    assert second.has_perm("assessments.review_assessment", handed_over)

    review(world, second, {"1.1": "7.5"})
    services.assessment_accept(actor=second, assessment=world.assessment())
    assert world.assessment().status == AssessmentStatus.ACCEPTED
    assert sorted(ReviewItem.objects.values_list("stage", "reviewer", "score")) == [
        (1, world.reviewer.pk, Decimal("7")),
        (2, second.pk, Decimal("7.5")),
    ]


# Review scores -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw"),
    [
        pytest.param("1.1", "10.5", id="above-max"),
        pytest.param("1.1", "-1", id="negative"),
        pytest.param("1.1", "6.2", id="off-step"),
        pytest.param("1.1", "bảy", id="not-a-number"),
        pytest.param("1.2", "1", id="yes-no-neither-0-nor-max"),
        pytest.param("2", "6", id="deduction-above-max"),
        pytest.param("I", "5", id="a-section"),
    ],
)
def test_an_invalid_review_score_refuses_the_whole_save(world: World, code: str, raw: str) -> None:
    world.submit()
    review(world, world.reviewer, {"1.1": "7"})
    before = review_state(world)
    scores: dict[str, object] = {"1.1": "6", "1.2": "0"}
    scores[code] = raw
    with pytest.raises(ValidationError):
        review(world, world.reviewer, scores)
    assert review_state(world) == before


def test_a_review_score_for_another_campaigns_criterion_is_refused(
    world: World, foreign_criterion: Criterion
) -> None:
    world.submit()
    before = review_state(world)
    entries = world.entries({"1.1": "7"})
    entries[foreign_criterion.pk] = ("5", "")
    with pytest.raises(ValidationError):
        services.review_save(actor=world.reviewer, assessment=world.assessment(), entries=entries)
    assert review_state(world) == before


def test_each_review_score_change_is_recorded(world: World) -> None:
    world.submit()
    review(world, world.reviewer, {"1.1": "7"})
    review(world, world.reviewer, {"1.1": "6.5"})
    changes = list(
        world.assessment()
        .events.filter(field="review_score")
        .order_by("pk")
        .values_list("actor", "criterion__code", "old_value", "new_value")
    )
    assert [c[:2] for c in changes] == [(world.reviewer.pk, "1.1")] * 2
    assert changes[0][2:] == ("", "7")
    assert Decimal(changes[1][2]) == Decimal(7) and Decimal(changes[1][3]) == Decimal("6.5")


def test_a_changed_review_score_says_when_it_changed(world: World) -> None:
    world.submit()
    review(world, world.reviewer, {"1.1": "7"})
    first = ReviewItem.objects.get()
    # Moves its time back a day (no clock to move in tests), not its score: no stored score drifts.
    ReviewItem.objects.filter(pk=first.pk).update(updated_at=first.updated_at - timedelta(days=1))
    review(world, world.reviewer, {"1.1": "6"})
    changed = ReviewItem.objects.get()
    assert changed.score == Decimal("6") and changed.updated_at > first.updated_at
