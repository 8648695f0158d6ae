"""A unit's result page reads what its run stored (each criterion's final score, the block's
averages), so it shows the run's snapshot and costs the same at any size of campaign."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, ReviewItem
from assessments.services import ReviewScoreRow, SelfScoreRow, assessment_scores_bulk_set
from campaigns.models import Enrolment
from scoring import pipeline, selectors
from scoring import services as runs
from scoring.models import BlockCriterionTotal, Result, ScoringRun
from tests import factories
from tests.scoring.scoring_cases import CLOSES, Case, on
from units.models import Unit

pytestmark = pytest.mark.django_db


def scored(case: Case, chunk_size: int = 2) -> ScoringRun:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk, chunk_size=chunk_size)
    run.refresh_from_db()
    return run


def a_case() -> Case:
    case = Case().criterion("1").criterion("2", kind="yes_no", max_points="5")
    case.criterion("3", kind="deduction", max_points="2").criterion(
        "4", kind="bonus", max_points="2"
    )
    case.unit("A", {"1": "9", "2": "5", "3": "1", "4": "1.5"}, block="K")
    case.unit("B", {"1": "7", "2": "0", "3": "0", "4": "0"}, block="K")
    case.unit("C", {"1": "6", "2": "5", "3": "0", "4": "0"}, block="K")
    case.unit("D", {"1": "9", "2": "5"}, block="K", submitted=None)  # not assessed: no average
    case.review("A", "1", "8", "8.5").review("B", "1", "8", "8", "9")  # means 8.25 and 8⅓
    case.review("C", "1", "7", stage=1).review("C", "1", "6.5", stage=2)  # the latest stage
    return case


def manager_of(case: Case) -> User:
    return factories.manager_of(case.campaign.authority)


def codes(case: Case, found: dict[int, tuple[Decimal, Decimal | None]]) -> dict[str, object]:
    by_id = {c.pk: code for code, c in case.criteria.items()}
    return {by_id[pk]: value for pk, value in found.items()}


def test_the_run_stores_each_criterion_and_the_blocks_average() -> None:
    case = a_case()
    run = scored(case)
    result = Result.objects.select_related("run").get(run=run, enrolment=case.units["A"])

    assert codes(case, selectors.criterion_scores(result)) == {
        "1": (Decimal("8.25"), Decimal("7.69")),  # (8.25 + 8⅓ + 6.5) / 3
        "2": (Decimal("5.00"), Decimal("3.33")),
        "3": (Decimal("1.00"), Decimal("0.33")),
        "4": (Decimal("1.50"), Decimal("0.50")),
    }
    unassessed = Result.objects.select_related("run").get(run=run, enrolment=case.units["D"])
    assert selectors.criterion_scores(unassessed) == {}


def test_the_stored_criteria_add_up_to_each_final_score() -> None:
    """The audit: the exact per-criterion scores kept by the run give back every final score."""
    case = a_case()
    run = scored(case)
    kinds = {str(c.pk): c.kind for c in case.criteria.values()}
    scale = 100 * run.inputs["lcm"]
    for result in Result.objects.filter(run=run, final_score__isnull=False):
        total = sum(-v if kinds[k] == "deduction" else v for k, v in result.criteria.items())
        final = (Decimal(100 * total) / (15 * scale)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert final == result.final_score


def test_the_page_shows_the_runs_snapshot_not_todays_data(client: Client) -> None:
    case = a_case()
    run = scored(case)
    assessment_scores_bulk_set(
        actor=None,
        campaign=case.campaign,
        reviews=[
            ReviewScoreRow(*row, Decimal("1"))
            for row in ReviewItem.objects.filter(assessment__enrolment=case.units["A"]).values_list(
                "assessment", "criterion", "reviewer", "stage"
            )
        ],
    )
    client.force_login(manager_of(case))

    response = client.get(
        reverse("scoring:unit_result", args=[case.campaign.code, case.units["A"].pk]),
        {"run": run.pk},
    )
    rows = {row.criterion.code: (own, average) for row, own, average in response.context["rows"]}
    assert rows["1"] == (Decimal("8.25"), Decimal("7.69"))


def many_units(case: Case, count: int) -> None:
    authority = case.campaign.authority
    block = case.blocks["K"]
    units = Unit.objects.bulk_create(
        Unit(code=f"U{authority.pk}-{i}", name=f"Đơn vị {i}", kind=authority.kind, parent=authority)
        for i in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(campaign=case.campaign, unit=unit, block=block if i % 3 else None)
        for i, unit in enumerate(units)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(enrolment=e, status="submitted", submitted_at=on(CLOSES)) for e in enrolments
    )
    assessment_scores_bulk_set(
        actor=None,
        campaign=case.campaign,
        self_scores=[
            SelfScoreRow(a.pk, c.pk, Decimal(i % 3))
            for i, a in enumerate(assessments)
            for c in case.criteria.values()
        ],
    )


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize("name", ["unit_result", "rankings"])
def test_the_page_costs_the_same_queries_for_20_or_2000_units(
    client: Client, name: str, count: int, django_assert_max_num_queries: object
) -> None:
    case = a_case()
    many_units(case, count)
    run = scored(case, chunk_size=500)
    assert BlockCriterionTotal.objects.filter(run=run).count() == 4
    client.force_login(manager_of(case))
    args = [case.campaign.code] + ([case.units["A"].pk] if name == "unit_result" else [])
    # The rankings read their page's order by a narrow query, then its 50 rows whole (one more).
    most = 16 if name == "unit_result" else 17
    with django_assert_max_num_queries(most):  # type: ignore[operator]
        response = client.get(reverse(f"scoring:{name}", args=args))
    assert response.status_code == 200
