"""A real scoring run on a random campaign gives, column for column, what docs/domain.md's rules
(tests/properties/reference.py) give."""

from decimal import Decimal

from django.contrib.auth.models import User
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assessments.services import ReviewScoreRow, assessment_scores_bulk_set
from scoring import pipeline, selectors
from scoring import services as runs
from scoring.models import Result, RunStatus
from tests.factories import UserFactory
from tests.scoring.scoring_cases import Case

from . import reference as ref
from .strategies import Sheet, campaigns


def build(sheet: Sheet, reviewers: list[User]) -> Case:
    """The sheet, built by the scoring tests' `Case` builder and the bulk score service."""
    rules = sheet.rules
    case = Case(
        excellent_min=rules.excellent_min,
        good_min=rules.good_min,
        pass_min=rules.pass_min,
        exemplary_per_block=rules.per_block,
        zero_free_bands=rules.zero_free_bands,
        critical_points_cap=rules.points_cap,
        critical_yes_no_cap=rules.yes_no_cap,
        critical_deduction_cap=rules.deduction_cap,
        unsubmitted_band=rules.unsubmitted,
        bonus_limit=rules.bonus_limit,
        deduction_limit=rules.deduction_limit,
    )
    for c in sheet.criteria:  # sections come first, so a parent exists before its children
        case.criterion(
            c.code, kind=c.kind, max_points=str(c.max_points), critical=c.critical, parent=c.parent
        )
    for unit in sheet.units:
        scores = None
        if unit.scores is not None:
            scores = {code: None if v is None else str(v) for code, v in unit.scores.items()}
        case.unit(unit.name, scores, block=unit.block, submitted=sheet.submitted_on[unit.name])
        if not unit.reviews:
            continue
        assessment = case.units[unit.name].assessment
        assessment_scores_bulk_set(
            actor=None,
            campaign=case.campaign,
            reviews=[
                ReviewScoreRow(assessment.pk, case.criteria[code].pk, reviewer.pk, stage, mark)
                for code, stages in unit.reviews.items()
                for stage, marks in stages.items()
                for reviewer, mark in zip(reviewers, marks, strict=False)
            ],
        )
    return case


def score(case: Case, chunk_size: int | None = None) -> dict[str, Result]:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk, chunk_size)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return {r.unit_name: r for r in run.results.all()}


def outcome(result: Result) -> ref.Outcome:
    return ref.Outcome(
        final_score=result.final_score,
        self_score=result.self_score,
        rank=result.rank,
        block_rank=result.block_rank,
        classification=result.classification,
        exemplary=result.exemplary,
        critical_shortfall=result.critical_shortfall,
    )


class ScoringRunMatchesTheReference(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.reviewers = [UserFactory(username=f"prop.reviewer{i}") for i in range(3)]

    @given(sheet=campaigns(), chunk_size=st.integers(1, 4))
    def test_every_result_column_equals_the_reference(self, sheet: Sheet, chunk_size: int) -> None:
        case = build(sheet, self.reviewers)
        results = score(case)

        assert {name: outcome(r) for name, r in results.items()} == sheet.expected()
        for unit in sheet.units:
            block = f"{unit.block}-{case.campaign.pk}" if unit.block else ""
            assert results[unit.name].block_code == block
        for result in results.values():
            for value in (result.final_score, result.self_score):
                assert value is None or value == value.quantize(Decimal("0.01"))
            # The unit page names a rule exactly when the engine lowered the band.
            reasons = selectors.band_reasons(result)
            assert bool(reasons) == result.band_lowered
        # The same inputs, split into other chunks, give the same results.
        again = score(case, chunk_size)
        assert {n: outcome(r) for n, r in again.items()} == sheet.expected()
