"""People are listed by their full names, not their login names."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from tests.assessments.conftest import World

pytestmark = pytest.mark.django_db


def test_the_reviewer_choice_names_each_council_member_in_full(
    client: Client, world: World
) -> None:
    client.force_login(world.manager)
    response = client.get(reverse("assessments:assignments", args=[world.campaign.code]))
    page = lxml_html.fromstring(response.content.decode())
    offered = [o.text_content().strip() for o in page.xpath("//select[@name='reviewer']/option")]
    assert "Phạm Văn Thẩm" in offered and "Võ Thị Ngồi" in offered
    assert world.reviewer.username not in offered
