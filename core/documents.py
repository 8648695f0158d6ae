"""Document rendering helpers with no domain: fonts that carry Vietnamese, safe text for PDFs and
spreadsheets, file responses a browser saves under a real name, and the parts of an official
document that Nghị định 30/2020/NĐ-CP (Phụ lục I) fixes: the date line and the signer's post."""

import datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).resolve().parent / "fonts"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def register_fonts() -> None:
    """DejaVu Sans (shipped with the portal) for every PDF: it has every Vietnamese glyph."""
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", FONTS / "DejaVuSans.ttf"))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONTS / "DejaVuSans-Bold.ttf"))


def pdf_text(value: object) -> str:
    """User text for a reportlab Paragraph: its markup is shown as text, never interpreted
    (so `<img src=...>` cannot make the server fetch anything)."""
    return escape("" if value is None else str(value))


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    """A download the browser saves as `filename` (UTF-8 names survive through RFC 5987)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def date_words(day: datetime.date) -> str:
    """ "ngày 05 tháng 6 năm 2026" as Nghị định 30/2020 writes it: a day below 10 and the months
    1 and 2 take a leading zero (ngày 05 tháng 02), the other months do not (tháng 6, tháng 10)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: datetime.date) -> str:
    """The place and date under the Tiêu ngữ: "Kiên Lương, ngày 05 tháng 6 năm 2026"."""
    return f"{place or '…………'}, {date_words(day)}"


def signature_lines(title: str, *, deputy: bool = False, on_behalf_of: str = "") -> list[str]:
    """The signer's post above the signature, in capitals: "TM. <body>" when signing for a
    collective body, then "KT. <TITLE>" above "PHÓ <TITLE>" when a deputy signs for the head
    (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH), else the title alone."""
    lines = [f"TM. {on_behalf_of.upper()}"] if on_behalf_of else []
    head = title.upper()
    lines += [f"KT. {head}", f"PHÓ {head}"] if deputy else [head]
    return lines
