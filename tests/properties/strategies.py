"""Hypothesis strategies: random campaigns in the reference's terms (tests/properties/reference.py).

A campaign has 2–8 scored criteria of random kinds (maxima in steps of 0.5, some critical), up to
two sections above them, 1–8 units in up to two blocks, scores on the 0.5 grid, and up to three
reviewers per criterion across one or two stages. Some units never submit, some draft, some are
late; at least one submits, and at least one criterion counts towards the base maximum, so the
campaign can be scored. The settings are docs/domain.md's defaults or any bounds, critical caps, "no
criterion at 0" bands, bonus and deduction limits and band for units that never submitted.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from tests.scoring.scoring_cases import CLOSES

from . import reference as ref

HALF = Decimal("0.5")
STATES = ("none", "draft", "on_time", "on_time", "late")  # submitting is the common case


@dataclass(frozen=True)
class Sheet:
    """A generated campaign: its criteria (sections first), units and settings, plus each
    unit's submission day (None: not submitted) for the builders that need a date."""

    criteria: list[ref.Criterion]
    units: list[ref.Unit]
    rules: ref.Rules
    submitted_on: dict[str, datetime.date | None]

    def expected(self) -> dict[str, ref.Outcome]:
        return ref.score_campaign(self.criteria, self.units, self.rules)

    def leaves(self) -> list[ref.Criterion]:
        return ref.leaves(self.criteria)


def halves(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Multiples of 0.5 from low/2 to high/2."""
    return st.integers(low, high).map(lambda n: n * HALF)


def score_for(criterion: ref.Criterion) -> st.SearchStrategy[Decimal]:
    """A score the criterion allows: 0 or max for yes_no, else 0..max in steps of 0.5."""
    if criterion.kind == ref.YES_NO:
        return st.sampled_from([Decimal(0), criterion.max_points])
    return halves(0, int(criterion.max_points / HALF))


@st.composite
def checklists(draw: st.DrawFn) -> list[ref.Criterion]:
    count = draw(st.integers(2, 8))
    kinds = draw(st.lists(st.sampled_from(ref.KINDS), min_size=count, max_size=count))
    if not set(kinds) & set(ref.SCORED):
        kinds[0] = ref.POINTS  # a campaign needs a base maximum above 0 to be scored
    sections = [f"S{i}" for i in range(1, draw(st.integers(0, 2)) + 1)]
    leaves = [
        ref.Criterion(
            code=f"C{i}",
            kind=kind,
            max_points=draw(halves(1, 40)),
            critical=draw(st.booleans()),
            parent=draw(st.sampled_from([None, *sections])),
        )
        for i, kind in enumerate(kinds, start=1)
    ]
    used = {c.parent for c in leaves}
    # A section's own kind and max are noise the rules must ignore.
    heads = [
        ref.Criterion(code, draw(st.sampled_from(ref.KINDS)), draw(halves(0, 200)))
        for code in sections
        if code in used
    ]
    return heads + leaves


def self_scores(
    draw: st.DrawFn, leaves: list[ref.Criterion], *, submitted: bool
) -> dict[str, Decimal | None]:
    """A submitted unit scores every points/yes_no criterion; a deduction or bonus may be blank
    (no row, or a row without a score). A draft may leave anything out."""
    scores: dict[str, Decimal | None] = {}
    for criterion in leaves:
        must = submitted and criterion.kind in ref.SCORED
        choice = "score" if must else draw(st.sampled_from(["score", "blank", "absent"]))
        if choice == "score":
            scores[criterion.code] = draw(score_for(criterion))
        elif choice == "blank":
            scores[criterion.code] = None
    return scores


def reviews(draw: st.DrawFn, leaves: list[ref.Criterion]) -> dict[str, dict[int, list[Decimal]]]:
    """Up to three reviewers per criterion, each at stage 1 or 2."""
    given: dict[str, dict[int, list[Decimal]]] = {}
    for criterion in leaves:
        marks = draw(
            st.one_of(
                st.just([]),
                st.lists(
                    st.tuples(st.sampled_from([1, 2]), score_for(criterion)), min_size=1, max_size=3
                ),
            )
        )
        for stage, score in marks:
            given.setdefault(criterion.code, {}).setdefault(stage, []).append(score)
    return given


def submission_day(draw: st.DrawFn, state: str) -> datetime.date | None:
    if state == "on_time":  # the closing day itself is on time
        return CLOSES - datetime.timedelta(days=draw(st.integers(0, 20)))
    if state == "late":
        return CLOSES + datetime.timedelta(days=draw(st.integers(1, 10)))
    return None


BOUNDS = st.one_of(
    st.just((Decimal(50), Decimal(80), Decimal(90))),  # docs/domain.md's
    st.lists(st.integers(0, 10_000), min_size=3, max_size=3).map(
        lambda t: tuple(Decimal(n) / 100 for n in sorted(t))
    ),
)
LIMITS = st.one_of(st.none(), st.integers(0, 2_000).map(lambda n: Decimal(n) / 100))


@st.composite
def rules(draw: st.DrawFn) -> ref.Rules:
    """docs/domain.md's defaults half the time, else any bounds, caps, limits and conditions."""
    per_block = draw(st.integers(1, 3))
    if draw(st.booleans()):
        return ref.Rules(per_block=per_block)
    pass_min, good_min, excellent_min = draw(BOUNDS)
    bands = st.sampled_from(ref.BANDS)
    return ref.Rules(
        excellent_min=excellent_min,
        good_min=good_min,
        pass_min=pass_min,
        per_block=per_block,
        zero_free_bands=draw(st.integers(0, 3)),
        points_cap=draw(bands),
        yes_no_cap=draw(bands),
        deduction_cap=draw(bands),
        unsubmitted=draw(st.sampled_from(["not_assessed", "fail"])),
        bonus_limit=draw(LIMITS),
        deduction_limit=draw(LIMITS),
    )


@st.composite
def campaigns(draw: st.DrawFn) -> Sheet:
    criteria = draw(checklists())
    leaves = ref.leaves(criteria)
    blocks = ["X", "Y"][: draw(st.integers(0, 2))]
    count = draw(st.integers(1, 8))
    states = draw(st.lists(st.sampled_from(STATES), min_size=count, max_size=count))
    if not {"on_time", "late"} & set(states):
        states[0] = "on_time"  # a run needs one submission
    units, days = [], {}
    for i, state in enumerate(states):
        name = f"U{i}"
        days[name] = submission_day(draw, state)
        submitted = days[name] is not None
        units.append(
            ref.Unit(
                name=name,
                block=draw(st.sampled_from([None, *blocks])),
                scores=None if state == "none" else self_scores(draw, leaves, submitted=submitted),
                submitted=submitted,
                on_time=state == "on_time",
                reviews={} if state == "none" else reviews(draw, leaves),
            )
        )
    return Sheet(criteria, units, draw(rules()), days)
