"""The ranking as a printable PDF for the council's minutes, with a font that has Vietnamese."""

import io

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.documents import pdf_text, register_fonts

from .exports import cell
from .models import ScoringRun
from .selectors import result_list, run_number


def score(value: object) -> str:
    """A score as Vietnamese readers write it: 91,82."""
    return "" if value is None else number_format(value, 2, use_l10n=True)


def ranking_pdf(run: ScoringRun) -> bytes:
    register_fonts()
    title = ParagraphStyle("title", fontName="DejaVuSans-Bold", fontSize=14, leading=18)
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=12)
    header = [
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
    rows = [header] + [
        [
            cell(r.rank),
            r.unit_code,
            Paragraph(pdf_text(r.unit_name), body),
            Paragraph(pdf_text(r.block.name if r.block else ""), body),
            cell(r.block_rank),
            score(r.self_score),
            score(r.final_score),
            r.get_classification_display(),
            "✓" if r.exemplary else "",
        ]
        for r in result_list(run)
    ]
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[14 * mm, 24 * mm, 80 * mm, 24 * mm, 18 * mm, 18 * mm, 18 * mm, 40 * mm, 18 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "DejaVuSans", 8),
                ("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=run.campaign.title,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
    )
    published = run.published_at or run.finished_at or timezone.now()
    document.build(
        [
            Paragraph(
                _("Kết quả chấm điểm: %(title)s") % {"title": pdf_text(run.campaign.title)}, title
            ),
            Paragraph(
                _("Lần tính điểm thứ %(n)s, %(at)s")
                % {
                    "n": run_number(run),
                    "at": timezone.localtime(published).strftime("%H:%M %d/%m/%Y"),
                },
                body,
            ),
            Spacer(1, 6 * mm),
            table,
        ]
    )
    return buffer.getvalue()
