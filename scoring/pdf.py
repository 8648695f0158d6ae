"""The ranking as a printable PDF for the council's minutes, with a font that has Vietnamese.

Drawn line by line on a canvas with fixed row heights (no table layout to measure), so 10,000
units take about a second instead of twenty; text is drawn as text, never read as markup."""

import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import BinaryIO

from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from core.documents import register_fonts

from .models import Classification, ScoringRun
from .selectors import run_number

PAGE = landscape(A4)
MARGIN = 12 * mm
ROW = 5 * mm
FONT, BOLD, SIZE = "DejaVuSans", "DejaVuSans-Bold", 8
# Column widths, in the order of `header()`.
WIDTHS = [14 * mm, 24 * mm, 80 * mm, 34 * mm, 18 * mm, 18 * mm, 18 * mm, 40 * mm, 24 * mm]


def score(value: Decimal | float | None) -> str:
    """A score as Vietnamese readers write it: 91,82."""
    return "" if value is None else number_format(value, 2, use_l10n=True)


def header() -> list[str]:
    return [
        _("Hạng"),
        _("Mã"),
        _("Đơn vị"),
        _("Khối"),
        _("Hạng khối"),
        _("Tự chấm"),
        _("Điểm"),
        _("Xếp loại"),
        _("Dẫn đầu cụm/khối"),
    ]


def fit(text: str, width: float, font: str = FONT) -> str:
    """The text cut with an ellipsis to fit its column (long names only: most fit as they are)."""
    room = width - 2 * mm
    if stringWidth(text, font, SIZE) <= room:
        return text
    while text and stringWidth(text + "…", font, SIZE) > room:
        text = text[:-1]
    return text + "…"


def whole(value: int | None) -> str:
    return "" if value is None else str(value)


def rows(run: ScoringRun) -> Iterator[list[str]]:
    labels = dict(Classification.choices)
    results = (
        run.results.order_by(F("rank").asc(nulls_last=True), "unit_name")
        .values_list(
            "rank",
            "unit_code",
            "unit_name",
            "block__name",
            "block_rank",
            "self_score",
            "final_score",
            "classification",
            "exemplary",
        )
        .iterator(chunk_size=2000)
    )
    for rank, code, name, block, block_rank, own, final, band, exemplary in results:
        yield [
            whole(rank),
            code,
            name,
            block or "",
            whole(block_rank),
            score(own),
            score(final),
            str(labels.get(band, band)),
            "✓" if exemplary else "",
        ]


# The columns whose text may be too long for them (names, blocks, bands); the others never are.
LONG = {2, 3, 7}
LEFTS = [MARGIN + sum(WIDTHS[:i]) + 1 * mm for i in range(len(WIDTHS))]
RIGHT = MARGIN + sum(WIDTHS)


def draw_row(canvas: Canvas, y: float, values: list[str], font: str) -> None:
    canvas.setFont(font, SIZE)
    for i, value in enumerate(values):
        text = fit(value, WIDTHS[i], font) if i in LONG else value
        canvas.drawString(LEFTS[i], y + 1.5 * mm, text)
    canvas.line(MARGIN, y, RIGHT, y)


def ranking_pdf(run: ScoringRun) -> bytes:
    buffer = io.BytesIO()
    ranking_pdf_write(run, buffer)
    return buffer.getvalue()


def ranking_pdf_write(
    run: ScoringRun, target: BinaryIO, tick: Callable[[], None] | None = None
) -> None:
    """Draw the ranking into `target`; `tick` is called after each row (the export's progress)."""
    register_fonts()
    canvas = Canvas(target, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(run.campaign.title)
    canvas.setStrokeColor(colors.grey)
    canvas.setLineWidth(0.25)
    published = run.published_at or run.finished_at or timezone.now()
    width, height = PAGE
    canvas.setFont(BOLD, 14)
    canvas.drawString(
        MARGIN,
        height - MARGIN - 14,
        _("Kết quả chấm điểm: %(title)s") % {"title": run.campaign.title},
    )
    canvas.setFont(FONT, 9)
    canvas.drawString(
        MARGIN,
        height - MARGIN - 28,
        _("Lần tính điểm thứ %(n)s, %(at)s")
        % {"n": run_number(run), "at": timezone.localtime(published).strftime("%H:%M %d/%m/%Y")},
    )
    top = height - MARGIN - 40
    y = top - ROW
    draw_row(canvas, y, header(), BOLD)
    for values in rows(run):
        y -= ROW
        if y < MARGIN:
            canvas.showPage()
            canvas.setStrokeColor(colors.grey)
            canvas.setLineWidth(0.25)
            y = height - MARGIN - ROW
            draw_row(canvas, y, header(), BOLD)  # the header again on each page
            y -= ROW
        draw_row(canvas, y, values, FONT)
        if tick is not None:
            tick()
    canvas.save()
