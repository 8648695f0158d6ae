"""The self-assessment, evidence and review pages: who gets in, what a refused save keeps,
concurrent saves through the form, and a number of queries that does not grow with the checklist."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as review_services
from assessments.models import (
    AssessmentEvent,
    AssessmentItem,
    AssessmentStatus,
    Evidence,
    ReviewItem,
)
from campaigns import services as campaign_services
from campaigns.models import Campaign, Criterion
from tests.assessments.conftest import World, build_world, criterion_add
from tests.campaigns.test_services import PDF, PNG
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.roles import Role

pytestmark = pytest.mark.django_db


def login(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


def actor(world: World, who: str) -> User | None:
    if who == "anonymous":
        return None
    if who == "other_manager":
        user = UserFactory(username="other-manager", roles=[Role.CAMPAIGN_MANAGER])
        MembershipFactory(user=user, unit=UnitFactory(kind=kind("huyen")), role="officer")
        return user
    return getattr(world, who)


def page_url(world: World) -> str:
    return reverse("assessments:assessment", args=[world.enrolment().pk])


def field(world: World, name: str, code: str) -> str:
    return f"{name}_{world.criterion(code).pk}"


def form_version(response: object) -> int:
    html = response.content.decode()  # type: ignore[attr-defined]
    return int(re.search(r'name="version"\s+value="(\d+)"', html).group(1))  # type: ignore[union-attr]


def input_value(response: object, name: str) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert found, f"no input {name}"
    return found.group(1)


def radios(response: object, name: str) -> str:
    """The radio inputs of one Đạt / Không đạt choice, as HTML."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.findall(rf'<input[^>]*type="radio"[^>]*name="{name}"[^>]*>', html))


def hidden_form(response: object) -> dict[str, str]:
    """What the confirmation page posts when its first button is pressed (no JavaScript)."""
    html = response.content.decode()  # type: ignore[attr-defined]
    form = html[html.index('<form method="post"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    fields.update(re.findall(r'<button type="submit" name="(action)" value="([^"]*)"', form)[:1])
    fields.pop("csrfmiddlewaretoken", None)
    return {name: unescape(value) for name, value in fields.items()}


def text_of(response: object) -> str:
    """The page's text with tags removed and whitespace collapsed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def state(world: World) -> tuple[object, ...]:
    assessment = world.assessment()
    return (
        assessment.version,
        assessment.status,
        sorted(assessment.items.values_list("criterion__code", "self_score", "note")),
        assessment.events.count(),
        Evidence.objects.filter(item__assessment=assessment).count(),
        ReviewItem.objects.filter(assessment=assessment).count(),
    )


# Who gets in -------------------------------------------------------------------------------------

READERS = {"head_a", "staff_a", "reviewer", "manager"}
WRITERS = {"head_a", "staff_a"}
# Until its first submission an assessment is the unit's working copy.
DRAFT_READERS = WRITERS
EVERYONE = [
    "head_a",
    "staff_a",
    "head_b",
    "parent_head",
    "bystander",
    "reviewer",
    "manager",
    "other_manager",
    "anonymous",
]


def expected(who: str, allowed: set[str], success: int) -> int:
    if who == "anonymous":
        return 302
    return success if who in allowed else 403


def assert_login_redirect(response: object) -> None:
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].startswith(reverse("login"))  # type: ignore[index]


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_open_a_units_draft(client: Client, world: World, who: str) -> None:
    world.save({"1.1": "8"}, notes={"1.1": "Giải trình của xã"})
    response = login(client, actor(world, who)).get(page_url(world))
    assert response.status_code == expected(who, DRAFT_READERS, 200)
    if response.status_code == 200:
        assert "Giải trình của xã" in response.content.decode()
    else:
        assert "Giải trình của xã" not in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_open_a_units_submitted_assessment(client: Client, world: World, who: str) -> None:
    world.save({"1.1": "8"}, notes={"1.1": "Giải trình của xã"})
    world.submit()
    response = login(client, actor(world, who)).get(page_url(world))
    assert response.status_code == expected(who, READERS, 200)
    if response.status_code == 200:
        assert "Giải trình của xã" in response.content.decode()
    else:
        assert "Giải trình của xã" not in response.content.decode()
    if who == "anonymous":
        assert_login_redirect(response)


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_units_own_people_may_post_its_form(
    client: Client, world: World, who: str
) -> None:
    world.save({"1.1": "8"})
    before = state(world)
    response = login(client, actor(world, who)).post(
        page_url(world),
        {"version": world.assessment().version, field(world, "score", "1.1"): "9.5"},
    )
    assert response.status_code == expected(who, WRITERS, 302)
    if who == "anonymous":
        assert_login_redirect(response)
    saved = world.assessment().items.get(criterion=world.criterion("1.1")).self_score
    if who in WRITERS:
        assert saved == Decimal("9.5")
    else:
        assert state(world) == before


def test_the_head_of_the_parent_unit_is_not_let_in_by_that_membership(
    client: Client, world: World
) -> None:
    world.save({"1.1": "8"})
    login(client, world.parent_head)
    assert client.get(page_url(world)).status_code == 403
    assert client.get(reverse("assessments:evidence", args=[world.attach().pk])).status_code == 403


def test_staff_cannot_submit_through_the_form(client: Client, world: World) -> None:
    world.complete()
    response = login(client, world.staff_a).post(
        page_url(world), {"version": world.assessment().version, "action": "submit"}
    )
    assert response.status_code == 403
    assert "Chỉ thủ trưởng đơn vị được nộp" in text_of(response)
    assert world.assessment().status == AssessmentStatus.DRAFT


def test_the_head_submits_through_the_form_after_confirming(client: Client, world: World) -> None:
    world.complete()
    data = {"version": world.assessment().version, "action": "submit"}
    asked = login(client, world.head_a).post(page_url(world), data)
    assert asked.status_code == 200
    assert "sẽ được gửi tới Hội đồng thi đua khen thưởng" in text_of(asked)
    assert world.assessment().status == AssessmentStatus.DRAFT
    assert hidden_form(asked) == {**{k: str(v) for k, v in data.items()}, "confirmed": "1"}
    response = client.post(page_url(world), hidden_form(asked))
    assert response.status_code == 302
    assert world.assessment().status == AssessmentStatus.SUBMITTED
    page = client.get(page_url(world))
    assert 'name="score_' not in page.content.decode()  # read-only now


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_who_may_download_a_units_evidence(
    client: Client, world: World, who: str, submitted: bool
) -> None:
    evidence = world.attach("1.1")
    if submitted:
        world.submit()
    url = reverse("assessments:evidence", args=[evidence.pk])
    response = login(client, actor(world, who)).get(url)
    assert response.status_code == expected(who, READERS if submitted else DRAFT_READERS, 200)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        response.close()


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_open_and_post_the_review_page(client: Client, world: World, who: str) -> None:
    world.submit()
    url = reverse("assessments:review", args=[world.assessment().pk])
    login(client, actor(world, who))

    assert client.get(url).status_code == expected(who, {"reviewer"}, 200)

    before = state(world)
    response = client.post(url, {field(world, "score", "1.1"): "7", "action": "save"})
    assert response.status_code == expected(who, {"reviewer"}, 302)
    if who == "reviewer":
        assert ReviewItem.objects.get().score == Decimal(7)
    else:
        assert state(world) == before


def test_missing_objects_answer_404(client: Client, world: World) -> None:
    login(client, world.head_a)
    assert client.get(reverse("assessments:assessment", args=[999_999])).status_code == 404
    assert client.get(reverse("assessments:evidence", args=[999_999])).status_code == 404
    login(client, world.reviewer)
    assert client.get(reverse("assessments:review", args=[999_999])).status_code == 404


# Evidence through the page -----------------------------------------------------------------------


def test_evidence_downloads_as_an_attachment_the_browser_does_not_sniff(
    client: Client, world: World
) -> None:
    evidence = world.attach("1.1", name="Biên bản.pdf")
    response = login(client, world.head_a).get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_a_file_uploaded_with_the_form_is_kept_with_the_scores(
    client: Client, world: World
) -> None:
    assessment = world.assessment()
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": assessment.version,
            field(world, "score", "1.1"): "8",
            field(world, "evidence", "1.1"): SimpleUploadedFile("bien-ban.pdf", PDF),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.item.criterion == world.criterion("1.1")
    assert evidence.item.self_score == Decimal(8)


def test_a_refused_file_refuses_the_save_and_keeps_what_was_typed_on_the_page(
    client: Client, world: World
) -> None:
    before = state(world)
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": world.assessment().version,
            field(world, "score", "1.1"): "8",
            field(world, "evidence", "1.1"): SimpleUploadedFile("bien-ban.pdf", PNG),
        },
    )
    assert response.status_code == 422
    assert "không đúng" in response.content.decode()
    assert input_value(response, field(world, "score", "1.1")) == "8"
    assert state(world) == before


def test_a_head_cannot_remove_another_units_file_through_their_own_form(
    client: Client, world: World
) -> None:
    theirs = world.attach("1.1", unit=world.unit_b)
    world.save({"1.1": "8"})
    before = state(world)
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": world.assessment().version,
            field(world, "score", "1.1"): "9",
            "remove_evidence": theirs.pk,
        },
    )
    assert response.status_code == 404
    assert Evidence.objects.filter(pk=theirs.pk).exists()
    assert state(world) == before


def test_a_file_is_removed_from_a_draft_through_the_form(client: Client, world: World) -> None:
    evidence = world.attach("1.1")
    response = login(client, world.head_a).post(
        page_url(world), {"version": world.assessment().version, "remove_evidence": evidence.pk}
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()


# Forged input ------------------------------------------------------------------------------------


def test_a_forged_criterion_id_in_the_form_changes_nothing_of_the_other_campaign(
    client: Client, world: World, foreign_criterion: Criterion
) -> None:
    world.save({"1.1": "8"})
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": world.assessment().version,
            f"score_{foreign_criterion.pk}": "5",
            f"note_{foreign_criterion.pk}": "giả mạo",
            f"evidence_{foreign_criterion.pk}": SimpleUploadedFile("x.pdf", PDF),
        },
    )
    assert response.status_code in (302, 400)
    assert not AssessmentItem.objects.filter(criterion=foreign_criterion).exists()
    assert not AssessmentEvent.objects.filter(criterion=foreign_criterion).exists()
    assert not Evidence.objects.exists()
    assert world.assessment().items.get().self_score == Decimal(8)


def test_an_invalid_score_is_refused_in_vietnamese_and_what_was_typed_stays(
    client: Client, world: World
) -> None:
    world.save({"1.1": "8"})
    before = state(world)
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": world.assessment().version,
            field(world, "score", "1.1"): "9",
            field(world, "score", "1.2"): "3",
        },
    )
    assert response.status_code == 422
    assert "chỉ nhận 0 hoặc 5" in text_of(response)
    assert input_value(response, field(world, "score", "1.1")) == "9"
    assert "checked" not in radios(response, field(world, "score", "1.2"))
    assert state(world) == before


def test_every_wrong_score_is_shown_beside_its_box_and_linked_from_a_summary_at_the_top(
    client: Client, world: World
) -> None:
    before = state(world)
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": world.assessment().version,
            field(world, "score", "1.1"): "11",
            field(world, "score", "2"): "abc",
            field(world, "score", "3"): "2,5",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    summary = html[html.index("data-form-errors") : html.index('id="assessment-form"')]
    for code, message in (("1.1", "phải từ 0 đến 10"), ("2", "“abc” không phải là số")):
        name = field(world, "score", code)
        assert f'href="#id_{name}"' in summary
        assert message in summary
        beside = re.search(rf'id="id_{name}_error">([^<]*)<', html)
        assert beside and message in beside.group(1)
        assert re.search(rf'<input class="form-control is-invalid"\s+id="id_{name}"', html)
    assert field(world, "score", "3") not in summary  # 2,5 is a fine score
    assert input_value(response, field(world, "score", "3")) == "2,5"
    assert state(world) == before


def test_a_closed_window_shows_a_read_only_page_and_refuses_a_save(
    client: Client, world: World
) -> None:
    world.save({"1.1": "8"})
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    before = state(world)
    login(client, world.head_a)
    assert 'name="score_' not in client.get(page_url(world)).content.decode()
    response = client.post(
        page_url(world),
        {"version": world.assessment().version, field(world, "score", "1.1"): "9"},
    )
    assert response.status_code == 422
    assert "hết thời hạn" in text_of(response)
    assert state(world) == before


# Two people on one form --------------------------------------------------------------------------


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_what_was_typed(
    world: World,
) -> None:
    first, second = login(Client(), world.head_a), login(Client(), world.staff_a)
    loaded = form_version(first.get(page_url(world)))
    assert form_version(second.get(page_url(world))) == loaded

    saved = first.post(
        page_url(world),
        {"version": loaded, field(world, "score", "1.1"): "8", field(world, "score", "1.2"): "5"},
    )
    assert saved.status_code == 302

    refused = second.post(
        page_url(world),
        {
            "version": loaded,
            field(world, "score", "1.1"): "6",
            field(world, "note", "1.1"): "Ghi chú của cán bộ",
        },
    )
    assert refused.status_code == 409
    text = text_of(refused)
    assert "vừa được người khác lưu" in text
    assert "Trần Văn An: 1.1 điểm tự chấm: — → 8" in text
    assert "Trần Văn An: 1.2 điểm tự chấm: — → 5" in text
    assert input_value(refused, field(world, "score", "1.1")) == "6"
    assert "Ghi chú của cán bộ</textarea>" in refused.content.decode()
    assert world.assessment().items.get(criterion=world.criterion("1.1")).self_score == Decimal(8)

    # Having seen the change, the second user saves again from the refreshed form.
    again = second.post(
        page_url(world),
        {"version": form_version(refused), field(world, "score", "1.1"): "6"},
    )
    assert again.status_code == 302
    assert world.assessment().items.get(criterion=world.criterion("1.1")).self_score == Decimal(6)


def test_a_refused_submit_lists_what_is_missing_and_keeps_the_scores_as_a_draft(
    client: Client, world: World
) -> None:
    response = login(client, world.head_a).post(
        page_url(world),
        {
            "version": world.assessment().version,
            field(world, "score", "1.1"): "8",
            field(world, "score", "1.2"): "5",
            "action": "submit",
        },
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "Chưa thể nộp, còn thiếu:" in text
    assert "1.1. Thái độ, trách nhiệm với người dân, doanh nghiệp: chưa có minh chứng" in text
    assert "chưa chấm điểm" not in text
    assessment = world.assessment()
    assert assessment.status == AssessmentStatus.DRAFT
    assert sorted(assessment.items.values_list("criterion__code", "self_score")) == [
        ("1.1", Decimal(8)),
        ("1.2", Decimal(5)),
    ]


# The review page ---------------------------------------------------------------------------------


def test_the_reviewer_returns_with_a_reason_through_the_page(
    client: Client, world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    url = reverse("assessments:review", args=[world.assessment().pk])
    login(client, world.reviewer)

    refused = client.post(url, {field(world, "score", "1.1"): "7", "action": "return"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'href="#id_reason"' in html  # in the summary at the top
    assert re.search(r'id="id_reason"[^>]*>', html)
    assert "Phải nêu lý do trả lại" in text_of(refused)
    assert input_value(refused, field(world, "score", "1.1")) == "7"
    assert not ReviewItem.objects.exists()

    data = {field(world, "score", "1.1"): "7", "action": "return", "reason": "Thiếu ảnh"}
    asked = client.post(url, data)
    assert asked.status_code == 200
    assert f"trả lại cho {world.unit_a.name}" in text_of(asked)
    assert "Thiếu ảnh" in text_of(asked)
    assert world.assessment().status == AssessmentStatus.SUBMITTED
    assert not ReviewItem.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(url, hidden_form(asked))
    assert response.status_code == 302
    assert world.assessment().status == AssessmentStatus.RETURNED
    assert world.assessment().return_reason == "Thiếu ảnh"
    assert ReviewItem.objects.get().score == Decimal(7)
    own_page = login(Client(), world.head_a).get(page_url(world))
    assert "Thiếu ảnh" in text_of(own_page)


# Query counts ------------------------------------------------------------------------------------
# Measured on SQLite: 18 queries for a POST (first save or a change of every score), 13 for the
# GET and 22 for a confirmed submit (its savepoints included), with 10 criteria as with 60: the
# deadline rush's pages, where each query counts at the peak. The bounds leave a little room.

MAX_QUERIES_POST = 19
MAX_QUERIES_GET = 14
MAX_QUERIES_CONFIRMED_SUBMIT = 23


def points_checklist(n: int):  # type: ignore[no-untyped-def]
    def build(campaign: Campaign) -> None:
        for i in range(1, n + 1):
            criterion_add(campaign, f"{i}", order=i)

    return build


@pytest.mark.parametrize("n", [10, 60])
def test_saving_the_form_runs_a_bounded_number_of_queries_whatever_the_criteria(
    client: Client,
    media_root: object,
    n: int,
    django_assert_max_num_queries: object,
    record_property: object,
) -> None:
    world = build_world(checklist=points_checklist(n))
    login(client, world.head_a)
    url = page_url(world)

    def post(score: str) -> int:
        data: dict[str, object] = {"version": world.assessment().version, "action": "save"}
        data.update({field(world, "score", str(i)): score for i in range(1, n + 1)})
        with (
            CaptureQueriesContext(connection) as queries,
            django_assert_max_num_queries(MAX_QUERIES_POST),  # type: ignore[operator]
        ):
            response = client.post(url, data)
        record_property(f"post_{score}_queries", len(queries))  # type: ignore[operator]
        return response.status_code

    assert post("8") == 302  # creates the assessment and every item
    assert post("7.5") == 302  # changes every item
    assert world.assessment().items.filter(self_score=Decimal("7.5")).count() == n
    assert world.assessment().events.count() == 2 * n


@pytest.mark.parametrize("n", [10, 60])
def test_the_form_page_runs_a_bounded_number_of_queries_whatever_the_criteria(
    client: Client,
    media_root: object,
    n: int,
    django_assert_max_num_queries: object,
    record_property: object,
) -> None:
    world = build_world(checklist=points_checklist(n))
    world.save({str(i): "8" for i in range(1, n + 1)})
    for i in range(1, n + 1, 10):
        world.attach(str(i))
    login(client, world.head_a)
    with (
        CaptureQueriesContext(connection) as queries,
        django_assert_max_num_queries(MAX_QUERIES_GET),  # type: ignore[operator]
    ):
        response = client.get(page_url(world))
    record_property("get_queries", len(queries))  # type: ignore[operator]
    assert response.status_code == 200
    assert response.content.decode().count('name="score_') == n
    assert response.content.decode().count('href="/evidence/') == len(range(1, n + 1, 10))


@pytest.mark.parametrize("n", [10, 60])
def test_confirming_the_submit_runs_a_bounded_number_of_queries_whatever_the_criteria(
    client: Client,
    media_root: object,
    n: int,
    django_assert_max_num_queries: object,
    record_property: object,
) -> None:
    world = build_world(checklist=points_checklist(n))
    assessment = world.save({str(i): "8" for i in range(1, n + 1)})
    login(client, world.head_a)
    url = page_url(world)
    data = {"version": assessment.version, "action": "submit", "confirmed": "1"}
    with (
        CaptureQueriesContext(connection) as queries,
        django_assert_max_num_queries(MAX_QUERIES_CONFIRMED_SUBMIT),  # type: ignore[operator]
    ):
        response = client.post(url, data)
    record_property("confirmed_submit_queries", len(queries))  # type: ignore[operator]
    assert response.status_code == 302
    assert world.assessment().status == AssessmentStatus.SUBMITTED


# Measured on SQLite: 6 queries for the review queue, with one assessment waiting as with two.
MAX_QUEUE_QUERIES = 7


@pytest.mark.parametrize("waiting", [1, 2])
def test_the_review_queue_runs_a_bounded_number_of_queries_whatever_it_holds(
    client: Client,
    world: World,
    waiting: int,
    django_assert_max_num_queries: object,
    record_property: object,
) -> None:
    world.submit()
    if waiting == 2:
        review_services.review_assign(
            actor=world.manager, campaign=world.campaign, reviewer=world.reviewer, block=world.block
        )
        world.submit(unit=world.unit_b)
    login(client, world.reviewer)
    url = reverse("assessments:review_queue")
    with (
        CaptureQueriesContext(connection) as queries,
        django_assert_max_num_queries(MAX_QUEUE_QUERIES),  # type: ignore[operator]
    ):
        response = client.get(url)
    record_property("queue_queries", len(queries))  # type: ignore[operator]
    assert len(re.findall(r'href="/reviews/\d+/"', response.content.decode())) == waiting


def test_the_checklist_and_review_pages_name_each_criterions_kind(
    client: Client, world: World
) -> None:
    world.submit()
    kinds = ["Chấm điểm", "Đạt / không đạt", "Điểm trừ", "Điểm thưởng"]
    pages = [
        (world.head_a, page_url(world)),
        (world.reviewer, reverse("assessments:review", args=[world.assessment().pk])),
    ]
    for user, url in pages:
        html = login(client, user).get(url).content.decode()
        shown = re.findall(r'<div class="small text-body-secondary">\s*([^<·]+?)\s*[<·]', html)
        assert shown == kinds, url
