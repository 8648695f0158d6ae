"""docs/domain.md's "Data exchange" as properties: a random campaign written as the importer's
workbook imports to exactly what the file says; importing the same file again changes nothing; and
the results export of the scored campaign has exactly docs/domain.md's columns, two-decimal scores,
and the values the scoring rules (tests/properties/reference.py) give."""

import csv
import datetime
import io
import re
import string
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assessments.exchange import campaign_import
from assessments.models import Assessment, AssessmentItem, ReviewItem
from campaigns import services as campaign_services
from campaigns.models import Campaign, Criterion
from scoring import pipeline
from scoring import services as runs
from scoring.models import RunStatus
from tests.assessments.workbooks import Sheets, snapshot, workbook_file
from tests.factories import UnitFactory, UserFactory, kind
from units.models import Unit
from units.roles import Role

from . import reference as ref
from .strategies import CLOSES, Sheet, campaigns

# docs/domain.md, "Data exchange": the export's columns, in this order.
EXPORT_COLUMNS = [
    "unit_code",
    "unit_name",
    "block_code",
    "self_score",
    "final_score",
    "rank",
    "block_rank",
    "classification",
    "exemplary",
    "critical_shortfall",
]
PROVINCE = "PROP-TINH"  # in the database before the import; the district in the file is under it
DISTRICT = "PROP-HUYEN"
REVIEWERS = ("hd.an", "hd.binh", "hd.chau")
# Text a person types: Vietnamese letters, digits, spaces and punctuation (never a formula start).
LETTERS = string.ascii_letters + string.digits + "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩị"
LETTERS += "òóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÂĂ ,.;:()"
TWO_DECIMALS = r"\d+\.\d\d"
CODE_START = string.ascii_uppercase + string.digits


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Padded on purpose: the importer keeps a cell's text without its outer spaces."""
    return st.text(LETTERS, min_size=1, max_size=max_size).filter(lambda t: t.strip())


@dataclass(frozen=True)
class Book:
    """A workbook and what it says, in the reference's terms (units keyed by code)."""

    sheets: Sheets
    code: str
    sheet: Sheet  # criteria and units, with every review at stage 1 (a file has one stage)
    names: dict[str, str]
    titles: dict[str, str]
    evidence: dict[str, bool]
    notes: dict[tuple[str, str], str | None]


def day_cell(day: datetime.date) -> st.SearchStrategy[object]:
    midnight = datetime.datetime.combine(day, datetime.time())
    return st.sampled_from([day, day.isoformat(), midnight])


def number_cell(value: Decimal) -> st.SearchStrategy[object]:
    plain = f"{value:f}"
    forms: list[object] = [float(value), plain, plain.replace(".", ","), f" {plain} "]
    if value == value.to_integral_value():
        forms.append(int(value))
    return st.sampled_from(forms)


def flag_cell(flag: bool) -> st.SearchStrategy[object]:
    return st.sampled_from([1, "1", True] if flag else [0, "0", False, None])


def kind_cell(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from([kind, kind.upper(), kind.capitalize(), f" {kind} "])


@st.composite
def books(draw: st.DrawFn) -> Book:
    generated = draw(campaigns())
    # A code starting with "-" would read as an option to `manage.py export_results`.
    code = draw(st.sampled_from(CODE_START)) + draw(st.text(CODE_START + "-_.", max_size=19))
    units = [ref.Unit(name=DISTRICT), *(_one_stage(u) for u in generated.units)]
    sheet = Sheet(generated.criteria, units, ref.Rules(), generated.submitted_on)
    names = {u.name: draw(text()) for u in units}
    titles = {c.code: draw(text()) for c in sheet.criteria}
    evidence = {c.code: draw(st.booleans()) for c in sheet.criteria}
    notes = {
        (u.name, c): draw(st.one_of(st.none(), text())) for u in units for c in (u.scores or {})
    }
    sections = {c.parent for c in sheet.criteria} - {None}
    rows: Sheets = {
        "campaign": [
            ["code", "title", "starts_on", "ends_on", "window_opens_on", "window_closes_on"],
            [
                code,
                draw(text()),
                draw(day_cell(datetime.date(2026, 1, 1))),
                draw(day_cell(datetime.date(2026, 12, 31))),
                draw(day_cell(datetime.date(2026, 11, 1))),
                draw(day_cell(CLOSES)),
            ],
        ],
        "units": [["code", "name", "kind", "parent_code"]]
        + [[DISTRICT, names[DISTRICT], "huyen", PROVINCE]]
        + [[u.name, names[u.name], "xa", DISTRICT] for u in units[1:]],
        "blocks": [["code", "name", "unit_code"]]
        + [[f"BK-{u.block}", f"Khối {u.block}", u.name] for u in units if u.block],
        "criteria": [
            ["code", "parent_code", "title", "kind", "max_points", "critical", "evidence_required"]
        ],
        "self_scores": [["unit_code", "criterion_code", "score", "note", "submitted_on"]],
        "review_scores": [["reviewer", "unit_code", "criterion_code", "score", "comment"]],
    }
    for c in sheet.criteria:
        blank_head = c.code in sections and draw(st.booleans())
        rows["criteria"].append(
            [
                c.code,
                c.parent,
                titles[c.code],
                None if blank_head else draw(kind_cell(c.kind)),
                None if blank_head else draw(number_cell(c.max_points)),
                draw(flag_cell(c.critical)),
                draw(flag_cell(evidence[c.code])),
            ]
        )
    for u in units:
        day = sheet.submitted_on.get(u.name)
        for position, (criterion, score) in enumerate((u.scores or {}).items()):
            dated = day is not None and (position == 0 or draw(st.booleans()))
            rows["self_scores"].append(
                [
                    u.name,
                    criterion,
                    None if score is None else draw(number_cell(score)),
                    notes[u.name, criterion],
                    draw(day_cell(day)) if dated else None,
                ]
            )
        for criterion, stages in u.reviews.items():
            for reviewer, score in zip(REVIEWERS, stages.get(1, []), strict=False):
                rows["review_scores"].append(
                    [reviewer, u.name, criterion, draw(number_cell(score))]
                )
    return Book(rows, code, sheet, names, titles, evidence, notes)


def _one_stage(unit: ref.Unit) -> ref.Unit:
    """A file carries one review stage, and one score per reviewer: the first three marks."""
    flat = {
        code: {1: [mark for stage in sorted(stages) for mark in stages[stage]][:3]}
        for code, stages in unit.reviews.items()
    }
    return replace(unit, reviews={code: marks for code, marks in flat.items() if marks[1]})


def cell(value: object) -> str:
    """A value as the export writes it: two decimals, true/false, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class WorkbookRoundTrip(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        UnitFactory(code=PROVINCE, name="Tỉnh Thử", kind=kind("tinh"))

    def assert_stored(self, book: Book, campaign: Campaign) -> None:
        criteria = Criterion.objects.filter(checklist=campaign.checklist).select_related("parent")
        sections = {c.parent for c in book.sheet.criteria} - {None}
        stored = [
            (c.code, c.parent.code if c.parent else None, c.title, c.critical, c.evidence_required)
            for c in criteria
        ]
        assert stored == [
            (c.code, c.parent, book.titles[c.code].strip(), c.critical, book.evidence[c.code])
            for c in book.sheet.criteria
        ]
        for stored_criterion, generated in zip(criteria, book.sheet.criteria, strict=True):
            if generated.code not in sections:  # a section's kind and max may be left blank
                assert stored_criterion.kind == generated.kind
                assert stored_criterion.max_points == generated.max_points
        items = AssessmentItem.objects.filter(assessment__enrolment__campaign=campaign)
        assert {
            (i.assessment.enrolment.unit.code, i.criterion.code): (i.self_score, i.note)
            for i in items.select_related("assessment__enrolment__unit", "criterion")
        } == {
            (u.name, c): (score, (book.notes[u.name, c] or "").strip())
            for u in book.sheet.units
            for c, score in (u.scores or {}).items()
        }
        submitted = Assessment.objects.filter(
            enrolment__campaign=campaign, submitted_at__isnull=False
        ).values_list("enrolment__unit__code", flat=True)
        assert set(submitted) == {u.name for u in book.sheet.units if u.submitted}
        reviews = ReviewItem.objects.filter(assessment__enrolment__campaign=campaign)
        assert sorted(
            (r.assessment.enrolment.unit.code, r.criterion.code, r.stage, r.score)
            for r in reviews.select_related("assessment__enrolment__unit", "criterion")
        ) == sorted(
            (u.name, c, 1, score)
            for u in book.sheet.units
            for c, stages in u.reviews.items()
            for score in stages[1]
        )
        units = Unit.objects.filter(code__in=book.names).select_related("parent")
        assert {u.code: (u.name, u.parent.code) for u in units} == {
            code: (name.strip(), PROVINCE if code == DISTRICT else DISTRICT)
            for code, name in book.names.items()
        }

    def export(self, campaign: Campaign) -> list[list[str]]:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "results.csv"
            call_command("export_results", campaign.code, output=str(target), stderr=io.StringIO())
            with target.open(encoding="utf-8", newline="") as exported:
                lines = list(csv.reader(exported))
            target = Path(folder) / "results.xlsx"
            call_command(
                "export_results",
                campaign.code,
                format="xlsx",
                output=str(target),
                stderr=io.StringIO(),
            )
            book = openpyxl.load_workbook(target, read_only=True)
            sheet = [[cell(v) for v in row] for row in book.active.iter_rows(values_only=True)]
            book.close()
        assert sheet == lines, "the .xlsx and the CSV differ"
        return lines

    def expected_rows(self, book: Book, campaign: Campaign) -> dict[str, list[str]]:
        rows = {}
        for code, o in book.sheet.expected().items():
            unit = next(u for u in book.sheet.units if u.name == code)
            rows[code] = [
                code,
                book.names[code].strip(),
                f"BK-{unit.block}" if unit.block else "",
                *(cell(v) for v in (o.self_score, o.final_score, o.rank, o.block_rank)),
                o.classification,
                *(cell(v) for v in (o.exemplary, o.critical_shortfall)),
            ]
        return rows

    @given(book=books())
    def test_a_workbook_imports_as_written_again_and_again_and_exports_the_rules(
        self, book: Book
    ) -> None:
        campaign_import(workbook_file=workbook_file(book.sheets), actor=None)
        campaign = Campaign.objects.get(code=book.code)
        self.assert_stored(book, campaign)

        before = snapshot()
        summary = campaign_import(workbook_file=workbook_file(book.sheets), actor=None)
        assert not summary.changed, (summary.created, summary.updated, summary.deleted)
        assert snapshot() == before

        member = UserFactory(roles=[Role.COUNCIL_MEMBER])  # the review needs a council
        campaign_services.council_seat_set(actor=None, campaign=campaign, user=member)
        for action in ("open_window", "close_window", "start_review"):
            campaign_services.campaign_transition(actor=None, campaign=campaign, action=action)
        run = runs.scoring_run_start(actor=None, campaign=campaign)
        pipeline.execute(run.pk)
        run.refresh_from_db()
        assert run.status == RunStatus.SUCCEEDED, run.error

        header, *lines = self.export(campaign)
        assert header == EXPORT_COLUMNS
        for line in lines:
            for score in line[3:5]:
                assert score == "" or re.fullmatch(TWO_DECIMALS, score), line
        assert {line[0]: line for line in lines} == self.expected_rows(book, campaign)
        ranks = [int(line[5]) if line[5] else None for line in lines]
        assert ranks == sorted(ranks, key=lambda r: (r is None, r or 0)), "rows not by rank"


@pytest.mark.django_db
def test_a_self_score_too_small_for_the_decimal_context_rejects_the_file() -> None:
    UnitFactory(code=PROVINCE, name="Tỉnh Thử", kind=kind("tinh"))
    sheets: Sheets = {
        "campaign": [
            ["code", "title", "starts_on", "ends_on", "window_opens_on", "window_closes_on"],
            ["TINY", "Nhỏ quá", "2026-01-01", "2026-12-31", "2026-11-01", "2026-11-30"],
        ],
        "units": [["code", "name", "kind", "parent_code"], ["U0", "Xã Một", "xa", PROVINCE]],
        "criteria": [["code", "title", "kind", "max_points"], ["1", "Một", "points", 10]],
        "self_scores": [["unit_code", "criterion_code", "score"], ["U0", "1", "1e-99999999"]],
    }
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        campaign_import(workbook_file=workbook_file(sheets), actor=None)
    assert (refused.value.sheet, refused.value.column) == ("self_scores", "score")  # type: ignore[attr-defined]
    assert snapshot() == before
