"""Scoring runs as a whole: refusals, failures, publishing, exports, commands and pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.services import SelfScoreRow, assessment_scores_bulk_set
from campaigns.models import CampaignEvent
from campaigns.services import enrolment_reopen
from core.text import fold
from scoring import engine, pipeline, selectors
from scoring import services as runs
from scoring.exports import COLUMNS
from scoring.models import Result, RunStatus, ScoringRun
from tests import factories
from tests.factories import MembershipFactory, UserFactory
from tests.scoring.scoring_cases import Case
from tests.scoring.test_export_jobs import downloaded
from units.models import Unit
from units.roles import Role

pytestmark = pytest.mark.django_db


def scored_case(units: int = 3) -> Case:
    case = Case().criterion("1").criterion("2", kind="yes_no", critical=True)
    for i in range(units):
        case.unit(f"Xã {i}", {"1": str(10 - i), "2": "10"}, block="K" if i % 2 else None)
    return case


def run_now(case: Case) -> ScoringRun:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    return run


def test_a_campaign_without_submissions_is_refused_with_a_message() -> None:
    case = Case().criterion("1").unit("A", {"1": "5"}, submitted=None)
    with pytest.raises(ValidationError, match="chưa đơn vị nào nộp"):
        runs.scoring_run_start(actor=None, campaign=case.campaign)
    assert not ScoringRun.objects.exists()


def test_a_checklist_whose_base_maximum_is_zero_is_refused() -> None:
    case = Case().criterion("B", kind="bonus").unit("A", {"B": "5"})
    with pytest.raises(ValidationError, match="bằng 0"):
        runs.scoring_run_start(actor=None, campaign=case.campaign)


def test_a_second_run_while_one_is_under_way_is_refused() -> None:
    case = scored_case()
    ScoringRun.objects.create(campaign=case.campaign, status=RunStatus.RUNNING)
    with pytest.raises(ValidationError, match="chưa xong"):
        runs.scoring_run_start(actor=None, campaign=case.campaign)
    assert ScoringRun.objects.count() == 1


def test_a_run_that_fails_midway_leaves_the_published_results_untouched(monkeypatch) -> None:
    case = scored_case()
    published = runs.scoring_run_publish(actor=None, run=run_now(case), publish_unreviewed=True)
    before = list(published.results.values_list("unit_name", "final_score", "rank"))

    def explode(**kwargs: object) -> None:
        raise RuntimeError("mất kết nối giữa chừng")

    monkeypatch.setattr(engine, "rank_run", explode)
    failed = runs.scoring_run_start(actor=None, campaign=case.campaign)
    with pytest.raises(RuntimeError):
        pipeline.execute(failed.pk)
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED and "mất kết nối" in failed.error
    assert not failed.results.exists()
    published.refresh_from_db()
    assert published.is_published
    assert list(published.results.values_list("unit_name", "final_score", "rank")) == before


def test_inputs_that_change_during_the_run_fail_it(monkeypatch) -> None:
    case = scored_case()
    real = engine.compute_chunk

    def change_then_compute(**kwargs: object) -> int:
        enrolment_reopen(
            actor=None, enrolment=case.units["Xã 0"], until=timezone.localdate(), reason="Bão lũ"
        )
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "compute_chunk", change_then_compute)
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    with pytest.raises(ValidationError):
        pipeline.execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and not run.results.exists()


def test_publishing_switches_all_results_at_once() -> None:
    case = scored_case()
    first = runs.scoring_run_publish(actor=None, run=run_now(case), publish_unreviewed=True)
    second = runs.scoring_run_publish(actor=None, run=run_now(case), publish_unreviewed=True)
    first.refresh_from_db()
    assert not first.is_published and second.is_published
    assert ScoringRun.objects.filter(campaign=case.campaign, is_published=True).count() == 1
    case.campaign.refresh_from_db()
    assert case.campaign.status == "published"


def test_comparing_two_runs_lists_who_moved() -> None:
    case = scored_case()
    older = run_now(case)
    assessment_scores_bulk_set(
        actor=None,
        campaign=case.campaign,
        self_scores=[
            SelfScoreRow(case.units["Xã 2"].assessment.pk, case.criteria["1"].pk, Decimal("10"))
        ],
    )
    newer = run_now(case)
    moves = selectors.runs_compare(older, newer)
    moved = {m["unit"]: m for m in moves}
    assert moved["Xã 2"]["old_rank"] == 3 and moved["Xã 2"]["new_rank"] == 1
    assert moved["Xã 2"]["delta"] == Decimal("10.00")


# Commands and exports ---------------------------------------------------------------------------


def test_export_results_has_exactly_the_domain_columns(tmp_path) -> None:
    case = scored_case()
    case.unit("Chưa nộp")
    run_now(case)
    target = tmp_path / "kq.csv"
    call_command("export_results", case.campaign.code, "--format", "csv", "--output", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 4
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["final_score"] == "100.00" and first["rank"] == "1"
    assert first["exemplary"] == "true" and first["critical_shortfall"] == "false"
    last = dict(zip(COLUMNS, rows[-1], strict=True))
    assert last["classification"] == "not_assessed"
    assert last["final_score"] == "" and last["rank"] == "" and last["self_score"] == ""


def test_export_results_writes_csv_to_the_commands_output_without_a_file() -> None:
    """Without --output the CSV goes to the command's standard output (what a shell redirect
    or `call_command(stdout=...)` catches), not around it."""
    case = scored_case()
    run_now(case)
    out = io.StringIO()
    call_command("export_results", case.campaign.code, stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 3


@pytest.mark.django_db(transaction=True)
def test_export_results_as_xlsx(tmp_path) -> None:
    case = scored_case()
    target = tmp_path / "kq.xlsx"
    call_command("export_results", case.campaign.code, "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert rows[1][COLUMNS.index("final_score")] == "100.00"


def test_export_of_an_unknown_campaign_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="No campaign"):
        call_command("export_results", "KHONG-CO")


@pytest.mark.django_db(transaction=True)
def test_score_campaign_prints_a_summary_and_publishes() -> None:
    case = scored_case()
    out = io.StringIO()
    call_command(
        "score_campaign", case.campaign.code, "--publish", "--publish-unreviewed", stdout=out
    )
    assert "3 units" in out.getvalue() and "published" in out.getvalue()
    assert ScoringRun.objects.get(campaign=case.campaign).is_published


# Pages --------------------------------------------------------------------------------------------


@pytest.fixture
def manager_of(db: None):  # type: ignore[no-untyped-def]
    def make(case: Case) -> User:
        user = factories.manager_of(case.campaign.authority)
        return user

    return make


@pytest.mark.django_db(transaction=True)
def test_manager_starts_a_run_from_the_page_and_publishes_it(client: Client, manager_of) -> None:
    case = scored_case()
    client.force_login(manager_of(case))
    code = case.campaign.code
    response = client.post(reverse("scoring:runs", args=[code]), follow=True)
    assert "Đã bắt đầu lần tính điểm thứ 1." in response.content.decode()
    run = ScoringRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    progress = client.get(reverse("scoring:run_progress", args=[code, run.pk])).content.decode()
    assert 'aria-valuenow="100"' in progress and "hx-get" not in progress
    client.post(
        reverse("scoring:run_publish", args=[code, run.pk]),
        {"publish_unreviewed": "1", "confirmed": "1"},
    )
    public = Client().get(reverse("scoring:public_results", args=[code]))
    assert public.status_code == 200
    assert "Xã 0" in public.content.decode()


def test_public_page_of_an_unpublished_campaign_is_404() -> None:
    case = scored_case()
    run_now(case)
    assert (
        Client().get(reverse("scoring:public_results", args=[case.campaign.code])).status_code
        == 404
    )


def test_unit_heads_cannot_see_rankings(client: Client) -> None:
    case = scored_case()
    run_now(case)
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=case.units["Xã 0"].unit)
    client.force_login(head)
    assert client.get(reverse("scoring:rankings", args=[case.campaign.code])).status_code == 403


def test_rankings_filters_without_diacritics(client: Client, manager_of) -> None:
    case = Case().criterion("1")
    case.unit("Xã Dương Hòa", {"1": "9"}).unit("Xã Bình An", {"1": "8"})
    run_now(case)
    client.force_login(manager_of(case))
    url = reverse("scoring:rankings", args=[case.campaign.code])
    html = client.get(url, {"q": "duong hoa"}).content.decode()
    assert "Xã Dương Hòa" in html and "Xã Bình An" not in html
    html = client.get(url, {"classification": "good"}).content.decode()
    assert "Xã Bình An" in html and "Xã Dương Hòa" not in html


@pytest.mark.parametrize("n_units", [10, 1000])
def test_rankings_page_runs_a_constant_number_of_queries(
    client: Client, manager_of, n_units: int, django_assert_max_num_queries
) -> None:
    case = Case().criterion("1")
    run = ScoringRun.objects.create(campaign=case.campaign, status=RunStatus.SUCCEEDED)
    case.unit("Mẫu", {"1": "5"})
    enrolment = case.units["Mẫu"]
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=f"R{n_units}-{i}",
                name=f"Xã {i}",
                search_name=fold(f"Xã {i}"),
                kind=enrolment.unit.kind,
                parent=case.campaign.authority,
            )
            for i in range(n_units)
        ]
    )
    Result.objects.bulk_create(
        [
            Result(
                run=run,
                enrolment=enrolment,
                unit=unit,
                unit_code=unit.code,
                unit_name=unit.name,
                final_score=Decimal(i % 100),
                rank=i + 1,
                classification="pass",
            )
            for i, unit in enumerate(units)
        ][:1]
    )
    Result.objects.filter(run=run).delete()
    from campaigns.models import Enrolment

    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(campaign=case.campaign, unit=unit) for unit in units]
    )
    Result.objects.bulk_create(
        [
            Result(
                run=run,
                enrolment=e,
                unit=e.unit,
                unit_code=e.unit.code,
                unit_name=e.unit.name,
                final_score=Decimal(i % 100),
                rank=i + 1,
                classification="pass",
            )
            for i, e in enumerate(enrolments)
        ]
    )
    client.force_login(manager_of(case))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("scoring:rankings", args=[case.campaign.code]))
    assert response.status_code == 200


def test_the_ranking_pdf_embeds_a_font_with_vietnamese_glyphs(
    client: Client, manager_of, django_capture_on_commit_callbacks
) -> None:
    case = scored_case()
    run_now(case)
    client.force_login(manager_of(case))
    response = downloaded(client, case, "pdf", django_capture_on_commit_callbacks)
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF") and b"DejaVuSans" in content


# Cancelling a run that cannot go on -------------------------------------------------------------


def test_a_manager_cancels_a_stuck_run_with_a_reason_and_may_start_again(
    client: Client, manager_of
) -> None:
    case = scored_case()
    stuck = ScoringRun.objects.create(campaign=case.campaign, status=RunStatus.RUNNING)
    code = case.campaign.code
    client.force_login(manager_of(case))

    page = client.get(reverse("scoring:runs", args=[code])).content.decode()
    assert reverse("scoring:run_cancel", args=[code, stuck.pk]) in page
    response = client.post(
        reverse("scoring:run_cancel", args=[code, stuck.pk]),
        {"reason": "Máy chủ xử lý bị tắt"},
        follow=True,
    )

    assert "Đã hủy lần tính điểm." in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED and "Máy chủ xử lý bị tắt" in stuck.error
    event = CampaignEvent.objects.get(campaign=case.campaign, action="scoring_cancel")
    assert event.reason == "Máy chủ xử lý bị tắt"
    assert run_now(case).status == RunStatus.SUCCEEDED  # the campaign is not locked


def test_cancelling_needs_a_reason_and_an_active_run(client: Client, manager_of) -> None:
    case = scored_case()
    stuck = ScoringRun.objects.create(campaign=case.campaign, status=RunStatus.QUEUED)
    client.force_login(manager_of(case))
    url = reverse("scoring:run_cancel", args=[case.campaign.code, stuck.pk])

    response = client.post(url, {"reason": "  "}, follow=True)
    assert "Hãy nêu lý do hủy lần tính điểm." in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.QUEUED

    done = run_now(scored_case())
    with pytest.raises(ValidationError, match="đã kết thúc"):
        runs.scoring_run_cancel(actor=None, run=done, reason="thử")


def test_only_the_campaigns_managers_may_cancel_a_run(client: Client) -> None:
    case = scored_case()
    stuck = ScoringRun.objects.create(campaign=case.campaign, status=RunStatus.RUNNING)
    other = factories.manager_of(Case().campaign.authority)
    client.force_login(other)

    response = client.post(
        reverse("scoring:run_cancel", args=[case.campaign.code, stuck.pk]), {"reason": "x"}
    )

    assert response.status_code == 403
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.RUNNING
