"""The deadline rush's world (`make loadtest`) is one the portal accepts as a real authority's."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from assessments.models import AssessmentStatus
from campaigns.models import Campaign, CampaignStatus
from units.models import PersonEvent
from units.roles import Role

pytestmark = pytest.mark.django_db


def signed_in(username: str, password: str) -> Client:
    """Through the login page, as Locust signs in."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:300]
    return client


def test_rush_heads_sign_in_and_save_their_open_checklist(tmp_path):
    plan_path = tmp_path / "plan.json"
    call_command(
        "generate_rush_data",
        "--units", "4", "--criteria", "5", "--reviewers", "2", "--plan", str(plan_path),
    )  # fmt: skip
    plan = json.loads(plan_path.read_text())
    assert Campaign.objects.get(code="RUSH").status == CampaignStatus.WINDOW_OPEN
    assert len(plan["heads"]) == 4 and len(plan["reviewers"]) == 2 and len(plan["criteria"]) == 5
    # The accounts come from the people service: each with its creation line and portal roles.
    made = PersonEvent.objects.filter(action=PersonEvent.Action.CREATE, actor=None)
    assert made.filter(person__username__startswith="rush-").count() == 4 + 2 + 1
    reviewer = made.get(person__username=plan["reviewers"][0]).person
    assert reviewer.groups.filter(name=Role.COUNCIL_MEMBER).exists()

    username, enrolment_id = plan["heads"][0]
    client = signed_in(username, plan["password"])
    assert client.get(f"/assessments/{enrolment_id}/").status_code == 200
    scores = {f"score_{pk}": maximum for pk, _kind, maximum in plan["criteria"]}
    response = client.post(
        f"/assessments/{enrolment_id}/", {"version": "1", "action": "save", **scores}
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(code="RUSH")
    assessment = campaign.enrolments.get(pk=enrolment_id).assessment
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.items.filter(self_score__isnull=False).count() == 5

    # The previous round can be scored by the rush's manager (the midpoint run).
    manager = signed_in(plan["manager"], plan["password"])
    assert manager.get(f"/campaigns/{plan['previous']}/scoring/").status_code == 200


def test_rush_refuses_a_database_that_has_one_already(tmp_path):
    args = ["--units", "2", "--criteria", "3", "--reviewers", "1", "--plan", str(tmp_path / "p")]
    call_command("generate_rush_data", *args)
    with pytest.raises(Exception, match="fresh database"):
        call_command("generate_rush_data", *args)
