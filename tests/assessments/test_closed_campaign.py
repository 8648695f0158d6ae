"""A closed campaign takes no review, acceptance, return or to-do: the services refuse with the
reason, the pages answer 422 with it and offer none of those steps, the queues forget it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from assessments import selectors, services
from assessments.models import AssessmentStatus
from campaigns import services as campaign_services
from campaigns.models import CampaignStatus
from tests.assessments.conftest import World
from tests.hostile.shown import refused_forms, unshown

pytestmark = pytest.mark.django_db

CLOSED = "Phong trào đã kết thúc"


def close(world: World) -> None:
    campaign_services.campaign_set_status(
        actor=world.manager,
        campaign=world.campaign,
        new=CampaignStatus.CLOSED,
        allowed_from=[CampaignStatus.WINDOW_OPEN],
    )


@pytest.fixture
def submitted(world: World) -> World:
    world.submit()
    return world


def test_a_closed_campaign_takes_no_review_score_return_or_acceptance(submitted: World) -> None:
    world = submitted
    close(world)
    steps = [
        lambda a: services.review_save(
            actor=world.reviewer, assessment=a, entries=world.entries({"1.1": "7"})
        ),
        lambda a: services.assessment_return(actor=world.reviewer, assessment=a, reason="Thiếu"),
        lambda a: services.assessment_accept(actor=world.reviewer, assessment=a),
    ]
    for step in steps:
        with pytest.raises(ValidationError) as refused:
            step(world.assessment())
        assert refused.value.code == "campaign_closed"
        assert CLOSED in refused.value.messages[0]
    assessment = world.assessment()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert not assessment.reviews.exists()


def test_a_closed_campaign_takes_no_new_reviewer(submitted: World) -> None:
    close(submitted)
    with pytest.raises(ValidationError) as refused:
        services.review_assign(
            actor=submitted.manager,
            campaign=submitted.campaign,
            reviewer=submitted.bystander,
            unit=submitted.unit_b,
        )
    assert refused.value.code == "campaign_closed"


def test_the_queue_forgets_a_closed_campaigns_assessments(submitted: World) -> None:
    assert selectors.review_queue(submitted.reviewer) == [submitted.assessment()]
    close(submitted)
    assert selectors.review_queue(submitted.reviewer) == []


@pytest.mark.parametrize("action", ["accept", "return", "save"])
def test_the_review_page_of_a_closed_campaign_answers_422_with_the_reason(
    client: Client, submitted: World, action: str
) -> None:
    close(submitted)
    client.force_login(submitted.reviewer)
    url = reverse("assessments:review", args=[submitted.assessment().pk])
    response = client.post(url, {"action": action, "reason": "Thiếu", "confirmed": "1"})
    assert response.status_code == 422
    assert CLOSED in response.content.decode()
    assert refused_forms(response) and unshown(response) == []  # as the hostile suite sees it
    assert submitted.assessment().status == AssessmentStatus.SUBMITTED


def offered(client: Client, world: World) -> set[str]:
    response = client.get(reverse("assessments:review", args=[world.assessment().pk]))
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content.decode())
    return set(page.xpath("//button[@name='action']/@value"))


def test_the_review_page_offers_its_steps_only_while_they_are_allowed(
    client: Client, submitted: World
) -> None:
    client.force_login(submitted.reviewer)
    assert {"save", "return", "accept"} <= offered(client, submitted)
    services.assessment_accept(actor=submitted.reviewer, assessment=submitted.assessment())
    assert offered(client, submitted) & {"save", "return", "accept"} == set(), "accepted"


def test_a_closed_campaigns_review_page_says_why_it_offers_nothing(
    client: Client, submitted: World
) -> None:
    close(submitted)
    client.force_login(submitted.reviewer)
    assert offered(client, submitted) & {"save", "return", "accept"} == set()
    response = client.get(reverse("assessments:review", args=[submitted.assessment().pk]))
    assert CLOSED in response.content.decode()


def test_a_closed_campaigns_assignment_page_offers_no_form_and_refuses_a_post(
    client: Client, submitted: World
) -> None:
    close(submitted)
    client.force_login(submitted.manager)
    url = reverse("assessments:assignments", args=[submitted.campaign.code])
    page = client.get(url).content.decode()
    assert "không phân công thẩm định nữa" in page and 'name="reviewer"' not in page
    response = client.post(
        url, {"reviewer": submitted.bystander.pk, "unit": submitted.unit_b.pk, "stage": "1"}
    )
    assert response.status_code == 422
    assert refused_forms(response) and unshown(response) == []
