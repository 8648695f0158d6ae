"""DOMAIN.md's "Scoring rules" in plain Python: the oracle the property tests hold the engine to.

Written from the specification, not from the engine: no Django, no SQL, every number exact
(a reviewers' mean is a Fraction; the final score is rounded half-up once, at the end).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

POINTS, YES_NO, DEDUCTION, BONUS = "points", "yes_no", "deduction", "bonus"
KINDS = (POINTS, YES_NO, DEDUCTION, BONUS)
SCORED = (POINTS, YES_NO)  # the base maximum is the sum of their max
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    code: str
    kind: str
    max_points: Decimal
    critical: bool = False
    parent: str | None = None


@dataclass(frozen=True)
class Unit:
    """One enrolled unit. `scores` None: no self-assessment at all; a code missing from it or
    mapped to None is a blank score. `reviews`: {criterion code: {stage: [scores]}}."""

    name: str
    block: str | None = None
    scores: Mapping[str, Decimal | None] | None = None
    submitted: bool = False
    on_time: bool = False
    reviews: Mapping[str, Mapping[int, Sequence[Decimal]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """The campaign settings the rules read (DOMAIN.md's defaults)."""

    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    pass_min: Decimal = Decimal(50)
    per_block: int = 1


@dataclass(frozen=True)
class Outcome:
    """One row of the results export, as DOMAIN.md defines each column."""

    final_score: Decimal | None
    self_score: Decimal | None
    rank: int | None
    block_rank: int | None
    classification: str
    exemplary: bool
    critical_shortfall: bool


NOT_ASSESSED = Outcome(None, None, None, None, "not_assessed", False, False)


def leaves(criteria: Sequence[Criterion]) -> list[Criterion]:
    """Sections (criteria that have sub-criteria) carry no score of their own."""
    parents = {c.parent for c in criteria}
    return [c for c in criteria if c.code not in parents]


def base_maximum(criteria: Sequence[Criterion]) -> Fraction:
    return sum((Fraction(c.max_points) for c in leaves(criteria) if c.kind in SCORED), Fraction())


def round_half_up(value: Fraction) -> Decimal:
    """To two decimals, halves away from zero (the values here are never negative)."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return (Decimal(cents) / 100).quantize(CENT)


def own_score(unit: Unit, code: str) -> Fraction:
    """The self score; a blank one (only deductions and bonuses may be blank) counts as 0."""
    value = (unit.scores or {}).get(code)
    return Fraction(0) if value is None else Fraction(value)


def criterion_final(unit: Unit, code: str) -> Fraction:
    """The reviewers' mean at the latest stage that scored the criterion, else the self score."""
    stages = {stage: scores for stage, scores in unit.reviews.get(code, {}).items() if scores}
    if not stages:
        return own_score(unit, code)
    scores = stages[max(stages)]
    return sum((Fraction(s) for s in scores), Fraction()) / len(scores)


def percentage(values: Mapping[str, Fraction], criteria: Sequence[Criterion]) -> Decimal:
    """100 × (points + yes_no − deductions + bonus) / base maximum, never below 0, rounded."""
    total = Fraction(0)
    for criterion in leaves(criteria):
        sign = -1 if criterion.kind == DEDUCTION else 1
        total += sign * values[criterion.code]
    return round_half_up(max(Fraction(0), 100 * total / base_maximum(criteria)))


def critical_shortfall(values: Mapping[str, Fraction], criteria: Sequence[Criterion]) -> bool:
    for criterion in leaves(criteria):
        if not criterion.critical:
            continue
        value = values[criterion.code]
        if criterion.kind in SCORED and value < Fraction(criterion.max_points):
            return True
        if criterion.kind == DEDUCTION and value > 0:
            return True
    return False


def classify(score: Decimal, shortfall: bool, rules: Rules) -> str:
    """Bands by their lower bound, inclusive; a critical shortfall caps the band at good."""
    if score >= rules.excellent_min and not shortfall:
        return "excellent"
    if score >= rules.good_min:
        return "good"
    if score >= rules.pass_min:
        return "pass"
    return "fail"


def competition_ranks(scores: Mapping[str, Decimal]) -> dict[str, int]:
    """Standard competition ranking (1, 2, 2, 4): one more than the number of better scores."""
    return {
        name: 1 + sum(1 for other in scores.values() if other > score)
        for name, score in scores.items()
    }


def score_campaign(
    criteria: Sequence[Criterion], units: Sequence[Unit], rules: Rules = Rules()
) -> dict[str, Outcome]:
    """Every unit's row of the results, by unit name."""
    assessed = [u for u in units if u.submitted and u.scores is not None]
    finals, selves, shortfalls = {}, {}, {}
    for unit in assessed:
        values = {c.code: criterion_final(unit, c.code) for c in leaves(criteria)}
        own = {c.code: own_score(unit, c.code) for c in leaves(criteria)}
        finals[unit.name] = percentage(values, criteria)
        selves[unit.name] = percentage(own, criteria)
        shortfalls[unit.name] = critical_shortfall(values, criteria)
    ranks = competition_ranks(finals)
    block_ranks: dict[str, int] = {}
    for block in {u.block for u in assessed if u.block is not None}:
        block_ranks |= competition_ranks(
            {u.name: finals[u.name] for u in assessed if u.block == block}
        )
    outcomes = {unit.name: NOT_ASSESSED for unit in units}
    for unit in assessed:
        band = classify(finals[unit.name], shortfalls[unit.name], rules)
        standing = block_ranks[unit.name] if unit.block is not None else ranks[unit.name]
        outcomes[unit.name] = Outcome(
            final_score=finals[unit.name],
            self_score=selves[unit.name],
            rank=ranks[unit.name],
            block_rank=block_ranks.get(unit.name),
            classification=band,
            exemplary=(
                band == "excellent"
                and not shortfalls[unit.name]
                and unit.on_time
                and standing <= rules.per_block
            ),
            critical_shortfall=shortfalls[unit.name],
        )
    return outcomes
