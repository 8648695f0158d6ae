"""The oracle itself, on docs/domain.md's worked numbers (the same cases tests/scoring checks on the
engine), so a property failure points at the engine and not at a slip in reference.py."""

from decimal import Decimal
from fractions import Fraction

import pytest

from . import reference as ref

D = Decimal


def crit(code: str, kind: str = "points", max_points: str = "10", **extra: object) -> ref.Criterion:
    return ref.Criterion(code, kind, D(max_points), **extra)  # type: ignore[arg-type]


def unit(name: str, scores: dict[str, str | None], **extra: object) -> ref.Unit:
    values = {code: None if v is None else D(v) for code, v in scores.items()}
    return ref.Unit(name, scores=values, submitted=True, on_time=True, **extra)  # type: ignore[arg-type]


def test_105_625_rounds_half_up_and_a_bonus_lifts_above_100() -> None:
    criteria = [crit("1", max_points="80"), crit("B", "bonus", "10")]
    result = ref.score_campaign(criteria, [unit("A", {"1": "80", "B": "4.5"})])["A"]
    assert result.final_score == D("105.63")


@pytest.mark.parametrize(
    ("marks", "expected"), [(("0", "0", "1"), "33.33"), (("1", "1", "0"), "66.67")]
)
def test_a_mean_of_thirds_is_exact(marks: tuple[str, ...], expected: str) -> None:
    reviews = {"1": {1: [D(m) for m in marks]}}
    result = ref.score_campaign(
        [crit("1", max_points="1")], [unit("A", {"1": "1"}, reviews=reviews)]
    )
    assert result["A"].final_score == D(expected) and result["A"].self_score == D("100.00")


def test_the_latest_stage_that_scored_decides() -> None:
    reviews = {"1": {1: [D(4)], 2: [D(6)]}, "2": {1: [D(8)]}}
    criteria = [crit("1"), crit("2")]
    result = ref.score_campaign(criteria, [unit("A", {"1": "10", "2": "10"}, reviews=reviews)])
    assert result["A"].final_score == D("70.00")


def test_sections_deductions_floor_and_blanks() -> None:
    criteria = [crit("I", max_points="50"), crit("1", parent="I"), crit("D", "deduction", "30")]
    assert ref.base_maximum(criteria) == Fraction(10)
    results = ref.score_campaign(
        criteria, [unit("A", {"1": "5", "D": "30"}), unit("B", {"1": "5", "D": None})]
    )
    assert results["A"].final_score == D("0.00") and results["A"].classification == "fail"
    assert results["B"].final_score == D("50.00") and results["B"].classification == "pass"


def test_a_critical_shortfall_caps_at_good_and_is_never_exemplary() -> None:
    criteria = [crit("1", max_points="100"), crit("C", "deduction", "5", critical=True)]
    result = ref.score_campaign(criteria, [unit("A", {"1": "100", "C": "0.5"})])["A"]
    assert (result.classification, result.critical_shortfall, result.exemplary) == (
        "good",
        True,
        False,
    )


def test_ranks_blocks_and_leading_units() -> None:
    criteria = [crit("1"), crit("2")]
    units = [
        unit("A", {"1": "10", "2": "10"}, block="X"),
        unit("B", {"1": "10", "2": "10"}, block="X"),
        unit("C", {"1": "9.5", "2": "10"}, block="X"),
        unit("D", {"1": "9", "2": "9"}, block="Y"),
        unit("E", {"1": "9", "2": "9"}),
        ref.Unit("F", scores={"1": D(10), "2": D(10)}, submitted=False),
        ref.Unit("G"),
    ]
    results = ref.score_campaign(criteria, units)
    assert [results[n].rank for n in "ABCDEFG"] == [1, 1, 3, 4, 4, None, None]
    assert [results[n].block_rank for n in "ABCDE"] == [1, 1, 3, 1, None]
    assert [results[n].exemplary for n in "ABCDEFG"] == [
        True,
        True,
        False,
        True,
        False,
        False,
        False,
    ]
    assert results["G"] == ref.NOT_ASSESSED == results["F"]
