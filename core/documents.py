"""Document rendering helpers with no domain: fonts that carry Vietnamese, safe text for PDFs and
spreadsheets, file responses a browser saves under a real name, and the parts of an official
document that Nghị định 30/2020/NĐ-CP (Phụ lục I) fixes: the date line and the signer's post."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
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


def decimal_text(value: Decimal | float | int, places: int = 2) -> str:
    """A number as a Vietnamese document writes it, whatever the active language: a decimal
    comma, thousands grouped with dots ("99,50"; "1.234,50")."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# Word tables (python-docx documents) -------------------------------------------------------------


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def docx_fixed_tables(document: Any) -> None:
    """Lay every table of a python-docx `document` out the same in Word and LibreOffice: a fixed
    layout, the grid's columns the widths of the cells of the table's widest row, the table as
    wide as their sum. (LibreOffice lays a table out on its grid, Word on its cells: when the two
    disagree, one of them reads one word per line.) A table whose cells give no width in twips
    is left as it is."""
    for table in document.element.body.iter(_w("tbl")):
        widths = _cell_widths(table)
        if widths is None:
            continue
        properties = table.find(_w("tblPr"))
        grid = table.find(_w("tblGrid"))
        if properties is None or grid is None:
            continue
        for column in list(grid):
            grid.remove(column)
        for width in widths:
            column = OxmlElement("w:gridCol")
            column.set(_w("w"), str(width))
            grid.append(column)
        table_width = properties.find(_w("tblW"))
        if table_width is None:
            table_width = OxmlElement("w:tblW")
            properties.insert(0, table_width)
        table_width.set(_w("w"), str(sum(widths)))
        table_width.set(_w("type"), "dxa")
        layout = properties.find(_w("tblLayout"))
        if layout is None:
            layout = OxmlElement("w:tblLayout")
            after = [properties.find(_w(t)) for t in ("tblCellMar", "tblLook", "tblCaption")]
            anchor = next((a for a in after if a is not None), None)
            if anchor is not None:
                anchor.addprevious(layout)
            else:
                properties.append(layout)
        layout.set(_w("type"), "fixed")


def _cell_widths(table: Any) -> list[int] | None:
    """The widths in twips of the cells of the row with the most columns (a merged cell counts
    its gridSpan), or None when a cell has no width in twips."""
    best: list[int] = []
    for row in table.findall(_w("tr")):
        widths: list[int] = []
        for cell in row.findall(_w("tc")):
            properties = cell.find(_w("tcPr"))
            width = properties.find(_w("tcW")) if properties is not None else None
            if width is None or width.get(_w("type")) != "dxa":
                return None
            span = properties.find(_w("gridSpan"))  # type: ignore[union-attr]
            if span is not None and int(span.get(_w("val"), "1")) > 1:
                return None  # merged cells: the grid cannot be read from one row
            widths.append(int(width.get(_w("w"))))
        if len(widths) > len(best):
            best = widths
    return best or None
