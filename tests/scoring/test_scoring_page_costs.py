"""The rankings page (charts included) and the runs page cost the same number of queries at 20 and
at 2,000 units, with one run or thirty; the runs list is paginated."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Enrolment
from scoring import pipeline, selectors
from scoring import services as runs
from scoring.models import Classification, Result, RunStatus, ScoringRun
from tests.campaigns.test_page_costs import a_case, many_units
from tests.factories import manager_of
from tests.scoring.scoring_cases import Case

pytestmark = pytest.mark.django_db

BANDS = [Classification.EXCELLENT, Classification.GOOD, Classification.PASS, Classification.FAIL]


def results_of(run: ScoringRun, enrolments: list[Enrolment]) -> None:
    """Results straight into the table, across every band and both blocks."""
    Result.objects.bulk_create(
        Result(
            run=run,
            enrolment=e,
            unit_id=e.unit_id,
            block_id=e.block_id,
            unit_code=f"C{e.pk}",
            unit_name=f"Đơn vị {i}",
            final_score=Decimal(40 + i % 61),
            self_score=Decimal(50 + i % 51),
            rank=i + 1,
            block_rank=i // 2 + 1,
            classification=BANDS[i % len(BANDS)],
            exemplary=i < 4,
        )
        for i, e in enumerate(enrolments)
    )


def scored(units: int, runs: int) -> Case:
    """A campaign of `units` + 2 units with `runs` finished runs (the last one published)."""
    case = a_case()
    enrolments = list(case.units.values()) + many_units(case, units)
    now = timezone.now()
    made = ScoringRun.objects.bulk_create(
        ScoringRun(
            campaign=case.campaign,
            status=RunStatus.SUCCEEDED if n % 3 else RunStatus.FAILED,
            error="" if n % 3 else "Đã hủy: thử",
            is_provisional=n % 2 == 0,
            chunks_total=2,
            chunks_done=2,
            finished_at=now - datetime.timedelta(minutes=runs - n),
        )
        for n in range(runs)
    )
    last = made[-1]
    ScoringRun.objects.filter(pk=last.pk).update(
        status=RunStatus.SUCCEEDED, is_published=True, published_at=now
    )
    results_of(last, enrolments)
    last.refresh_from_db()
    last.tallies = selectors.run_tallies(last)  # as its finish keeps them
    last.save(update_fields=["tallies"])
    return case


SIZES = [(20, 1), (2000, 1), (20, 30), (2000, 30)]


@pytest.mark.parametrize(("units", "runs"), SIZES)
def test_the_rankings_page_costs_the_same_queries_at_any_size(
    client: Client, units: int, runs: int, django_assert_max_num_queries: object
) -> None:
    case = scored(units, runs)
    client.force_login(manager_of(case.campaign.authority))
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(reverse("scoring:rankings", args=[case.campaign.code]))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 50 if units > 50 else units + 2
    charts = response.context["charts"]
    assert sum(charts["histogram"]["counts"]) == units + 2
    assert len(charts["blocks"]["labels"]) == (3 if units else 1)


@pytest.mark.parametrize(("units", "runs"), SIZES)
def test_the_runs_page_costs_the_same_queries_at_any_size(
    client: Client, units: int, runs: int, django_assert_max_num_queries: object
) -> None:
    case = scored(units, runs)
    client.force_login(manager_of(case.campaign.authority))
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(reverse("scoring:runs", args=[case.campaign.code]))
    assert response.status_code == 200
    assert len(response.context["runs"]) == min(runs, 10)
    waiting = units // 2 + 2  # half the units submitted, none reviewed
    assert response.context["unreviewed_count"] == waiting
    assert len(response.context["unreviewed"]) == min(waiting, 20)  # named; the rest counted
    if waiting > 20:
        assert f"và {waiting - 20} đơn vị khác" in response.content.decode()


def test_the_runs_list_shows_ten_a_page_newest_first_and_compares_any_finished_run(
    client: Client,
) -> None:
    case = scored(20, 30)
    client.force_login(manager_of(case.campaign.authority))
    url = reverse("scoring:runs", args=[case.campaign.code])

    first = client.get(url)
    numbers = [run.number for run in first.context["runs"]]
    assert numbers == list(range(30, 20, -1))
    assert "Trang 1/3" in first.content.decode()
    last = client.get(url, {"page": "3"})
    assert [run.number for run in last.context["runs"]] == list(range(10, 0, -1))
    finished = ScoringRun.objects.filter(campaign=case.campaign, status=RunStatus.SUCCEEDED)
    assert len(first.context["finished"]) == finished.count() == 20  # on every page
    assert f'<option value="{finished.order_by("pk").first().pk}">' in first.content.decode()


def test_the_charts_show_each_bins_count_and_each_blocks_average_by_block_name(
    client: Client,
) -> None:
    case = scored(20, 1)
    client.force_login(manager_of(case.campaign.authority))
    charts = client.get(reverse("scoring:rankings", args=[case.campaign.code])).context["charts"]

    results = list(Result.objects.filter(run__campaign=case.campaign, final_score__isnull=False))
    bins = [0] * 11
    for result in results:
        bins[min(int(result.final_score // 10), 10)] += 1
    assert charts["histogram"]["counts"] == bins
    averages: dict[str, list[Decimal]] = {}
    for result in results:
        if result.block_id is not None:
            averages.setdefault(result.block.name, []).append(result.final_score)
    assert charts["blocks"]["labels"] == sorted(averages)  # Biển, Khối 0, Khối 1
    assert charts["blocks"]["averages"] == [
        round(float(sum(scores) / len(scores)), 2) for _, scores in sorted(averages.items())
    ]


def test_a_run_keeps_the_charts_and_blocks_the_rankings_draw(client: Client) -> None:
    """Written when the run finishes, equal to what its results give, and the page reads them."""
    case = Case().criterion("1", max_points="10")
    case.unit("A", {"1": "8"}, block="K").unit("B", {"1": "9.5"}, block="K")
    case.unit("C", {"1": "4"}).unit("D", None, block="L")  # D never submitted: no score
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    assert run.tallies == selectors.run_tallies(run)
    assert run.tallies["bins"] == [0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0]  # 40, 80 and 95
    block_k = case.blocks["K"].pk
    assert run.tallies["blocks"] == {str(block_k): [case.blocks["K"].code, 2, "175.00"]}

    client.force_login(manager_of(case.campaign.authority))
    response = client.get(reverse("scoring:rankings", args=[case.campaign.code]))
    options = {pk for pk, _label in response.context["filter"].form.fields["block"].choices if pk}
    assert {int(str(pk)) for pk in options} == {block_k, case.blocks["L"].pk}
    assert response.context["charts"]["blocks"]["averages"] == [87.5]
