"""The `self_scores` sheet: each unit's own scores and notes, and its day of submission (none:
a draft); applied through `assessments.services.self_scores_import`."""

from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from campaigns.models import SCORED_KINDS, Campaign
from campaigns.services import CriterionSpec
from core.workbooks import Row, date_cell

from ..services import SelfScoreEntry, self_scores_import
from .sheets import ScoreRules, duplicate, known_unit, number


def check(rows: list[Row], unit_codes: set[str], rules: ScoreRules) -> list[SelfScoreEntry]:
    """Scores in range and on the step; a submitted unit has every scored leaf scored."""
    first_submitted: dict[str, int] = {}
    scored: set[tuple[str, str]] = set()
    for row in rows:
        if row.text("submitted_on"):
            first_submitted.setdefault(row.text("unit_code"), row.number)
        if row.text("score"):
            scored.add((row.text("unit_code"), row.text("criterion_code")))
    to_score = rules.leaves_to_score()
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        unit_code = known_unit(row, "unit_code", unit_codes)
        criterion = rules.criterion(row, "criterion_code")
        duplicate(row, "criterion_code", f"{unit_code} / {criterion.code}", seen)
        score = _score(row, rules, criterion, submitted=unit_code in first_submitted)
        submitted_on = date_cell(row, "submitted_on")
        if first_submitted.get(unit_code) == row.number:
            _check_complete(row, unit_code, [c for c in to_score if (unit_code, c) not in scored])
        if criterion.code not in rules.sections:  # a section row with no score says nothing
            checked.append(
                SelfScoreEntry(
                    row, unit_code, criterion.code, score, row.text("note"), submitted_on
                )
            )
    return checked


def _score(
    row: Row, rules: ScoreRules, criterion: CriterionSpec, *, submitted: bool
) -> Decimal | None:
    score = number(row, "score")
    if score is not None:
        rules.check(row, criterion, score)
    elif submitted and criterion.kind in SCORED_KINDS and criterion.code not in rules.sections:
        raise row.error(
            "score",
            _("đơn vị “%(unit)s” đã nộp (có ngày nộp) nên phải có điểm tiêu chí “%(code)s”.")
            % {"unit": row.text("unit_code"), "code": criterion.code},
        )
    return score


def _check_complete(row: Row, unit_code: str, missing: list[str]) -> None:
    if missing:
        raise row.error(
            "submitted_on",
            _("đơn vị “%(unit)s” đã nộp nhưng chưa chấm các tiêu chí: %(codes)s.")
            % {"unit": unit_code, "codes": ", ".join(missing)},
        )


def apply(entries: list[SelfScoreEntry], *, actor: User | None, campaign: Campaign) -> Counter[str]:
    if not entries:
        return Counter()
    return self_scores_import(actor=actor, campaign=campaign, entries=entries)
