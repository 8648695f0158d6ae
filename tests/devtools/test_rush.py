"""The deadline rush's world (`make loadtest`) is one the portal accepts as a real authority's."""

import json
import time
from binascii import unhexlify

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp

from assessments.models import AssessmentStatus
from campaigns.models import Campaign, CampaignStatus
from core.models import SignInEvent
from devtools.loadtest.rush_checks import sent_to_sign_in, totp_code
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


def test_the_rush_manager_passes_the_two_factor_step_that_production_asks_of_it(tmp_path, settings):
    """As deployed (OTP_REQUIRED_FOR_OFFICERS), the manager has an authenticator set up through
    the two-factor service; with the current code from the plan's secret it reaches the previous
    round's runs (the midpoint run); with the password alone it is sent to the second step."""
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    plan_path = tmp_path / "plan.json"
    call_command(
        "generate_rush_data",
        "--units", "2", "--criteria", "3", "--reviewers", "1", "--plan", str(plan_path),
    )  # fmt: skip
    plan = json.loads(plan_path.read_text())
    assert list(plan["totp_keys"]) == [plan["manager"]]  # a council member needs no second step
    assert SignInEvent.objects.filter(
        user__username=plan["manager"], kind=SignInEvent.Kind.TWO_FACTOR_ON
    ).exists()
    runs = f"/campaigns/{plan['previous']}/scoring/"

    manager = signed_in(plan["manager"], plan["password"])
    sent = manager.get(runs)
    assert sent.status_code == 302 and sent_to_sign_in(runs, [sent.url]) is not None

    key = plan["totp_keys"][plan["manager"]]
    # The set-up used this step's code; the app's next one is what the manager types now.
    code = totp_code(key, at=time.time() + 30)
    assert code == f"{totp(unhexlify(key), drift=1):06d}"  # what django-otp checks
    step = manager.post("/accounts/two-factor/", {"code": code})
    assert step.status_code == 302
    page = manager.get(runs)
    assert page.status_code == 200  # the runs page itself, not a redirect to a sign-in step
    reviewer = signed_in(plan["reviewers"][0], plan["password"])
    assert reviewer.get("/reviews/").status_code == 200


def test_a_page_that_lands_on_sign_in_or_two_factor_is_a_failure_of_the_rush():
    for page in ("/accounts/login/?next=/", "/accounts/two-factor/?next=/campaigns/X/scoring/"):
        assert sent_to_sign_in("/campaigns/X/scoring/", ["", page]) is not None
    assert sent_to_sign_in("/campaigns/X/scoring/", ["/campaigns/X/scoring/"]) is None
    assert sent_to_sign_in("/accounts/two-factor/", ["/accounts/two-factor/"]) is None
    assert sent_to_sign_in("/accounts/logout/", ["/accounts/login/"]) is None  # where it goes


def test_rush_refuses_a_database_that_has_one_already(tmp_path):
    args = ["--units", "2", "--criteria", "3", "--reviewers", "1", "--plan", str(tmp_path / "p")]
    call_command("generate_rush_data", *args)
    with pytest.raises(Exception, match="fresh database"):
        call_command("generate_rush_data", *args)


def test_the_check_after_a_rush_elsewhere_finds_lost_saves_and_a_run_never_started(tmp_path):
    plan_path, acked_path = tmp_path / "plan.json", tmp_path / "acked.json"
    call_command(
        "generate_rush_data",
        "--units", "2", "--criteria", "3", "--reviewers", "1", "--plan", str(plan_path),
    )  # fmt: skip
    plan = json.loads(plan_path.read_text())
    username, enrolment_id = plan["heads"][0]
    scores = {f"score_{pk}": maximum for pk, _kind, maximum in plan["criteria"]}
    client = signed_in(username, plan["password"])
    client.post(f"/assessments/{enrolment_id}/", {"version": "1", "action": "save", **scores})
    acked_path.write_text(json.dumps({str(enrolment_id): scores}))
    with pytest.raises(CommandError, match="scoring run") as refused:
        call_command("loadtest", "--plan", str(plan_path), "--check", str(acked_path))
    assert "lost saves" not in str(refused.value)  # the save is there; no run was started
    lost = {str(enrolment_id): dict.fromkeys(scores, "1")}  # values the portal never acknowledged
    acked_path.write_text(json.dumps(lost))
    with pytest.raises(CommandError, match="lost saves"):
        call_command("loadtest", "--plan", str(plan_path), "--check", str(acked_path))
