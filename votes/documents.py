"""The award file as officials sign it. Word files from templates a clerk can edit
(votes/templates_docx/, docxtpl tags): the tờ trình đề nghị khen thưởng, the biên bản kiểm
phiếu, the quyết định khen thưởng and, for campaign awards, each nominee's báo cáo thành tích.
PDFs where a printout is the use: the minutes of the council meeting and the decision. Layout
after Nghị định 30/2020/NĐ-CP: Quốc hiệu, Tiêu ngữ, issuing body, "Số:", place and date,
content, signer, recipients; A4."""

import datetime
import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from core.documents import pdf_text, register_fonts

from .models import Attendance, Award, CouncilSession, Nomination, RecipientKind, VoteReceipt
from .selectors import (
    Outcome,
    decided_here,
    funding_totals,
    money,
    percent,
    proposed_above,
)
from .services import base_salary_on

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"
DECISION_TEMPLATE = TEMPLATES / "quyet_dinh_khen_thuong.docx"
PROPOSAL_TEMPLATE = TEMPLATES / "to_trinh_khen_thuong.docx"
TALLY_TEMPLATE = TEMPLATES / "bien_ban_kiem_phieu.docx"
REPORT_TEMPLATE = TEMPLATES / "bao_cao_thanh_tich.docx"
# The form of the báo cáo thành tích for a campaign award: its number in the decree's annex
# was not checked in the text (docs/domain-law.md).
REPORT_FORM = (
    "Mẫu báo cáo thành tích khen thưởng theo đợt, chuyên đề (Phụ lục Nghị định 152/2025/NĐ-CP)"
)
BLANK = "…………"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_NUMBER = "      /QĐ-      "
BLANK_PROPOSAL_NUMBER = "      /TTr-HĐTĐKT"
BLANK_TALLY_NUMBER = "      /BB-HĐTĐKT"

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
    passed = decided_here(outcomes)
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


def render_docx(template: Path, context: dict[str, object]) -> bytes:
    document = DocxTemplate(template)
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def decision_docx(session: CouncilSession, outcomes: list[Outcome]) -> bytes:
    """Quyết định khen thưởng: Điều 1 lists what passed and the authority decides itself (not
    the proposals to the level above), with each amount fixed at the close."""
    return render_docx(DECISION_TEMPLATE, decision_context(session, outcomes))


def _heading(session: CouncilSession) -> dict[str, object]:
    authority = session.campaign.authority
    day = session.decided_on or session.held_on
    return {
        "issuer": authority.name.upper() if authority else "",
        "issuer_name": authority.name if authority else "",
        "place": _place(session),
        "day": f"{day:%d}",
        "month": f"{day:%m}",
        "year": f"{day:%Y}",
        "campaign_title": session.campaign.title,
        "session_date": f"{session.held_on:%d/%m/%Y}",
    }


def _chair(attendance: list[Attendance]) -> Attendance | None:
    present = [a for a in attendance if a.present]
    return next((a for a in present if a.role == "chair"), None) or next(
        (a for a in present if a.role == "vice_chair"), None
    )


def _secretary(attendance: list[Attendance]) -> Attendance | None:
    return next((a for a in attendance if a.role == "secretary"), None)


def proposal_context(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> dict[str, object]:
    """Tờ trình đề nghị khen thưởng: what the council passed, in two parts — what the authority
    decides, and what it proposes to the level above — and the money per funding source."""
    chair = _chair(attendance)
    authority = session.campaign.authority
    post = session.signer_post or _("Chủ tịch")
    day = session.decided_on or session.held_on
    return {
        **_heading(session),
        "number": BLANK_PROPOSAL_NUMBER,
        "addressee": f"{post} {authority.name if authority else ''}".strip(),
        "bases": legal_bases(day),
        "present": session.present_count or 0,
        "members": session.member_count or 0,
        "own": [
            {
                "number": number,
                "nominee": o.nomination.nominee,
                "award": o.nomination.award_name,
                "share": o.share,
                "amount": o.amount or _("chưa xác định"),
            }
            for number, o in enumerate(decided_here(outcomes), start=1)
        ],
        "above": [
            {
                "number": number,
                "nominee": o.nomination.nominee,
                "award": o.nomination.award_name,
                "level": o.nomination.award.get_level_display(),
                "share": o.share,
            }
            for number, o in enumerate(proposed_above(outcomes), start=1)
        ],
        "funds": [
            {"source": f.source, "count": f.count, "amount": f.amount}
            for f in funding_totals(outcomes)
        ],
        "base_salary": money(base_salary_on(day).amount),
        "chair_post": _("CHỦ TỊCH")
        if chair is None or chair.role == "chair"
        else _("PHÓ CHỦ TỊCH"),
        "chair_name": chair.name if chair else "",
    }


def proposal_docx(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> bytes:
    return render_docx(PROPOSAL_TEMPLATE, proposal_context(session, outcomes, attendance))


def _when(session: CouncilSession) -> str:
    when = f"ngày {session.held_on:%d/%m/%Y}"
    if session.starts_at:
        when = f"{session.starts_at:%H} giờ {session.starts_at:%M}, {when}"
    return when


def tally_context(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> dict[str, object]:
    """Biên bản kiểm phiếu: the ballots counted at the close, each share of ALL members."""
    chair, secretary = _chair(attendance), _secretary(attendance)
    members = session.member_count or len(attendance)
    present = session.present_count or 0
    receipts = VoteReceipt.objects.filter(nomination__session=session)
    return {
        **_heading(session),
        "number": BLANK_TALLY_NUMBER,
        "when": _when(session),
        "venue": session.venue or _place(session),
        "chair": chair.name if chair else "",
        "secretary": secretary.name if secretary else "",
        "counters": BLANK,
        "members": members,
        "present": present,
        "present_percent": percent(present, members),
        "absent": members - present,
        "ballots": receipts.count(),
        "written": receipts.filter(written=True).count(),
        "rows": [
            {
                "number": number,
                "nominee": o.nomination.nominee,
                "award": o.nomination.award_name,
                "cast": (o.nomination.yes or 0)
                + (o.nomination.no or 0)
                + (o.nomination.abstain or 0),
                "yes": o.share_of(o.nomination.yes),
                "no": o.no_share,
                "abstain": o.abstain_share,
                "rule": o.nomination.rule_label or o.nomination.award.rule_label,
                "result": _("Đạt") if o.nomination.passed else _("Không đạt"),
            }
            for number, o in enumerate(outcomes, start=1)
        ],
    }


def tally_docx(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> bytes:
    return render_docx(TALLY_TEMPLATE, tally_context(session, outcomes, attendance))


def report_context(nomination: Nomination) -> dict[str, object]:
    """Báo cáo thành tích of one nominee for a campaign award (theo đợt, chuyên đề)."""
    session, enrolment = nomination.session, nomination.enrolment
    campaign, unit = session.campaign, enrolment.unit
    collective = nomination.recipient_kind == RecipientKind.COLLECTIVE
    day = timezone.localdate() if session.status != "closed" else session.held_on
    if collective:
        facts = [
            _("Tên tập thể: %(name)s.") % {"name": unit.name},
            _("Trực thuộc: %(parent)s.") % {"parent": unit.parent.name if unit.parent else BLANK},
        ]
    else:
        facts = [
            _("Họ và tên: %(name)s.") % {"name": nomination.person_name},
            _("Chức vụ: %(post)s.") % {"post": nomination.position or BLANK},
            _("Đơn vị công tác: %(unit)s.") % {"unit": unit.name},
        ]
        if nomination.recipient_kind == RecipientKind.HOUSEHOLD:
            facts[0] = _("Chủ hộ: %(name)s.") % {"name": nomination.person_name}
            facts[2] = _("Nơi cư trú: %(unit)s.") % {"unit": unit.name}
    if nomination.final_score is not None:
        facts.append(
            _("Kết quả chấm điểm trong phong trào: %(score)s điểm.")
            % {"score": nomination.final_score}
        )
    lines = [line.strip() for line in nomination.achievements.splitlines() if line.strip()]
    return {
        "form_label": REPORT_FORM,
        "unit_parent": unit.parent.name.upper() if unit.parent else "",
        "unit": unit.name.upper(),
        "place": _place(session),
        "day": f"{day:%d}",
        "month": f"{day:%m}",
        "year": f"{day:%Y}",
        "award": nomination.award_name or nomination.award.name,
        "campaign_title": campaign.title,
        "starts": f"{campaign.starts_on:%d/%m/%Y}",
        "ends": f"{campaign.ends_on:%d/%m/%Y}",
        "facts": facts,
        "achievements": lines or [BLANK],
        "past_awards": BLANK,
        "reporter_post": _("THỦ TRƯỞNG ĐƠN VỊ") if collective else _("NGƯỜI BÁO CÁO THÀNH TÍCH"),
        "reporter_hint": _("(Ký, đóng dấu)") if collective else _("(Ký, ghi rõ họ và tên)"),
        "reporter_name": "" if collective else nomination.person_name,
    }


def report_docx(nomination: Nomination) -> bytes:
    if nomination.award.period != Award.Period.CAMPAIGN:
        raise ValueError("A báo cáo thành tích on this form is for campaign awards only")
    return render_docx(REPORT_TEMPLATE, report_context(nomination))


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


def _pdf_document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    """A4 with the margins of Nghị định 30/2020; uncompressed and invariant, so the same session
    gives the same bytes."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=1,
        pageCompression=0,
        title=title,
    )


def decision_pdf(session: CouncilSession, outcomes: list[Outcome]) -> bytes:
    """The decision for a printout: the same content as the .docx (no clerk edits)."""
    register_fonts()
    data = decision_context(session, outcomes)
    bold = ParagraphStyle("b", fontName="DejaVuSans-Bold", fontSize=11, leading=15, alignment=1)
    centre = ParagraphStyle("c", fontName="DejaVuSans", fontSize=10, leading=14, alignment=1)
    body = ParagraphStyle("n", fontName="DejaVuSans", fontSize=10, leading=14, alignment=4)
    cell = ParagraphStyle("t", fontName="DejaVuSans", fontSize=9, leading=11)
    date = f"{data['place']}, ngày {data['day']} tháng {data['month']} năm {data['year']}"
    head = Table(
        [
            [Paragraph(pdf_text(data["issuer_parent"]), centre), Paragraph(NATION, bold)],
            [Paragraph(pdf_text(data["issuer"]), bold), Paragraph(MOTTO, bold)],
            [
                Paragraph(pdf_text(f"Số: {data['number']}"), centre),
                Paragraph(pdf_text(date), centre),
            ],
        ],
        colWidths=[65 * mm, 100 * mm],
    )
    rows: list[list[object]] = [
        [_("TT"), _("Tập thể, cá nhân, hộ gia đình"), _("Danh hiệu, hình thức"), _("Số tiền")]
    ]
    rows += [
        [
            str(row["number"]),
            Paragraph(pdf_text(row["nominee"]), cell),
            Paragraph(pdf_text(row["award"]), cell),
            Paragraph(pdf_text(row["amount"]), cell),
        ]
        for row in data["rows"]  # type: ignore[attr-defined]
    ]
    table = Table(rows, colWidths=[10 * mm, 65 * mm, 60 * mm, 30 * mm])
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), "DejaVuSans", 9), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    )
    articles = [
        _(
            "Điều 1. Tặng danh hiệu thi đua, hình thức khen thưởng cho %(n)s tập thể, cá nhân, "
            "hộ gia đình có thành tích trong phong trào thi đua “%(title)s” (danh sách kèm theo)."
        )
        % {"n": len(data["rows"]), "title": data["campaign_title"]},  # type: ignore[arg-type]
        _("Tổng số tiền thưởng: %(total)s (mức lương cơ sở %(base)s áp dụng từ ngày %(day)s).")
        % {
            "total": data["total"],
            "base": data["base_salary"],
            "day": data["base_salary_from"],
        },
        _("Điều 2. Tiền thưởng chi từ Quỹ thi đua, khen thưởng của %(issuer)s.")
        % {"issuer": data["issuer_name"]},
        _(
            "Điều 3. Hội đồng Thi đua - Khen thưởng, thủ trưởng các cơ quan, đơn vị liên quan và "
            "các tập thể, cá nhân, hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
            "định này."
        ),
    ]
    signature = Table(
        [
            [Paragraph(_("Nơi nhận:"), cell), Paragraph(pdf_text(data["signer_post"]), bold)],
            [Paragraph(_("- Như Điều 3;<br/>- Lưu: VT, Hội đồng TĐKT."), cell), ""],
            ["", Paragraph(pdf_text(data["signer_name"]), bold)],
        ],
        colWidths=[80 * mm, 85 * mm],
        rowHeights=[None, 20 * mm, None],
    )
    buffer = io.BytesIO()
    _pdf_document(buffer, _("Quyết định khen thưởng")).build(
        [
            head,
            Spacer(1, 6 * mm),
            Paragraph(_("QUYẾT ĐỊNH"), bold),
            Paragraph(
                pdf_text(
                    _("Về việc khen thưởng trong phong trào thi đua “%(title)s”")
                    % {"title": data["campaign_title"]}
                ),
                bold,
            ),
            Paragraph(pdf_text(data["signer_authority"]), bold),
            Spacer(1, 3 * mm),
            *[Paragraph(pdf_text(basis), body) for basis in data["bases"]],  # type: ignore[attr-defined]
            Paragraph(
                pdf_text(
                    _("Xét đề nghị của Hội đồng Thi đua - Khen thưởng tại phiên họp ngày %(day)s.")
                    % {"day": data["session_date"]}
                ),
                body,
            ),
            Paragraph(_("QUYẾT ĐỊNH:"), bold),
            Paragraph(pdf_text(articles[0]), body),
            table,
            *[Paragraph(pdf_text(text), body) for text in articles[1:]],
            Spacer(1, 6 * mm),
            signature,
        ]
    )
    return buffer.getvalue()
