"""Document rendering helpers with no domain: fonts that carry Vietnamese, safe text for PDFs and
spreadsheets, and file responses a browser saves under a real name."""

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
