"""The session's minutes (PDF) and the draft decision (Quyết định khen thưởng, .docx)."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from core.documents import pdf_text, register_fonts

from .models import CouncilSession
from .services import Outcome


def money(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", ".") + " đ"


def decision_docx(session: CouncilSession, outcomes: list[Outcome]) -> bytes:
    passed = [o for o in outcomes if o.tally.passed]
    document = Document()
    document.add_heading(_("DỰ THẢO QUYẾT ĐỊNH KHEN THƯỞNG"), level=1)
    document.add_paragraph(_("Phong trào: %(title)s") % {"title": session.campaign.title})
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, [_("TT"), _("Đơn vị"), _("Danh hiệu"), _("Mức thưởng")], strict=True
    ):
        cell.text = text
    for number, outcome in enumerate(passed, start=1):
        row = table.add_row().cells
        row[0].text, row[1].text = str(number), outcome.nomination.enrolment.unit.name
        row[2].text, row[3].text = outcome.nomination.title.name, money(outcome.reward)
    total = sum((o.reward for o in passed), Decimal(0))
    document.add_paragraph(_("Tổng cộng: %(total)s") % {"total": money(total)})
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_pdf(
    session: CouncilSession, outcomes: list[Outcome], present: int, members: int
) -> bytes:
    register_fonts()
    title = ParagraphStyle("t", fontName="DejaVuSans-Bold", fontSize=14, leading=18)
    body = ParagraphStyle("b", fontName="DejaVuSans", fontSize=10, leading=13)
    rows = [[_("Đơn vị"), _("Danh hiệu"), _("Đồng ý"), _("Không"), _("Không BQ"), _("Kết quả")]]
    rows += [
        [
            Paragraph(pdf_text(o.nomination.enrolment.unit.name), body),
            o.nomination.title.name,
            o.tally.yes,
            o.tally.no,
            o.tally.abstain,
            _("Đạt") if o.tally.passed else _("Không đạt"),
        ]
        for o in outcomes
    ]
    table = Table(rows, colWidths=[60 * mm, 45 * mm, 16 * mm, 16 * mm, 18 * mm, 22 * mm])
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), "DejaVuSans", 9), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [
            Paragraph(_("Biên bản họp Hội đồng thi đua khen thưởng"), title),
            Paragraph(pdf_text(session.campaign.title), body),
            Paragraph(
                _("Ngày %(day)s. Có mặt %(present)s/%(members)s thành viên.")
                % {
                    "day": session.held_on.strftime("%d/%m/%Y"),
                    "present": present,
                    "members": members,
                },
                body,
            ),
            Spacer(1, 5 * mm),
            table,
        ]
    )
    return buffer.getvalue()
