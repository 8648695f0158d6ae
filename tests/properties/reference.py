"""docs/domain.md's "Scoring" in plain Python: the oracle the property tests hold the engine to.

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
BANDS = ("excellent", "good", "pass", "fail")  # best first
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
    """The campaign settings the rules read (docs/domain.md's defaults)."""

    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    pass_min: Decimal = Decimal(50)
    per_block: int = 1
    # How many of the top bands need every points/yes_no criterion above 0 (Cần Thơ: 2).
    zero_free_bands: int = 0
    # The best band a shortfall on a critical criterion of each kind allows.
    points_cap: str = "good"
    yes_no_cap: str = "good"
    deduction_cap: str = "good"
    # The band of a unit that never submitted (it has no score and no rank either way).
    unsubmitted: str = "not_assessed"
    # The most the bonus and the deductions may each add up to; None: no limit.
    bonus_limit: Decimal | None = None
    deduction_limit: Decimal | None = None

    def critical_cap(self, kind: str) -> str:
        return {POINTS: self.points_cap, YES_NO: self.yes_no_cap, DEDUCTION: self.deduction_cap}[
            kind
        ]


@dataclass(frozen=True)
class Outcome:
    """One row of the results export, as docs/domain.md defines each column."""

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


def within(total: Fraction, limit: Decimal | None) -> Fraction:
    return total if limit is None else min(total, Fraction(limit))


def percentage(
    values: Mapping[str, Fraction], criteria: Sequence[Criterion], rules: Rules
) -> Decimal:
    """100 × (points + yes_no − deductions + bonus) / base maximum, never below 0, rounded; the
    deductions and the bonus each count up to their limit."""
    sums = dict.fromkeys(KINDS, Fraction(0))
    for criterion in leaves(criteria):
        sums[criterion.kind] += values[criterion.code]
    total = (
        sums[POINTS]
        + sums[YES_NO]
        - within(sums[DEDUCTION], rules.deduction_limit)
        + within(sums[BONUS], rules.bonus_limit)
    )
    return round_half_up(max(Fraction(0), 100 * total / base_maximum(criteria)))


def shortfall_kinds(values: Mapping[str, Fraction], criteria: Sequence[Criterion]) -> set[str]:
    """The kinds of the critical criteria missed: points/yes_no below max, any deduction."""
    kinds = set()
    for criterion in leaves(criteria):
        if not criterion.critical:
            continue
        value = values[criterion.code]
        if criterion.kind in SCORED and value < Fraction(criterion.max_points):
            kinds.add(criterion.kind)
        if criterion.kind == DEDUCTION and value > 0:
            kinds.add(criterion.kind)
    return kinds


def has_zero(values: Mapping[str, Fraction], criteria: Sequence[Criterion]) -> bool:
    """A points or yes_no criterion whose final score is 0."""
    return any(c.kind in SCORED and values[c.code] == 0 for c in leaves(criteria))


def classify(score: Decimal, caps: Sequence[str], rules: Rules) -> str:
    """The band of the score by the lower bounds, inclusive, lowered to the worst cap."""
    if score >= rules.excellent_min:
        band = "excellent"
    elif score >= rules.good_min:
        band = "good"
    elif score >= rules.pass_min:
        band = "pass"
    else:
        band = "fail"
    return max([band, *caps], key=BANDS.index)


def caps(values: Mapping[str, Fraction], criteria: Sequence[Criterion], rules: Rules) -> list[str]:
    """The best band each condition the unit meets allows."""
    found = [rules.critical_cap(kind) for kind in shortfall_kinds(values, criteria)]
    if has_zero(values, criteria):
        found.append(BANDS[rules.zero_free_bands])
    return found


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
    finals, selves, shortfalls, limits = {}, {}, {}, {}
    for unit in assessed:
        values = {c.code: criterion_final(unit, c.code) for c in leaves(criteria)}
        own = {c.code: own_score(unit, c.code) for c in leaves(criteria)}
        finals[unit.name] = percentage(values, criteria, rules)
        selves[unit.name] = percentage(own, criteria, rules)
        shortfalls[unit.name] = bool(shortfall_kinds(values, criteria))
        limits[unit.name] = caps(values, criteria, rules)
    ranks = competition_ranks(finals)
    block_ranks: dict[str, int] = {}
    for block in {u.block for u in assessed if u.block is not None}:
        block_ranks |= competition_ranks(
            {u.name: finals[u.name] for u in assessed if u.block == block}
        )
    # Never submitted: no score, no rank, whatever the campaign calls its band.
    unsubmitted = Outcome(None, None, None, None, rules.unsubmitted, False, False)
    outcomes = {unit.name: unsubmitted for unit in units}
    for unit in assessed:
        band = classify(finals[unit.name], limits[unit.name], rules)
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
