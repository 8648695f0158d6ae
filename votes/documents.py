"""The award file as officials sign it. Word files from templates a clerk can edit
(votes/templates_docx/, docxtpl tags): the tờ trình đề nghị khen thưởng, the biên bản kiểm
phiếu, the quyết định khen thưởng and, for campaign awards, each nominee's báo cáo thành tích.
PDFs where a printout is the use: the minutes of the council meeting and the decision. Layout
after Nghị định 30/2020/NĐ-CP: Quốc hiệu, Tiêu ngữ, issuing body, "Số:", place and date,
content, signer, recipients; A4. Every heading, addressee, place and signer comes from the
authority's profile (`units.AuthorityProfile`); the decision's number and signer from its issue
(`services.decision_issue`), blank until then."""

import datetime
import io
from pathlib import Path
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from core.documents import (
    date_line,
    decimal_text,
    docx_fixed_tables,
    pdf_text,
    register_fonts,
    signature_lines,
    spreadsheet_safe,
)
from core.workbooks import fit_columns
from units.document_templates import template_source
from units.models import AuthorityProfile, DocumentTemplate, DocumentType, Unit
from units.selectors import document_profile

from . import selectors
from .models import (
    COUNCIL_CODE,
    Attendance,
    Award,
    CouncilSession,
    Nomination,
    RecipientKind,
    VoteReceipt,
)
from .selectors import (
    Outcome,
    base_salary_on,
    decided_here,
    funding_totals,
    money,
    percent,
    proposed_above,
)

TEMPLATES = Path(__file__).resolve().parent / "templates_docx"
DECISION_TEMPLATE = TEMPLATES / "quyet_dinh_khen_thuong.docx"
PROPOSAL_TEMPLATE = TEMPLATES / "to_trinh_khen_thuong.docx"
TALLY_TEMPLATE = TEMPLATES / "bien_ban_kiem_phieu.docx"
REPORT_TEMPLATE = TEMPLATES / "bao_cao_thanh_tich.docx"
# The templates an authority may replace with its own (units.DocumentTemplate), by kind.
BUILT_IN_TEMPLATES = {
    DocumentTemplate.Kind.DECISION: DECISION_TEMPLATE,
    DocumentTemplate.Kind.PROPOSAL: PROPOSAL_TEMPLATE,
    DocumentTemplate.Kind.TALLY: TALLY_TEMPLATE,
    DocumentTemplate.Kind.REPORT: REPORT_TEMPLATE,
}
# The form of the báo cáo thành tích for a campaign award, by the decree in force on the
# report's date (as LEGAL_BASES below): its number in each decree's annex was not checked in
# the text (docs/domain-law.md).
REPORT_FORMS = [
    (
        datetime.date(2025, 7, 1),
        "Mẫu báo cáo thành tích khen thưởng theo đợt, chuyên đề (Phụ lục Nghị định 152/2025/NĐ-CP)",
    ),
    (
        datetime.date(2024, 1, 1),
        "Mẫu báo cáo thành tích khen thưởng theo đợt, chuyên đề (Phụ lục Nghị định 98/2023/NĐ-CP)",
    ),
    (
        datetime.date.min,
        "Mẫu báo cáo thành tích khen thưởng theo đợt, chuyên đề (Phụ lục Nghị định 91/2017/NĐ-CP)",
    ),
]
BLANK = "…………"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COUNCIL = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
COUNCIL_NAME = "Hội đồng Thi đua - Khen thưởng"
COUNCIL_HEAD = "Chủ tịch"
BLANK_PROPOSAL_NUMBER = f"      /TTr-{COUNCIL_CODE}"
BLANK_TALLY_NUMBER = f"      /BB-{COUNCIL_CODE}"

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


def report_form(day: datetime.date) -> str:
    """The form a báo cáo thành tích of `day` follows: the decree in force then."""
    return next(form for since, form in REPORT_FORMS if day >= since)


def _profile(session: CouncilSession) -> AuthorityProfile:
    return document_profile(session.campaign.authority)


def _place(session: CouncilSession, profile: AuthorityProfile) -> str:
    """The place in the date line: the session's own if it names one, else the profile's."""
    return session.place_name or profile.place_name


def _day(session: CouncilSession) -> datetime.date:
    return session.decided_on or session.held_on


def letterhead(profile: AuthorityProfile, *, council: bool = False) -> dict[str, str]:
    """The issuing body's lines: the parent body above the issuing body (a rule line under it in
    the files). The council writes its authority above itself."""
    if council:
        return {"letterhead_parent": profile.issuing_one_line, "letterhead_body": COUNCIL}
    return {
        "letterhead_parent": profile.parent_body,
        "letterhead_body": "\n".join(profile.issuing_lines),
    }


def addressee(profile: AuthorityProfile) -> str:
    """Whom the council writes to: "Chủ tịch Ủy ban nhân dân xã Kiên Lương"."""
    return f"{profile.head_title} {profile.name}"


def decision_signature(session: CouncilSession, profile: AuthorityProfile) -> tuple[str, str]:
    """(post, name) under the decision: as issued; before the issue, the profile's head."""
    if session.decision_number:
        return session.signer_post, session.signer_name
    head = profile.head
    return "\n".join(signature_lines(profile.head_title)), head.full_name if head else ""


def decision_context(session: CouncilSession, outcomes: list[Outcome]) -> dict[str, object]:
    profile = _profile(session)
    day = _day(session)
    passed = decided_here(outcomes)
    base = passed[0].nomination.base_salary if passed else None
    salary = base_salary_on(day)
    signer_post, signer_name = decision_signature(session, profile)
    return {
        **letterhead(profile),
        "issuer_name": profile.name,
        "number": session.decision_number or profile.reference(None, DocumentType.DECISION),
        "date_line": date_line(_place(session, profile), day),
        "campaign_title": session.campaign.title,
        "signer_authority": f"{profile.head_title} {profile.name}".upper(),
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
        "signer_post": signer_post,
        "signer_name": signer_name,
    }


def render_docx(template: Path | IO[bytes], context: dict[str, object]) -> bytes:
    """The template filled in; its tables laid out fixed on their grid (core.documents), so
    Word and LibreOffice give the same columns, whoever made the template."""
    document = DocxTemplate(template)
    document.render(context, autoescape=True)
    docx_fixed_tables(document.docx)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _template(authority: Unit | None, kind: str) -> Path | IO[bytes]:
    """The authority's own template of this kind (units.DocumentTemplate), else the built-in."""
    return template_source(authority, kind)


def decision_docx(session: CouncilSession, outcomes: list[Outcome]) -> bytes:
    """Quyết định khen thưởng: Điều 1 lists what passed and the authority decides itself (not
    the proposals to the level above), with each amount fixed at the close."""
    return render_docx(
        _template(session.campaign.authority, DocumentTemplate.Kind.DECISION),
        decision_context(session, outcomes),
    )


def _heading(session: CouncilSession) -> dict[str, object]:
    """The council's heading: its authority above it, the place and date of the decision."""
    profile = _profile(session)
    place = _place(session, profile)
    return {
        **letterhead(profile, council=True),
        "issuer_name": profile.name,
        "place": place,
        "date_line": date_line(place, _day(session)),
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


def counting_committee(attendance: list[Attendance]) -> list[Attendance]:
    """Ban kiểm phiếu: the ballots are counted by the portal when the session closes, before the
    member presiding and the secretary, who sign the biên bản kiểm phiếu; so they are the
    committee (the one presiding first)."""
    chair, secretary = _chair(attendance), _secretary(attendance)
    return [a for a in (chair, secretary) if a is not None]


def counting_committee_text(attendance: list[Attendance]) -> str:
    """ "Đặng Minh Thành (Phó Chủ tịch, chủ trì), Lê Văn Hội (Thư ký)"; blank to fill by hand
    when the session has neither."""
    chair = _chair(attendance)
    names = [
        f"{a.name} ({a.get_role_display()}{_(', chủ trì') if a is chair else ''})"
        for a in counting_committee(attendance)
    ]
    return ", ".join(names) + "." if names else BLANK


def council_signature(chair: Attendance | None) -> list[str]:
    """The council signs as a body: "TM. HỘI ĐỒNG ..." above "CHỦ TỊCH", or, when the vice-chair
    presides, "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH"."""
    deputy = chair is not None and chair.role != "chair"
    return signature_lines(COUNCIL_HEAD, deputy=deputy, on_behalf_of=COUNCIL_NAME)


def proposal_context(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> dict[str, object]:
    """Tờ trình đề nghị khen thưởng: what the council passed, in two parts — what the authority
    decides, and what it proposes to the level above — and the money per funding source."""
    chair = _chair(attendance)
    day = _day(session)
    return {
        **_heading(session),
        "number": BLANK_PROPOSAL_NUMBER,
        "addressee": addressee(_profile(session)),
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
                "level": o.level_label,
                "share": o.share,
            }
            for number, o in enumerate(proposed_above(outcomes), start=1)
        ],
        "funds": [
            {"source": f.source, "count": f.count, "amount": f.amount}
            for f in funding_totals(outcomes)
        ],
        "base_salary": money(base_salary_on(day).amount),
        "chair_post": "\n".join(council_signature(chair)),
        "chair_name": chair.name if chair else "",
    }


def proposal_docx(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> bytes:
    return render_docx(
        _template(session.campaign.authority, DocumentTemplate.Kind.PROPOSAL),
        proposal_context(session, outcomes, attendance),
    )


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
    heading = _heading(session)
    return {
        **heading,
        "number": BLANK_TALLY_NUMBER,
        "when": _when(session),
        "venue": session.venue or heading["place"],
        "chair": chair.name if chair else "",
        "secretary": secretary.name if secretary else "",
        "counters": counting_committee_text(attendance),
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
                "rule": o.nomination.rule_label,
                "result": _("Đạt") if o.nomination.passed else _("Không đạt"),
            }
            for number, o in enumerate(outcomes, start=1)
        ],
    }


def tally_docx(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> bytes:
    return render_docx(
        _template(session.campaign.authority, DocumentTemplate.Kind.TALLY),
        tally_context(session, outcomes, attendance),
    )


def report_context(nomination: Nomination) -> dict[str, object]:
    """Báo cáo thành tích of one nominee for a campaign award (theo đợt, chuyên đề)."""
    session, enrolment = nomination.session, nomination.enrolment
    campaign, unit = session.campaign, enrolment.unit
    collective = nomination.recipient_kind == RecipientKind.COLLECTIVE
    day = timezone.localdate() if session.status != "closed" else session.held_on
    household = nomination.recipient_kind == RecipientKind.HOUSEHOLD
    heading = letterhead(document_profile(unit))
    if collective:
        facts = [
            _("Tên tập thể: %(name)s.") % {"name": unit.name},
            _("Trực thuộc: %(parent)s.") % {"parent": unit.parent.name if unit.parent else BLANK},
        ]
    elif household:
        # A household reports for itself: headed by the household, at its own address; the
        # unit that nominated it only forwards the report.
        heading = {
            "letterhead_parent": "",
            "letterhead_body": _("HỘ GIA ĐÌNH\n%(name)s")
            % {"name": nomination.person_name.upper()},
        }
        facts = [
            _("Chủ hộ: %(name)s.") % {"name": nomination.person_name},
            _("Nơi cư trú: %(address)s.") % {"address": nomination.address or BLANK},
            _("Đơn vị đề nghị: %(unit)s.") % {"unit": unit.name},
        ]
    else:
        facts = [
            _("Họ và tên: %(name)s.") % {"name": nomination.person_name},
            _("Chức vụ: %(post)s.") % {"post": nomination.position or BLANK},
            _("Đơn vị công tác: %(unit)s.") % {"unit": unit.name},
        ]
    if nomination.final_score is not None:
        facts.append(
            _("Kết quả chấm điểm trong phong trào: %(score)s điểm.")
            % {"score": decimal_text(nomination.final_score)}
        )
    lines = [line.strip() for line in nomination.achievements.splitlines() if line.strip()]
    return {
        "form_label": report_form(day),
        **heading,
        "date_line": date_line(_place(session, _profile(session)), day),
        "award": nomination.award_name or nomination.award.name,
        "campaign_title": campaign.title,
        "starts": f"{campaign.starts_on:%d/%m/%Y}",
        "ends": f"{campaign.ends_on:%d/%m/%Y}",
        "facts": facts,
        "achievements": lines or [BLANK],
        "past_awards": BLANK,
        "reporter_post": (
            _("THỦ TRƯỞNG ĐƠN VỊ")
            if collective
            else _("CHỦ HỘ")
            if household
            else _("NGƯỜI BÁO CÁO THÀNH TÍCH")
        ),
        "reporter_hint": _("(Ký, đóng dấu)") if collective else _("(Ký, ghi rõ họ và tên)"),
        "reporter_name": "" if collective else nomination.person_name,
    }


def report_docx(nomination: Nomination) -> bytes:
    if nomination.award.period != Award.Period.CAMPAIGN:
        raise ValueError("A báo cáo thành tích on this form is for campaign awards only")
    return render_docx(
        _template(nomination.session.campaign.authority, DocumentTemplate.Kind.REPORT),
        report_context(nomination),
    )


def _names(rows: list[Attendance]) -> str:
    return ", ".join(f"{a.name} ({a.get_role_display()})" for a in rows) or _("không")


def minutes_pdf(
    session: CouncilSession, outcomes: list[Outcome], attendance: list[Attendance]
) -> bytes:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng: its number (once the decision is issued),
    place and date; who, when, where; each nomination's counts against ALL members; the
    secretary's and the presiding member's signatures. Uncompressed and invariant, so the same
    session gives the same bytes."""
    register_fonts()
    bold = ParagraphStyle("b", fontName="DejaVuSans-Bold", fontSize=11, leading=15, alignment=1)
    body = ParagraphStyle("n", fontName="DejaVuSans", fontSize=10, leading=14)
    heading = _heading(session)
    title = _("Xét khen thưởng phong trào “%(title)s”") % {"title": session.campaign.title}
    buffer = io.BytesIO()
    _pdf_document(buffer, _("Biên bản họp Hội đồng Thi đua - Khen thưởng")).build(
        [
            pdf_heading(
                heading,
                number=session.minutes_number or BLANK_TALLY_NUMBER,
                day=date_line(str(heading["place"]), session.held_on),
            ),
            Spacer(1, 6 * mm),
            Paragraph(_("BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"), bold),
            Paragraph(pdf_text(title), bold),
            Spacer(1, 4 * mm),
            *[
                Paragraph(pdf_text(line), body)
                for line in minutes_lines(session, attendance, place=str(heading["place"]))
            ],
            Spacer(1, 4 * mm),
            _minutes_table(outcomes),
            # the closing line and the signers' posts and names never part across a page
            KeepTogether([Spacer(1, 8 * mm), _minutes_signatures(attendance, bold)]),
        ]
    )
    return buffer.getvalue()


def minutes_lines(
    session: CouncilSession, attendance: list[Attendance], *, place: str
) -> list[str]:
    """The minutes' account of the meeting: when, where (the venue, else the place of the date
    line), who presided and took the minutes, who was present or absent, the quorum and how the
    council voted."""
    chair, secretary = _chair(attendance), _secretary(attendance)
    present = [a for a in attendance if a.present]
    members = session.member_count or len(attendance)
    written = VoteReceipt.objects.filter(nomination__session=session, written=True).count()
    return [
        _("Thời gian: %(when)s.") % {"when": _when(session)},
        _("Địa điểm: %(venue)s.") % {"venue": session.venue or place},
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
        _("Vắng mặt: %(names)s.") % {"names": _names([a for a in attendance if not a.present])},
        _("Số thành viên có mặt bảo đảm tỷ lệ tối thiểu %(quorum)s tổng số thành viên Hội đồng.")
        % {"quorum": f"{session.quorum_numerator}/{session.quorum_denominator}"},
        _(
            "Hội đồng biểu quyết bằng phiếu kín; tỷ lệ tính trên tổng số thành viên Hội đồng; "
            "%(written)s phiếu bằng văn bản của thành viên vắng mặt do thư ký ghi nhận."
        )
        % {"written": written},
    ]


def _minutes_table(outcomes: list[Outcome]) -> Table:
    """Each nomination's counts, each a share of ALL members, and its result."""
    cell = ParagraphStyle("c", fontName="DejaVuSans", fontSize=8, leading=10)
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
            *[
                Paragraph(pdf_text(text), cell)
                for text in (
                    o.nomination.nominee,
                    o.nomination.award_name,
                    o.share,
                    o.no_share,
                    o.abstain_share,
                )
            ],
            _("Đạt") if o.nomination.passed else _("Không đạt"),
        ]
        for number, o in enumerate(outcomes, start=1)
    ]
    table = Table(rows, colWidths=[8 * mm, 40 * mm, 32 * mm, 22 * mm, 22 * mm, 22 * mm, 19 * mm])
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), "DejaVuSans", 8), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    )
    return table


def _minutes_signatures(attendance: list[Attendance], bold: ParagraphStyle) -> Table:
    """The secretary on the left, the member presiding on the right, their names under room to
    sign; one block that never splits."""
    chair, secretary = _chair(attendance), _secretary(attendance)
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
    signatures.setStyle([("NOSPLIT", (0, 0), (-1, -1))])
    return signatures


def lines_text(value: object) -> str:
    """Text of several lines for a reportlab Paragraph, each line kept."""
    return "<br/>".join(pdf_text(line) for line in str(value).splitlines())


def pdf_heading(heading: dict[str, object], *, number: str, day: str) -> Table:
    """The heading of Nghị định 30/2020 in a PDF: on the left the parent body, the issuing body
    in bold with a rule line under it and the number; on the right the Quốc hiệu, the Tiêu ngữ
    with a rule line under it and the place and date."""
    register_fonts()
    plain = ParagraphStyle("hp", fontName="DejaVuSans", fontSize=10, leading=13, alignment=1)
    bold = ParagraphStyle("hb", fontName="DejaVuSans-Bold", fontSize=10, leading=13, alignment=1)
    left: list[object] = []
    if heading["letterhead_parent"]:
        left.append(Paragraph(lines_text(heading["letterhead_parent"]), plain))
    left += [
        Paragraph(lines_text(heading["letterhead_body"]), bold),
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=4),
        Paragraph(pdf_text(f"Số: {number}"), plain),
    ]
    right = [
        Paragraph(NATION, bold),
        Paragraph(MOTTO, bold),
        HRFlowable(width="55%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=4),
        Paragraph(pdf_text(day), plain),
    ]
    table = Table([[left, right]], colWidths=[70 * mm, 95 * mm])
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


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
    body = ParagraphStyle("n", fontName="DejaVuSans", fontSize=10, leading=14, alignment=4)
    articles = decision_articles(data)
    title = _("Về việc khen thưởng trong phong trào thi đua “%(title)s”") % {
        "title": data["campaign_title"]
    }
    considering = _(
        "Xét đề nghị của Hội đồng Thi đua - Khen thưởng tại phiên họp ngày %(day)s."
    ) % {"day": data["session_date"]}
    buffer = io.BytesIO()
    _pdf_document(buffer, _("Quyết định khen thưởng")).build(
        [
            pdf_heading(data, number=str(data["number"]), day=str(data["date_line"])),
            Spacer(1, 6 * mm),
            Paragraph(_("QUYẾT ĐỊNH"), bold),
            Paragraph(pdf_text(title), bold),
            Paragraph(pdf_text(data["signer_authority"]), bold),
            Spacer(1, 3 * mm),
            *[Paragraph(pdf_text(basis), body) for basis in data["bases"]],  # type: ignore[attr-defined]
            Paragraph(pdf_text(considering), body),
            Paragraph(_("QUYẾT ĐỊNH:"), bold),
            Paragraph(pdf_text(articles[0]), body),
            _decision_table(data),
            *[Paragraph(pdf_text(text), body) for text in articles[1:-1]],
            KeepTogether(
                [
                    Paragraph(pdf_text(articles[-1]), body),
                    Spacer(1, 6 * mm),
                    _decision_signature(data, bold),
                ]
            ),
        ]
    )
    return buffer.getvalue()


def decision_articles(data: dict[str, object]) -> list[str]:
    """Điều 1 (who is awarded, then the total and the base salary), Điều 2 (the fund) and Điều 3
    (who carries it out), from `decision_context`."""
    return [
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


def _decision_table(data: dict[str, object]) -> Table:
    """Điều 1's list: each recipient, the award and the amount."""
    cell = ParagraphStyle("t", fontName="DejaVuSans", fontSize=9, leading=11)
    rows: list[list[object]] = [
        [_("TT"), _("Tập thể, cá nhân, hộ gia đình"), _("Danh hiệu, hình thức"), _("Số tiền")]
    ]
    rows += [
        [
            str(row["number"]),
            *[Paragraph(pdf_text(row[key]), cell) for key in ("nominee", "award", "amount")],
        ]
        for row in data["rows"]  # type: ignore[attr-defined]
    ]
    table = Table(rows, colWidths=[10 * mm, 65 * mm, 60 * mm, 30 * mm])
    table.setStyle(
        [("FONT", (0, 0), (-1, -1), "DejaVuSans", 9), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    )
    return table


def _decision_signature(data: dict[str, object], bold: ParagraphStyle) -> Table:
    """Nơi nhận on the left; the signer's post, room to sign and name on the right; one block."""
    cell = ParagraphStyle("t", fontName="DejaVuSans", fontSize=9, leading=11)
    signature = Table(
        [
            [Paragraph(_("Nơi nhận:"), cell), Paragraph(lines_text(data["signer_post"]), bold)],
            [Paragraph(_("- Như Điều 3;<br/>- Lưu: VT, Hội đồng TĐKT."), cell), ""],
            ["", Paragraph(pdf_text(data["signer_name"]), bold)],
        ],
        colWidths=[80 * mm, 85 * mm],
        rowHeights=[None, 20 * mm, None],
    )
    signature.setStyle([("NOSPLIT", (0, 0), (-1, -1))])
    return signature


# Proposals to the province ------------------------------------------------------------------------

LIST_COLUMNS = [
    "TT",
    "Tập thể, cá nhân, hộ gia đình",
    "Đối tượng",
    "Chức vụ",
    "Đơn vị",
    "Địa chỉ (hộ gia đình)",
    "Danh hiệu, hình thức đề nghị",
    "Điểm trong phong trào",
    "Đồng ý / tổng số thành viên",
    "Tóm tắt thành tích",
]


def proposal_list_xlsx(session: CouncilSession, nominations: list[Nomination]) -> bytes:
    """Danh sách trích ngang: one row per nominee the council proposes to the level above, with
    its vote against ALL members; every cell written as text a spreadsheet will not run."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet("danh-sach")
    profile = _profile(session)
    sheet.append([spreadsheet_safe(_("DANH SÁCH TRÍCH NGANG ĐỀ NGHỊ KHEN THƯỞNG"))])
    sheet.append(
        [
            spreadsheet_safe(
                _(
                    "Kèm theo Tờ trình của Hội đồng Thi đua - Khen thưởng %(issuer)s, phiên họp "
                    "ngày %(day)s"
                )
                % {"issuer": profile.name, "day": f"{session.held_on:%d/%m/%Y}"}
            )
        ]
    )
    sheet.append([])
    sheet.append(LIST_COLUMNS)
    members = session.member_count or 0
    for number, nomination in enumerate(nominations, start=1):
        collective = nomination.recipient_kind == RecipientKind.COLLECTIVE
        sheet.append(
            [
                spreadsheet_safe(value)
                for value in (
                    number,
                    nomination.enrolment.unit.name if collective else nomination.person_name,
                    nomination.get_recipient_kind_display(),
                    nomination.position,
                    nomination.enrolment.unit.name,
                    nomination.address,
                    nomination.award_name or nomination.award.name,
                    "" if nomination.final_score is None else decimal_text(nomination.final_score),
                    f"{nomination.yes or 0}/{members} ({percent(nomination.yes or 0, members)}%)",
                    " ".join(nomination.achievements.split()),
                )
            ]
        )
    fit_columns(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def proposal_document(session: CouncilSession, key: str, nominations: list[Nomination]) -> bytes:
    """A generated document of a proposal's file, by its key (selectors.proposal_documents):
    the commune session's tờ trình and biên bản kiểm phiếu, the danh sách trích ngang, or a
    nominee's báo cáo thành tích ("bao-cao-<nomination id>"). KeyError for any other key."""
    if key == "danh-sach":
        return proposal_list_xlsx(session, nominations)
    if key in ("to-trinh", "bien-ban"):
        outcomes, attendance = selectors.outcomes_of(session), selectors.attendance_of(session)
        if key == "to-trinh":
            return proposal_docx(session, outcomes, attendance)
        return tally_docx(session, outcomes, attendance)
    found = next((n for n in nominations if selectors.report_key(n) == key), None)
    if found is None or found.award.period != Award.Period.CAMPAIGN:
        raise KeyError(key)
    return report_docx(found)
