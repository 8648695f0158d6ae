"""The award file as officials sign it: the decision (.docx, from a template a clerk can edit
in Word: votes/templates_docx/quyet_dinh_khen_thuong.docx) and the minutes of the council
meeting (PDF). Layout after Nghị định 30/2020/NĐ-CP: Quốc hiệu, Tiêu ngữ, issuing body,
"Số:", place and date, content, signer, recipients; A4."""

import datetime
import io
from pathlib import Path

from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from core.documents import pdf_text, register_fonts

from .models import Attendance, CouncilSession, VoteReceipt
from .selectors import Outcome, money, percent
from .services import base_salary_on

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"
DECISION_TEMPLATE = TEMPLATES / "quyet_dinh_khen_thuong.docx"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_NUMBER = "      /QĐ-      "

# The legal bases a decision cites, by the date it is made (newest first).
LEGAL_BASES = [
    (
        datetime.date(2025, 7, 1),
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định về phân cấp, phân quyền "
            "trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số "
            "điều của Luật Thi đua, khen thưởng;",
        ],
    ),
    (
        datetime.date(2024, 1, 1),
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ quy định chi tiết thi hành một số "
            "điều của Luật Thi đua, khen thưởng;",
        ],
    ),
    (
        datetime.date.min,
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003 và các Luật sửa đổi, bổ "
            "sung một số điều của Luật Thi đua, khen thưởng;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP của Chính phủ quy định chi tiết thi hành một số "
            "điều của Luật Thi đua, khen thưởng;",
        ],
    ),
]


def legal_bases(day: datetime.date) -> list[str]:
    return next(bases for since, bases in LEGAL_BASES if day >= since)


def _place(session: CouncilSession) -> str:
    return session.place_name or session.campaign.authority.name


def decision_context(session: CouncilSession, outcomes: list[Outcome]) -> dict[str, object]:
    authority = session.campaign.authority
    day = session.decided_on or session.held_on
    passed = [o for o in outcomes if o.nomination.passed]
    base = passed[0].nomination.base_salary if passed else None
    salary = base_salary_on(day)
    return {
        "issuer_parent": authority.parent.name.upper() if authority.parent else "",
        "issuer": authority.name.upper(),
        "issuer_name": authority.name,
        "number": session.decision_number or BLANK_NUMBER,
        "place": _place(session),
        "day": f"{day:%d}",
        "month": f"{day:%m}",
        "year": f"{day:%Y}",
        "campaign_title": session.campaign.title,
        "signer_authority": (session.signer_post or _("Người đứng đầu")).upper(),
        "bases": legal_bases(day),
        "session_date": f"{session.held_on:%d/%m/%Y}",
        "rows": [
            {
                "number": number,
                "nominee": o.nomination.nominee,
                "award": o.nomination.award_name,
                "amount": o.amount or _("chưa xác định"),
            }
            for number, o in enumerate(passed, start=1)
        ],
        "total": money(sum(o.nomination.amount or 0 for o in passed)),
        "base_salary": money(base or salary.amount),
        "base_salary_from": f"{salary.valid_from:%d/%m/%Y}",
        "signer_post": (session.signer_post or "").upper(),
        "signer_name": session.signer_name,
    }


def decision_docx(session: CouncilSession, outcomes: list[Outcome]) -> bytes:
    """Quyết định khen thưởng: Điều 1 lists what passed with each amount fixed at the close."""
    document = DocxTemplate(DECISION_TEMPLATE)
    document.render(decision_context(session, outcomes), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _names(rows: list[Attendance]) -> str:
    return ", ".join(f"{a.name} ({a.get_role_display()})" for a in rows) or _("không")


def minutes_pdf(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> bytes:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng: who, when, where, and each nomination's
    counts against ALL members. Uncompressed and invariant, so the same session gives the
    same bytes."""
    register_fonts()
    bold = ParagraphStyle("b", fontName="DejaVuSans-Bold", fontSize=11, leading=15, alignment=1)
    body = ParagraphStyle("n", fontName="DejaVuSans", fontSize=10, leading=14)
    cell = ParagraphStyle("c", fontName="DejaVuSans", fontSize=8, leading=10)
    present = [a for a in attendance if a.present]
    absent = [a for a in attendance if not a.present]
    chair = next((a for a in attendance if a.role == "chair" and a.present), None) or next(
        (a for a in attendance if a.role == "vice_chair" and a.present), None
    )
    secretary = next((a for a in attendance if a.role == "secretary"), None)
    members = session.member_count or len(attendance)
    written = VoteReceipt.objects.filter(nomination__session=session, written=True).count()
    when = session.held_on.strftime("%d/%m/%Y")
    if session.starts_at:
        when = f"{session.starts_at:%H} giờ {session.starts_at:%M}, ngày {when}"
    head = Table(
        [
            [
                Paragraph(pdf_text(session.campaign.authority.name.upper()), bold),
                Paragraph(NATION, bold),
            ],
            [
                Paragraph(pdf_text(_("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG")), bold),
                Paragraph(MOTTO, bold),
            ],
        ],
        colWidths=[70 * mm, 95 * mm],
    )
    rows: list[list[object]] = [
        [
            _("TT"),
            _("Tập thể, cá nhân"),
            _("Danh hiệu, hình thức"),
            _("Đồng ý"),
            _("Không đồng ý"),
            _("Không biểu quyết"),
            _("Kết quả"),
        ]
    ]
    rows += [
        [
            str(number),
            Paragraph(pdf_text(o.nomination.nominee), cell),
            Paragraph(pdf_text(o.nomination.award_name), cell),
            Paragraph(pdf_text(o.share), cell),
            Paragraph(pdf_text(o.no_share), cell),
            Paragraph(pdf_text(o.abstain_share), cell),
            _("Đạt") if o.nomination.passed else _("Không đạt"),
        ]
        for number, o in enumerate(outcomes, start=1)
    ]
    table = Table(rows, colWidths=[8 * mm, 40 * mm, 32 * mm, 22 * mm, 22 * mm, 22 * mm, 19 * mm])
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), "DejaVuSans", 8), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    )
    lines = [
        _("Thời gian: %(when)s.") % {"when": when},
        _("Địa điểm: %(venue)s.") % {"venue": session.venue or _place(session)},
        _("Chủ trì: %(name)s.") % {"name": chair.name if chair else "—"},
        _("Thư ký: %(name)s.") % {"name": secretary.name if secretary else "—"},
        _(
            "Thành phần tham dự: có mặt %(present)s/%(members)s thành viên "
            "(%(percent)s%%): %(names)s."
        )
        % {
            "present": len(present),
            "members": members,
            "percent": percent(len(present), members),
            "names": _names(present),
        },
        _("Vắng mặt: %(names)s.") % {"names": _names(absent)},
        _("Số thành viên có mặt bảo đảm tỷ lệ tối thiểu %(quorum)s tổng số thành viên Hội đồng.")
        % {"quorum": f"{session.quorum_numerator}/{session.quorum_denominator}"},
        _(
            "Hội đồng biểu quyết bằng phiếu kín; tỷ lệ tính trên tổng số thành viên Hội đồng; "
            "%(written)s phiếu bằng văn bản của thành viên vắng mặt do thư ký ghi nhận."
        )
        % {"written": written},
    ]
    signatures = Table(
        [
            [Paragraph(_("THƯ KÝ"), bold), Paragraph(_("CHỦ TRÌ"), bold)],
            ["", ""],
            [
                Paragraph(pdf_text(secretary.name if secretary else ""), bold),
                Paragraph(pdf_text(chair.name if chair else ""), bold),
            ],
        ],
        colWidths=[80 * mm, 80 * mm],
        rowHeights=[None, 20 * mm, None],
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=1,
        pageCompression=0,
        title=_("Biên bản họp Hội đồng Thi đua - Khen thưởng"),
    ).build(
        [
            head,
            Spacer(1, 6 * mm),
            Paragraph(_("BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"), bold),
            Paragraph(
                pdf_text(
                    _("Xét khen thưởng phong trào “%(title)s”") % {"title": session.campaign.title}
                ),
                bold,
            ),
            Spacer(1, 4 * mm),
            *[Paragraph(pdf_text(line), body) for line in lines],
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 8 * mm),
            signatures,
        ]
    )
    return buffer.getvalue()
