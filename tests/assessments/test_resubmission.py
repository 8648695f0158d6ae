"""A resubmission as the reviewer sees it: every submission's time recorded, the reason the
assessment was returned for, and what the unit changed in each criterion since its previous
submission (score, note, files); scores written the way the form writes them (8,5 and 7). And the
page's autosave: the same service and version guard as "Lưu nháp", answering in JSON."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.exchange import campaign_import
from assessments.models import Assessment, AssessmentEvent, AssessmentSubmission
from tests.assessments.conftest import World
from tests.assessments.workbooks import good_sheets, workbook_file
from tests.factories import UnitFactory, kind

pytestmark = pytest.mark.django_db


def submit(world: World) -> Assessment:
    assessment = world.assessment()
    return services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )


def returned(world: World, reason: str = "Thiếu biên bản họp") -> Assessment:
    return services.assessment_return(
        actor=world.reviewer, assessment=world.assessment(), reason=reason
    )


def resubmitted(world: World) -> Assessment:
    """Submitted with 1.1 at 8 and bien-ban.pdf, returned, then 1.1 at 8,5 with a note, the
    first file swapped for another, and submitted again."""
    world.submit()
    returned(world)
    world.save({"1.1": "8.5", "1.2": "5"}, notes={"1.1": "Đã bổ sung biên bản"})
    services.evidence_remove(
        actor=world.head_a,
        evidence=world.assessment().items.get(criterion=world.criterion("1.1")).evidence.get(),
    )
    world.attach("1.1", name="bien-ban-hop.pdf")
    return submit(world)


def test_every_submission_is_recorded_with_its_time_and_who_made_it(world: World) -> None:
    assessment = resubmitted(world)
    submissions = list(AssessmentSubmission.objects.filter(assessment=assessment))
    assert [(s.number, s.actor) for s in submissions] == [(1, world.head_a), (2, world.head_a)]
    assert submissions[0].at == assessment.submitted_at
    assert submissions[1].at == assessment.last_submitted_at > submissions[0].at
    assert submissions[1].version == assessment.version


def test_the_resubmission_lists_the_return_reason_and_each_criterions_changes(
    world: World,
) -> None:
    assessment = resubmitted(world)
    found = selectors.resubmission(assessment, selectors.assessment_rows(assessment))
    assert found is not None
    assert (found.previous.number, found.latest.number) == (1, 2)
    assert found.returned is not None
    assert (found.returned.reason, found.returned.actor) == ("Thiếu biên bản họp", world.reviewer)
    [change] = found.changes  # 1.2 stayed at 5: no change
    assert change.criterion == world.criterion("1.1")
    assert change.score == ("8.00", "8.5")
    assert change.note == ("", "Đã bổ sung biên bản")
    assert (change.added, change.removed) == (["bien-ban-hop.pdf"], ["bien-ban.pdf"])


def test_a_change_undone_before_the_resubmission_is_no_change(world: World) -> None:
    world.submit()
    returned(world)
    world.save({"1.1": "9"})
    world.save({"1.1": "8"})  # back to what was submitted
    world.attach("1.1", name="nham.pdf")
    services.evidence_remove(
        actor=world.head_a,
        evidence=world.assessment()
        .items.get(criterion=world.criterion("1.1"))
        .evidence.get(original_name="nham.pdf"),
    )
    assessment = submit(world)
    found = selectors.resubmission(assessment, selectors.assessment_rows(assessment))
    assert found is not None and found.changes == []


def test_a_first_submission_has_no_resubmission(world: World) -> None:
    assessment = world.submit()
    assert selectors.resubmission(assessment, selectors.assessment_rows(assessment)) is None


def test_the_review_page_of_a_resubmission_shows_the_reason_and_the_changes(
    world: World,
) -> None:
    assessment = resubmitted(world)
    client = Client()
    client.force_login(world.reviewer)
    html = client.get(reverse("assessments:review", args=[assessment.pk])).content.decode()
    top = html[html.index("data-resubmission") : html.index('id="review-form"')]
    assert "Lý do trả lại:</strong> Thiếu biên bản họp" in top
    assert "điểm tự chấm: 8 → 8,5" in top
    assert "“” → “Đã bổ sung biên bản”" in top.replace("—", "")
    assert "thêm minh chứng: bien-ban-hop.pdf" in top
    assert "gỡ minh chứng: bien-ban.pdf" in top
    rows = html.split('id="review-form"')[1]
    changed_row = rows.split(f'id="row-{world.criterion("1.1").pk}"')[1].split("</tr>")[0]
    unchanged_row = rows.split(f'id="row-{world.criterion("1.2").pk}"')[1].split("</tr>")[0]
    assert "sửa từ lần nộp trước" in changed_row
    assert "sửa từ lần nộp trước" not in unchanged_row
    latest = timezone.localtime(assessment.last_submitted_at).strftime("%H:%M %d/%m/%Y")
    assert f"nộp lúc {latest}" in html  # the latest submission's time, not the first's


def test_the_page_says_the_latest_submission_time_and_lists_every_one(world: World) -> None:
    assessment = resubmitted(world)
    client = Client()
    client.force_login(world.head_a)
    html = client.get(reverse("assessments:assessment", args=[world.enrolment().pk])).content
    text = html.decode()
    first, latest = AssessmentSubmission.objects.filter(assessment=assessment)
    latest_text = timezone.localtime(latest.at).strftime("%H:%M %d/%m/%Y")
    assert f"nộp lúc {latest_text}" in text
    assert "Các lần nộp (2)" in text
    assert timezone.localtime(first.at).strftime("%H:%M %d/%m/%Y") in text


def test_the_history_writes_scores_as_the_form_does(world: World) -> None:
    world.save({"1.1": "7"})
    world.save({"1.1": "8.5"})
    client = Client()
    client.force_login(world.head_a)
    html = client.get(reverse("assessments:assessment", args=[world.enrolment().pk])).content
    history = html.decode().split('id="timeline-heading"')[1]
    assert "điểm tự chấm: 7 → 8,5" in history
    assert "7.00" not in history and "8.5" not in history
    event = AssessmentEvent.objects.filter(field="self_score").first()
    assert (event.old_display, event.new_display) == ("7", "8,5")


# Autosave -----------------------------------------------------------------------------------------


def autosave(client: Client, world: World, version: int, score: str) -> object:
    return client.post(
        reverse("assessments:assessment", args=[world.enrolment().pk]),
        {"version": version, f"score_{world.criterion('1.1').pk}": score},
        headers={"X-Autosave": "1"},
    )


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_autosave_saves_the_draft_and_answers_the_new_version(world: World) -> None:
    client = logged_in(world.head_a)
    first = autosave(client, world, 1, "8,5")
    assert first.status_code == 200  # type: ignore[attr-defined]
    answer = json.loads(first.content)  # type: ignore[attr-defined]
    assert answer["message"].startswith("Đã lưu lúc ")
    second = autosave(client, world, answer["version"], "9")
    assert second.status_code == 200  # type: ignore[attr-defined]
    item = world.assessment().items.get(criterion=world.criterion("1.1"))
    assert item.self_score == Decimal(9)
    assert world.assessment().events.filter(field="self_score").count() == 2


def test_autosave_from_an_old_version_is_refused_and_overwrites_nothing(world: World) -> None:
    world.save({"1.1": "6"})  # someone else saved: the version moved past 1
    response = autosave(logged_in(world.head_a), world, 1, "9")
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "Người khác vừa lưu" in json.loads(response.content)["error"]  # type: ignore[attr-defined]
    assert world.assessment().items.get(criterion=world.criterion("1.1")).self_score == 6


def test_autosave_refuses_a_bad_score_and_saves_nothing(world: World) -> None:
    response = autosave(logged_in(world.head_a), world, 1, "11")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert not world.assessment().items.exists()


def test_autosave_of_another_units_assessment_is_forbidden(world: World) -> None:
    response = autosave(logged_in(world.head_b), world, 1, "9")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not world.assessment().items.exists()


def test_a_paper_campaigns_workbook_records_its_one_submission_on_the_day_it_gives() -> None:
    UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    sheets = good_sheets()
    del sheets["review_scores"]
    campaign_import(workbook_file=workbook_file(sheets), actor=None)
    campaign_import(workbook_file=workbook_file(sheets), actor=None)  # the same file again

    assessment = Assessment.objects.get(enrolment__unit__code="KL-TT")
    [submission] = AssessmentSubmission.objects.filter(assessment=assessment)
    assert (submission.number, submission.at) == (1, assessment.submitted_at)
    assert submission.at == assessment.last_submitted_at


def test_the_review_page_of_a_first_submission_shows_no_changes(world: World) -> None:
    assessment = world.submit()
    client = Client()
    client.force_login(world.reviewer)
    html = client.get(reverse("assessments:review", args=[assessment.pk])).content.decode()
    assert "data-resubmission" not in html
    assert "sửa từ lần nộp trước" not in html
