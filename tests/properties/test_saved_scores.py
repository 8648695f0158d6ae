"""Whatever a unit types, `assessment_save_draft` either saves a score within its criterion's
range and on the campaign's step, or refuses the whole save with a ValidationError and changes
nothing (docs/domain.md: points 0..max in steps, yes_no 0 or max, sections carry no score)."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assessments import services
from assessments.models import Assessment, AssessmentEvent, AssessmentItem
from campaigns.models import Campaign, Criterion
from tests.assessments.conftest import World, build_world, criterion_add, default_checklist

# What an input must come to. A Decimal: saved as exactly that value; BLANK: no score.
BLANK, REFUSED, ANY = "blank", "refused", "any"  # ANY: either outcome, the invariants still hold
Expect = Decimal | str
LEAVES = ("1.1", "1.2", "2", "3", "4")
STEPS = ("0.5", "0.25", "1", "0.1", "0.01")

NOT_FINITE = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "inf",
    "-inf",
    " Infinity ",
    "-Infinity",
    float("nan"),
    float("inf"),
    float("-inf"),
    Decimal("NaN"),
    Decimal("-Infinity"),
]
NOT_NUMBERS = ["abc", "7.5.1", "1.000,5", "7 5", "--1", "1/2", "½", "năm", "0x10", "1e", ".", "- 1"]
NOT_NUMBERS += ["7,5,0", "5đ", "10%", "=1+1", "1e5e5", True, False, ["7"], {"score": 7}]
HUGE = ["1e400", "9" * 60, 10**30, 1e308, "1E+999999999", "-1E+999999999", "99999999,99"]
# Numbers written in ways a person would not, but Python's Decimal reads: accepted or refused,
# the saved value must still be in range and on the step. (Exponents below Decimal's Etiny, such
# as 1e-99999999, have their own test at the end.)
ODD = ["٥", "１０", "1_0", "7.5E0", "5.", ".5", "0E+999", "0e-999", "-0", "+0.5", "0.50000"]


def grid(criterion: Criterion, step: Decimal) -> list[Decimal] | st.SearchStrategy[Decimal]:
    """The values a criterion accepts."""
    if criterion.kind == "yes_no":
        return [Decimal(0), criterion.max_points]
    return st.integers(0, int(criterion.max_points // step)).map(lambda k: k * step)


def written(value: Decimal) -> st.SearchStrategy[object]:
    """One value as a form or a cell may carry it: text with a point or a comma, padded with
    spaces, trailing zeros, a Decimal, an int or a float."""
    text = f"{value:f}"
    forms: list[object] = [text, text.replace(".", ","), f"  {text}\t", f"\u00a0{text} ", value]
    forms += [f"{text}0" if "." in text else f"{text}.00", float(value)]
    if value == value.to_integral_value():
        forms.append(int(value))
    return st.sampled_from(forms)


def valid(criterion: Criterion, step: Decimal) -> st.SearchStrategy[tuple[object, Expect]]:
    values = grid(criterion, step)
    values = st.sampled_from(values) if isinstance(values, list) else values
    return values.flatmap(lambda v: st.tuples(written(v), st.just(v)))


def decimals(low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    return st.decimals(low, high, places=3, allow_nan=False, allow_infinity=False)


def wrong(criterion: Criterion, step: Decimal) -> st.SearchStrategy[Decimal]:
    """A finite number the criterion must refuse: off its grid, below 0 or above max."""
    top = criterion.max_points
    outside = st.one_of(
        decimals(Decimal("-1000"), Decimal("-0.001")),
        decimals(Decimal("0.001"), Decimal("1000")).map(lambda d: top + d),
    )
    if top == 0:  # a section: nothing lies between 0 and its max
        return outside
    if criterion.kind == "yes_no":
        between = decimals(Decimal("0.001"), top - Decimal("0.001"))
    else:
        between = decimals(Decimal(0), top).filter(lambda v: v % step != 0)
    return st.one_of(outside, between)


def raw_input(criterion: Criterion, step: Decimal, *, section: bool) -> st.SearchStrategy:
    """(what was typed, what it must come to)."""
    blank = st.tuples(st.sampled_from(["", "   ", "\t", None]), st.just(BLANK))
    refused = st.one_of(
        wrong(criterion, step).flatmap(written),
        st.sampled_from(NOT_FINITE + NOT_NUMBERS + HUGE),
    ).map(lambda raw: (raw, REFUSED))
    odd = st.one_of(st.sampled_from(ODD), st.text(max_size=12)).map(
        lambda raw: (raw, BLANK if not raw.strip() else ANY)
    )
    if section:  # anything but a blank is a score for a section, and refused
        return st.one_of(blank, valid(criterion, step), refused, odd).map(
            lambda pair: pair if pair[1] == BLANK else (pair[0], REFUSED)
        )
    return st.one_of(blank, valid(criterion, step), refused, odd)


def _checklist(campaign: Campaign) -> None:
    """The default checklist and a criterion whose max is off the whole-number grid."""
    default_checklist(campaign)
    criterion_add(campaign, "4", title="Tiêu chí nửa điểm", max_points=Decimal("7.5"))


def typed_entries(world: World, step: Decimal) -> st.SearchStrategy[dict[str, Any]]:
    codes = st.lists(st.sampled_from(["I", *LEAVES]), min_size=1, max_size=4, unique=True)
    return codes.flatmap(
        lambda chosen: st.fixed_dictionaries(
            {code: raw_input(world.criterion(code), step, section=code == "I") for code in chosen}
        )
    )


def state(assessment: Assessment) -> tuple[object, ...]:
    items = AssessmentItem.objects.filter(assessment=assessment).order_by("pk").values()
    version = Assessment.objects.values_list("version", flat=True).get(pk=assessment.pk)
    events = AssessmentEvent.objects.filter(assessment=assessment).count()
    return list(items), version, events


def allowed(criterion: Criterion, value: Decimal, step: Decimal) -> bool:
    if not 0 <= value <= criterion.max_points:
        return False
    if criterion.kind == "yes_no":
        return value in (0, criterion.max_points)
    return value % step == 0


class SavedScoresStayInRange(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world(checklist=_checklist)

    def stored(self, assessment: Assessment) -> dict[str, Decimal | None]:
        items = AssessmentItem.objects.filter(assessment=assessment).select_related("criterion")
        return {item.criterion.code: item.self_score for item in items}

    @given(data=st.data(), step=st.sampled_from(STEPS).map(Decimal))
    def test_a_save_keeps_every_score_in_range_or_changes_nothing(
        self, data: st.DataObject, step: Decimal
    ) -> None:
        world = self.world
        Campaign.objects.filter(pk=world.campaign.pk).update(score_step=step)
        baseline = data.draw(
            st.fixed_dictionaries(
                {},
                optional={c: valid(world.criterion(c), step).map(lambda p: p[1]) for c in LEAVES},
            ),
            label="baseline",
        )
        if baseline:
            world.save({code: str(value) for code, value in baseline.items()})
        typed = data.draw(typed_entries(world, step), label="typed")
        assessment = world.assessment()
        before = state(assessment)

        try:
            services.assessment_save_draft(
                actor=world.head_a,
                assessment=assessment,
                version=assessment.version,
                entries={world.criterion(c).pk: (raw, "") for c, (raw, _e) in typed.items()},
            )
        except ValidationError:
            assert state(assessment) == before, "a refused save changed the assessment"
            assert any(expect in (REFUSED, ANY) for _raw, expect in typed.values())
        else:
            assert all(expect != REFUSED for _raw, expect in typed.values()), "accepted"
            stored = self.stored(assessment)
            for code, (_raw, expect) in typed.items():
                if expect == BLANK:
                    assert stored.get(code) is None
                elif expect != ANY:
                    assert stored[code] == expect
        for code, value in self.stored(assessment).items():
            criterion = world.criterion(code)
            assert value is None or allowed(criterion, value, step), (code, value)


@pytest.mark.django_db
def test_a_score_too_small_for_the_decimal_context_is_refused() -> None:
    world = build_world(checklist=_checklist)
    assessment = world.assessment()
    before = state(assessment)
    with pytest.raises(ValidationError):
        services.assessment_save_draft(
            actor=world.head_a,
            assessment=assessment,
            version=assessment.version,
            entries={world.criterion("1.1").pk: ("1e-99999999", "")},
        )
    assert state(assessment) == before
