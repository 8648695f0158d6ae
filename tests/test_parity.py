"""One action, one service: whichever door an action comes through (a page, a management command,
a beat task, the campaign workbook, the demo), it writes the same history row and sends the same
notices, because every door calls the same service."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.exchange import campaign_import
from assessments.models import Assessment, AssessmentStatus
from campaigns.models import CampaignEvent, CampaignStatus
from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2026, XKL, seed_demo
from notifications.models import Notification
from scoring import selectors
from scoring import tasks as scoring_tasks
from scoring.models import RunStatus, ScoringRun
from tests.assessments.conftest import World, build_world
from tests.assessments.test_assessment_views import hidden_form
from tests.assessments.workbooks import good_sheets, workbook_file
from tests.factories import UnitFactory, kind, manager_of
from tests.scoring.scoring_cases import Case
from units.models import Membership

# transaction=True: the doors queue the run after the commit, as in production (eager here).
pytestmark = pytest.mark.django_db(transaction=True)


def scored_case() -> Case:
    case = Case().criterion("1").criterion("2", kind="yes_no")
    return case.unit("Xã A", {"1": "9", "2": "10"}).unit("Xã B", {"1": "7", "2": "10"})


def run_page(case: Case) -> None:
    client = Client()
    client.force_login(manager_of(case.campaign.authority))
    client.post(reverse("scoring:runs", args=[case.campaign.code]))


def run_command(case: Case) -> None:
    call_command("score_campaign", case.campaign.code, "--timeout", "30")


def run_beat(case: Case) -> None:
    scoring_tasks.scoring_nightly_task()


@pytest.mark.parametrize("door", [run_page, run_command, run_beat])
def test_every_door_that_starts_a_run_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    case = scored_case()
    door(case)
    run = ScoringRun.objects.get(campaign=case.campaign)
    assert run.status == RunStatus.SUCCEEDED
    events = CampaignEvent.objects.filter(campaign=case.campaign, action="scoring_run")
    assert [e.new_value for e in events] == [str(selectors.run_number(run))]


def publish_page(case: Case, run: ScoringRun) -> None:
    client = Client()
    client.force_login(manager_of(case.campaign.authority))
    client.post(
        reverse("scoring:run_publish", args=[case.campaign.code, run.pk]),
        {"publish_unreviewed": "1", "confirmed": "1"},
    )


def publish_command(case: Case, run: ScoringRun) -> None:
    ScoringRun.objects.filter(pk=run.pk).delete()  # the command scores and publishes its own run
    call_command(
        "score_campaign", case.campaign.code, "--publish", "--publish-unreviewed", "--timeout", "30"
    )


@pytest.mark.parametrize("door", [publish_page, publish_command])
def test_every_door_that_publishes_writes_the_same_history(door) -> None:  # type: ignore[no-untyped-def]
    case = scored_case()
    call_command("score_campaign", case.campaign.code, "--timeout", "30")
    run = ScoringRun.objects.get(campaign=case.campaign)
    door(case, run)
    case.campaign.refresh_from_db()
    assert case.campaign.status == CampaignStatus.PUBLISHED
    assert CampaignEvent.objects.filter(campaign=case.campaign, action="publish").count() == 1
    status = CampaignEvent.objects.filter(campaign=case.campaign, new_value="published")
    assert status.count() == 1


# Submit and accept: the page, the campaign workbook and the demo --------------------------------
# The same status row (field, old, new, no criterion, no reason), the same kinds of score rows
# beside it, and the same notices: none for a submit, one "accepted" per unit head for an accept.

SUBMITTED = [("status", AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, None, "")]
ACCEPTED = [("status", AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED, None, "")]


def status_rows(assessment: Assessment) -> list[tuple[object, ...]]:
    events = assessment.events.filter(field="status").order_by("pk")
    return list(events.values_list("field", "old_value", "new_value", "criterion", "reason"))


def notices_of(assessment: Assessment) -> list[tuple[object, ...]]:
    url = reverse("assessments:assessment", args=[assessment.enrolment_id])
    return list(Notification.objects.filter(url=url).values_list("user", "subject"))


def assert_submitted_as_the_service_does(assessment: Assessment) -> None:
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_at and assessment.last_submitted_at
    assert status_rows(assessment) == SUBMITTED
    kinds = set(assessment.events.exclude(field="status").values_list("field", flat=True))
    assert "self_score" in kinds and kinds <= {"self_score", "note", "evidence"}
    assert notices_of(assessment) == []  # a submit notifies nobody, whatever the door


def assert_accepted_as_the_service_does(assessment: Assessment) -> None:
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert status_rows(assessment) == SUBMITTED + ACCEPTED
    heads = set(
        User.objects.filter(
            memberships__unit=assessment.enrolment.unit, memberships__role=Membership.Role.HEAD
        ).values_list("pk", flat=True)
    )
    notices = notices_of(assessment)
    subject = f"Bản tự chấm điểm của {assessment.enrolment.unit.name} đã được chấp nhận"
    assert heads and sorted(notices) == sorted((head, subject) for head in heads)


def submit_page(world: World) -> Assessment:
    world.complete()
    client = Client()
    client.force_login(world.head_a)
    url = reverse("assessments:assessment", args=[world.enrolment().pk])
    asked = client.post(url, {"version": world.assessment().version, "action": "submit"})
    client.post(url, hidden_form(asked))  # the confirmation's button
    return world.assessment()


@pytest.mark.django_db
def test_submitting_through_the_page_writes_the_services_history(media_root: object) -> None:
    assert_submitted_as_the_service_does(submit_page(build_world()))


@pytest.mark.django_db
def test_submitting_through_the_workbook_writes_the_services_history() -> None:
    UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    sheets = good_sheets()
    sheets["self_scores"][1][3] = None  # no note: the page's submit above has none either
    del sheets["review_scores"]  # the submit alone, as on the page
    campaign_import(workbook_file=workbook_file(sheets), actor=None)  # the command's door

    submitted = Assessment.objects.get(enrolment__unit__code="KL-TT")
    assert_submitted_as_the_service_does(submitted)
    assert set(submitted.events.values_list("field", flat=True)) == {"status", "self_score"}


@pytest.mark.django_db
def test_accepting_through_the_page_writes_the_services_history(media_root: object) -> None:
    world = build_world()
    submit_page(world)
    client = Client()
    client.force_login(world.reviewer)
    url = reverse("assessments:review", args=[world.assessment().pk])
    asked = client.post(url, {f"score_{world.criterion('1.1').pk}": "7", "action": "accept"})
    client.post(url, hidden_form(asked))  # the confirmation's button

    assert_accepted_as_the_service_does(world.assessment())


@pytest.mark.django_db
def test_the_demo_submits_and_accepts_as_the_page_and_the_workbook_do() -> None:
    seed_demo()

    live = Assessment.objects.get(
        enrolment__campaign__code=CAMPAIGN_2026, enrolment__unit__code=f"{XKL}-VP"
    )
    assert_submitted_as_the_service_does(live)  # saved and submitted by its head
    imported = (  # submitted and reviewed in the 2019 paper workbook: accepted on paper
        Assessment.objects.filter(enrolment__campaign__code=CAMPAIGN_2019)
        .filter(enrolment__unit__memberships__role=Membership.Role.HEAD)
        .order_by("pk")
        .first()
    )
    assert imported is not None
    assert imported.status == AssessmentStatus.ACCEPTED
    rows = status_rows(imported)
    assert rows[0] == SUBMITTED[0] and rows[1][:4] == ACCEPTED[0][:4] and len(rows) == 2
    assert "trên giấy" in str(rows[1][4])
    assert notices_of(imported) == []  # a paper round's import tells no one in 2026 about 2019
    kinds = set(imported.events.values_list("field", flat=True))
    assert kinds == {"status", "self_score", "review_score"}
