"""docs/domain.md's scoring rules on hand-built cases, computed by a real scoring run."""

import datetime
from decimal import Decimal

import pytest

from scoring import pipeline
from scoring import services as runs
from scoring.models import Result, RunStatus, ScoringRun
from tests.scoring.scoring_cases import CLOSES, Case

pytestmark = pytest.mark.django_db


def score(case: Case) -> dict[str, Result]:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return {r.unit_name: r for r in run.results.all()}


def simple(**settings: object) -> Case:
    return Case(**settings).criterion("1", max_points="10").criterion("2", max_points="10")


def test_final_score_is_the_percentage_of_the_base_maximum() -> None:
    results = score(simple().unit("A", {"1": "8.5", "2": "10"}))
    assert results["A"].final_score == Decimal("92.50")
    assert results["A"].self_score == Decimal("92.50")
    assert results["A"].classification == "excellent"


def test_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    case = simple().unit("A", {"1": "9", "2": "9"}).unit("B", {"1": "10", "2": "8"})
    results = score(case.unit("C", {"1": "5", "2": "5"}))
    assert [results[n].rank for n in "ABC"] == [1, 1, 3]


def test_bonus_lifts_a_score_above_100() -> None:
    case = simple().criterion("B", kind="bonus", max_points="5")
    results = score(case.unit("A", {"1": "10", "2": "10", "B": "5"}))
    assert results["A"].final_score == Decimal("125.00")


def test_deductions_stop_at_zero() -> None:
    case = simple().criterion("D", kind="deduction", max_points="30")
    results = score(case.unit("A", {"1": "5", "2": "5", "D": "30"}))
    assert results["A"].final_score == Decimal("0.00")
    assert results["A"].classification == "fail"


def test_a_blank_deduction_or_bonus_counts_as_zero() -> None:
    case = simple().criterion("D", kind="deduction").criterion("B", kind="bonus")
    results = score(case.unit("A", {"1": "10", "2": "10", "D": None, "B": None}))
    assert results["A"].final_score == Decimal("100.00")


def test_105_625_rounds_half_up_to_105_63() -> None:
    case = Case().criterion("1", max_points="80").criterion("B", kind="bonus", max_points="10")
    results = score(case.unit("A", {"1": "80", "B": "4.5"}))
    assert results["A"].final_score == Decimal("105.63")


def test_a_reviewer_mean_of_12_25_decides_the_criterion() -> None:
    case = Case().criterion("1", max_points="20").unit("A", {"1": "20"})
    results = score(case.review("A", "1", "12", "12.5"))
    assert results["A"].final_score == Decimal("61.25")
    assert results["A"].self_score == Decimal("100.00")


@pytest.mark.parametrize(
    ("reviews", "expected"), [(("0", "0", "1"), "33.33"), (("1", "1", "0"), "66.67")]
)
def test_a_mean_of_thirds_is_exact(reviews: tuple[str, ...], expected: str) -> None:
    case = Case().criterion("1", max_points="1").unit("A", {"1": "1"})
    results = score(case.review("A", "1", *reviews))
    assert results["A"].final_score == Decimal(expected)


def test_the_latest_review_stage_that_scored_a_criterion_decides_it() -> None:
    case = simple().unit("A", {"1": "10", "2": "10"})
    case.review("A", "1", "4", stage=1).review("A", "1", "6", stage=2).review("A", "2", "8")
    results = score(case)
    assert results["A"].final_score == Decimal("70.00")


def test_sections_carry_no_score_of_their_own() -> None:
    case = Case().criterion("I", max_points="50").criterion("1", parent="I", max_points="10")
    results = score(case.unit("A", {"1": "5"}))
    assert results["A"].final_score == Decimal("50.00")


@pytest.mark.parametrize(
    ("value", "band"), [("9", "excellent"), ("8", "good"), ("5", "pass"), ("4.5", "fail")]
)
def test_classification_bands_include_their_lower_bound(value: str, band: str) -> None:
    results = score(Case().criterion("1").unit("A", {"1": value}))
    assert results["A"].classification == band


@pytest.mark.parametrize(
    ("kind", "max_points", "scores"),
    [
        ("points", "10", {"1": "10", "C": "9.5"}),
        ("yes_no", "10", {"1": "10", "C": "0"}),
        ("deduction", "5", {"1": "10", "C": "0.5"}),
    ],
)
def test_a_critical_shortfall_caps_the_band_at_good(
    kind: str, max_points: str, scores: dict[str, str]
) -> None:
    case = (
        Case()
        .criterion("1", max_points="100")
        .criterion("C", kind=kind, max_points=max_points, critical=True)
    )
    results = score(case.unit("A", {**scores, "1": "100"}))
    assert results["A"].critical_shortfall is True
    assert results["A"].final_score >= Decimal("90")
    assert results["A"].classification == "good"
    assert results["A"].exemplary is False


def test_a_critical_criterion_met_is_no_shortfall() -> None:
    case = Case().criterion("1").criterion("C", kind="yes_no", critical=True)
    results = score(case.unit("A", {"1": "10", "C": "10"}))
    assert results["A"].critical_shortfall is False
    assert results["A"].exemplary is True


def test_a_unit_never_submitted_is_not_assessed_and_its_reviews_are_ignored() -> None:
    case = (
        simple()
        .unit("A", {"1": "10", "2": "10"})
        .unit("Draft", {"1": "10", "2": "10"}, submitted=None)
    )
    case.review("Draft", "1", "10").unit("Nothing")
    results = score(case)
    for name in ("Draft", "Nothing"):
        assert results[name].classification == "not_assessed"
        assert results[name].final_score is None and results[name].rank is None
    assert results["A"].rank == 1


def test_exemplary_needs_the_top_of_the_block_and_ties_share_the_flag() -> None:
    case = simple()
    case.unit("A", {"1": "10", "2": "10"}, block="X").unit("B", {"1": "10", "2": "10"}, block="X")
    case.unit("C", {"1": "9.5", "2": "10"}, block="X").unit("D", {"1": "9", "2": "9"}, block="Y")
    results = score(case)
    assert [results[n].block_rank for n in "ABCD"] == [1, 1, 3, 1]
    assert [results[n].exemplary for n in "ABCD"] == [True, True, False, True]


def test_a_late_submission_is_never_exemplary() -> None:
    late = CLOSES + datetime.timedelta(days=1)
    results = score(simple().unit("A", {"1": "10", "2": "10"}, submitted=late))
    assert results["A"].classification == "excellent"
    assert results["A"].on_time is False and results["A"].exemplary is False


def test_a_submission_within_a_reopened_window_is_on_time_and_may_lead() -> None:
    extension = CLOSES + datetime.timedelta(days=5)
    case = simple().unit("A", {"1": "10", "2": "10"}, submitted=extension - datetime.timedelta(1))
    case.unit("B", {"1": "10", "2": "10"}, submitted=extension + datetime.timedelta(days=1))
    for name in "AB":
        enrolment = case.units[name]
        enrolment.reopened_until, enrolment.reopen_reason = extension, "Mất điện"
        enrolment.save()
    results = score(case)
    assert results["A"].on_time is True and results["A"].exemplary is True
    assert results["B"].on_time is False and results["B"].exemplary is False
    # The progress page applies the same rule.
    assert case.units["A"].submitted_on_time(case.units["A"].assessment.submitted_at) is True


def test_a_unit_outside_every_block_competes_on_its_overall_rank() -> None:
    case = simple(exemplary_per_block=1).unit("A", {"1": "10", "2": "10"})
    results = score(case.unit("B", {"1": "9.5", "2": "9.5"}))
    assert results["A"].block_rank is None and results["A"].block_code == ""
    assert results["A"].exemplary is True and results["B"].exemplary is False


def test_the_setting_how_many_per_block() -> None:
    case = simple(exemplary_per_block=2)
    for name, value in [("A", "10"), ("B", "9.5"), ("C", "9")]:
        case.unit(name, {"1": value, "2": "10"}, block="X")
    results = score(case)
    assert [results[n].exemplary for n in "ABC"] == [True, True, False]


def test_the_same_inputs_give_the_same_results() -> None:
    case = simple()
    for i in range(12):
        case.unit(f"U{i}", {"1": str(i % 10), "2": "9.5"}, block="X" if i % 2 else None)
    first = score(case)
    second = score(case)
    assert {n: (r.final_score, r.rank, r.block_rank, r.exemplary) for n, r in first.items()} == {
        n: (r.final_score, r.rank, r.block_rank, r.exemplary) for n, r in second.items()
    }


def test_chunked_and_single_runs_agree(settings: object) -> None:
    case = simple()
    for i in range(15):
        case.unit(f"U{i}", {"1": str(i % 11), "2": "7.5"}, block=f"B{i % 3}")
    settings.SCORING_CHUNK_SIZE = 1000  # type: ignore[attr-defined]
    single = score(case)
    settings.SCORING_CHUNK_SIZE = 4  # type: ignore[attr-defined]
    chunked = score(case)
    assert ScoringRun.objects.order_by("pk").last().chunks_total == 4
    assert {n: (r.final_score, r.rank, r.block_rank, r.exemplary) for n, r in single.items()} == {
        n: (r.final_score, r.rank, r.block_rank, r.exemplary) for n, r in chunked.items()
    }
