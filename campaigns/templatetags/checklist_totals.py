"""Totals of a checklist form, rendered by the server so a page shows them before any script runs
(assessment.js only keeps them current as the user types). Rows are the assessment pages' rows:
criterion, is_section, self_score."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

from campaigns.models import CriterionKind
from campaigns.selectors import checklist_base_maximum

register = template.Library()

SIGNS = {CriterionKind.DEDUCTION: -1}


@dataclass(frozen=True)
class Total:
    points: Decimal
    base: Decimal

    @property
    def percent(self) -> Decimal:
        """docs/domain.md's final-score formula on these points: 100 × points / base, not below 0,
        rounded half-up to 2 decimals."""
        if self.base <= 0:
            return Decimal("0.00")
        value = max(Decimal(0), 100 * self.points / self.base)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _total(rows: list[Any], score_of: Any) -> Total:
    points = Decimal(0)
    for row in rows:
        if row.is_section:
            continue
        score = score_of(row)
        if score is not None:
            points += SIGNS.get(row.criterion.kind, 1) * Decimal(score)
    return Total(points=points, base=checklist_base_maximum(rows))


@register.simple_tag
def self_total(rows: Iterable[Any]) -> Total:
    """The unit's own scores: points and yes/no and bonus add, deductions subtract."""
    return _total(list(rows), lambda row: row.self_score)


@register.simple_tag
def review_total(rows: Iterable[Any], mine: Mapping[int, Any] | None) -> Total:
    """The reviewer's scores where given, the unit's own where a box is blank (docs/domain.md: where
    no reviewer scored a criterion, the self score stands)."""

    def score_of(row: Any) -> Any:
        review = (mine or {}).get(row.criterion.pk)
        if review is not None and review.score is not None:
            return review.score
        return row.self_score

    return _total(list(rows), score_of)
