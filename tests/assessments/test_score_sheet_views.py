"""The checklist and review forms as a unit head and a council member meet them: Đạt / Không đạt
for a pass/fail criterion, the unit's own score beside each review box, and the questions asked
before submit, return and accept, also as a page for a browser without JavaScript."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentStatus, ReviewItem
from tests.assessments.conftest import World, build_world
from tests.assessments.test_assessment_views import (
    field,
    form_version,
    hidden_form,
    input_value,
    login,
    page_url,
    points_checklist,
    radios,
    text_of,
)

pytestmark = pytest.mark.django_db


def choice_value(response: object, name: str, label: str) -> str:
    """The value posted by the radio of `name` labelled `label`."""
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(rf'for="(id_{name}_\d)">{label}</label>', html)
    assert found, f"no choice {label} for {name}"
    radio = re.search(rf'<input[^>]*id="{found.group(1)}"[^>]*value="([^"]*)"', html)
    assert radio
    return radio.group(1)


def review_url(world: World) -> str:
    return reverse("assessments:review", args=[world.assessment().pk])


def self_score_beside(response: object, world: World, code: str) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(rf'id="self_{world.criterion(code).pk}">(.*?)</div>', html, re.S)
    assert found, f"no self score beside {code}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


# Đạt / Không đạt ---------------------------------------------------------------------------------


def test_a_pass_fail_criterion_is_a_choice_not_a_box(client: Client, world: World) -> None:
    page = login(client, world.head_a).get(page_url(world))
    name = field(world, "score", "1.2")
    html = page.content.decode()
    assert html.count(f'name="{name}"') == 2  # two radios, no text box
    assert choice_value(page, name, "Đạt") == "5.00"
    assert choice_value(page, name, "Không đạt") == "0"
    assert "checked" not in radios(page, name)  # nothing chosen for the unit


@pytest.mark.parametrize(("label", "saved"), [("Đạt", Decimal(5)), ("Không đạt", Decimal(0))])
def test_the_choice_saves_the_maximum_or_zero_and_shows_checked_again(
    client: Client, world: World, label: str, saved: Decimal
) -> None:
    page = login(client, world.head_a).get(page_url(world))
    name = field(world, "score", "1.2")
    response = client.post(
        page_url(world), {"version": form_version(page), name: choice_value(page, name, label)}
    )
    assert response.status_code == 302
    item = world.assessment().items.get(criterion=world.criterion("1.2"))
    assert item.self_score == saved
    again = client.get(page_url(world))
    checked = re.search(r'id="(id_[^"]+)"[^>]*checked', radios(again, name))
    assert checked
    assert re.search(rf'for="{checked.group(1)}">{label}<', again.content.decode())


def test_a_draft_may_leave_the_choice_unanswered_but_a_submit_names_it_with_a_link(
    client: Client, world: World
) -> None:
    world.attach("1.1")
    login(client, world.head_a)
    page = client.get(page_url(world))
    saved = client.post(
        page_url(world),
        {
            "version": form_version(page),
            field(world, "score", "1.1"): "8",
            field(world, "note", "1.2"): "Chờ biên bản kiểm tra",
        },
    )
    assert saved.status_code == 302
    item = world.assessment().items.get(criterion=world.criterion("1.2"))
    assert (item.self_score, item.note) == (None, "Chờ biên bản kiểm tra")

    refused = client.post(
        page_url(world),
        {"version": world.assessment().version, "action": "submit", "confirmed": "1"},
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    row = f"row-{world.criterion('1.2').pk}"
    assert re.search(rf'href="#{row}">1\.2\. [^<]*: chưa chấm điểm</a>', html)
    assert f'<tr id="{row}"' in html
    assert "Còn thiếu: chưa chấm điểm" in text_of(refused)  # beside the criterion too
    assert world.assessment().status == AssessmentStatus.DRAFT


def test_the_reviewer_chooses_khong_dat_and_it_saves_zero(client: Client, world: World) -> None:
    world.submit()
    page = login(client, world.reviewer).get(review_url(world))
    name = field(world, "score", "1.2")
    response = client.post(
        review_url(world), {name: choice_value(page, name, "Không đạt"), "action": "save"}
    )
    assert response.status_code == 302
    assert ReviewItem.objects.get(criterion=world.criterion("1.2")).score == Decimal(0)


def test_a_wrong_review_score_is_shown_beside_its_box_and_in_the_summary(
    client: Client, world: World
) -> None:
    world.submit()
    name = field(world, "score", "1.1")
    response = login(client, world.reviewer).post(
        review_url(world), {name: "7.3", "action": "save"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'href="#id_{name}"' in html
    beside = re.search(rf'id="id_{name}_error">([^<]*)<', html)
    assert beside and "phải theo bước 0.5" in beside.group(1)
    assert input_value(response, name) == "7.3"
    assert not ReviewItem.objects.exists()


# The unit's own score beside each review box ----------------------------------------------------


def test_the_review_page_shows_the_units_own_score_beside_each_box_and_offers_to_take_it(
    client: Client, world: World
) -> None:
    world.save({"1.1": "8.5", "1.2": "5", "2": "1"})
    world.attach("1.1")
    assessment = world.assessment()
    services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    page = login(client, world.reviewer).get(review_url(world))
    assert self_score_beside(page, world, "1.1") == "Đơn vị tự chấm: 8,5"
    assert self_score_beside(page, world, "1.2") == "Đơn vị tự chấm: Đạt (5)"
    assert self_score_beside(page, world, "3") == "Đơn vị tự chấm: —"
    html = page.content.decode()
    for code, value in (("1.1", "8,5"), ("1.2", "5.00"), ("2", "1")):
        assert re.search(
            rf'data-take-self="{field(world, "score", code)}"\s+data-value="{value}"', html
        )
    assert f'data-take-self="{field(world, "score", "3")}"' not in html  # nothing to take
    assert "Lấy điểm tự chấm cho mọi ô còn trống" in html
    assert input_value(page, field(world, "score", "1.1")) == ""  # the reviewer's box


# Asking before return and accept ----------------------------------------------------------------


@pytest.mark.parametrize("dialog_answered", [False, True])
def test_accepting_with_every_box_blank_asks_and_keeps_the_self_scores_only_after_confirming(
    client: Client, world: World, dialog_answered: bool
) -> None:
    world.submit()
    login(client, world.reviewer)
    # Without JavaScript nothing is confirmed; with it, a plain "Đồng ý" does not answer the
    # question whether the unit's own scores stand.
    data = {"action": "accept", **({"confirmed": "1"} if dialog_answered else {})}
    asked = client.post(review_url(world), data)
    assert asked.status_code == 200
    text = text_of(asked)
    assert "Giữ điểm tự chấm?" in text
    assert f"Chưa có điểm thẩm định nào cho {world.unit_a.name}" in text
    assert world.assessment().status == AssessmentStatus.SUBMITTED

    back = client.post(review_url(world), {**hidden_form(asked), "action": "edit"})
    assert back.status_code == 200
    assert world.assessment().status == AssessmentStatus.SUBMITTED

    answer = hidden_form(asked)
    assert answer["keep_self_scores"] == "1"
    done = client.post(review_url(world), answer)
    assert done.status_code == 302
    assessment = world.assessment()
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert not ReviewItem.objects.exists()
    assert sorted(assessment.items.values_list("criterion__code", "self_score")) == [
        ("1.1", Decimal(8)),
        ("1.2", Decimal(5)),
    ]
    assert assessment.events.filter(actor=world.reviewer, new_value="accepted").exists()


def test_accepting_with_a_score_asks_first_then_saves_it(client: Client, world: World) -> None:
    world.submit()
    login(client, world.reviewer)
    asked = client.post(review_url(world), {field(world, "score", "1.1"): "7", "action": "accept"})
    assert asked.status_code == 200
    text = text_of(asked)
    assert f"Chấp nhận bản tự chấm điểm của {world.unit_a.name}" in text
    assert "Giữ điểm tự chấm?" not in text
    assert not ReviewItem.objects.exists()

    done = client.post(review_url(world), hidden_form(asked))
    assert done.status_code == 302
    assert world.assessment().status == AssessmentStatus.ACCEPTED
    assert ReviewItem.objects.get().score == Decimal(7)


def test_going_back_from_the_question_keeps_what_the_reviewer_typed(
    client: Client, world: World
) -> None:
    world.submit()
    login(client, world.reviewer)
    typed = {field(world, "score", "1.1"): "6.5", field(world, "comment", "1.1"): "Thiếu ảnh"}
    asked = client.post(review_url(world), {**typed, "action": "accept"})
    back = client.post(review_url(world), {**hidden_form(asked), "action": "edit"})
    assert back.status_code == 200
    assert input_value(back, field(world, "score", "1.1")) == "6.5"
    assert "Thiếu ảnh</textarea>" in back.content.decode()
    assert not ReviewItem.objects.exists()
    assert world.assessment().status == AssessmentStatus.SUBMITTED


def test_submitting_without_javascript_asks_on_a_page_naming_the_council(
    client: Client, world: World
) -> None:
    world.complete()
    login(client, world.head_a)
    asked = client.post(
        page_url(world), {"version": world.assessment().version, "action": "submit"}
    )
    assert asked.status_code == 200
    text = text_of(asked)
    assert "Xác nhận: Nộp bản tự chấm điểm" in text
    assert (
        f"Bản tự chấm điểm của {world.unit_a.name} sẽ được gửi tới Hội đồng thi đua khen "
        f"thưởng của phong trào “{world.campaign.title}” để thẩm định"
    ) in text
    assert world.assessment().status == AssessmentStatus.DRAFT
    done = client.post(page_url(world), hidden_form(asked))
    assert done.status_code == 302
    assert world.assessment().status == AssessmentStatus.SUBMITTED


# Query counts ------------------------------------------------------------------------------------
# Measured on SQLite: 13 queries for the review page, with 10 criteria as with 60. The bound
# leaves a little room.

MAX_REVIEW_QUERIES = 15


@pytest.mark.parametrize("n", [10, 60])
def test_the_review_page_runs_a_bounded_number_of_queries_whatever_the_criteria(
    client: Client,
    media_root: object,
    n: int,
    django_assert_max_num_queries: object,
    record_property: object,
) -> None:
    world = build_world(checklist=points_checklist(n))
    assessment = world.save({str(i): "8" for i in range(1, n + 1)})
    services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    services.review_save(
        actor=world.reviewer,
        assessment=world.assessment(),
        entries=world.entries({str(i): "7" for i in range(1, n + 1, 2)}),
    )
    login(client, world.reviewer)
    with (
        CaptureQueriesContext(connection) as queries,
        django_assert_max_num_queries(MAX_REVIEW_QUERIES),  # type: ignore[operator]
    ):
        response = client.get(review_url(world))
    record_property("review_queries", len(queries))  # type: ignore[operator]
    assert response.status_code == 200
    assert response.content.decode().count("data-take-self=") == n
