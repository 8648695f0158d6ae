"""LibreOffice as an office opens our files: `soffice --headless --convert-to pdf`, then the text of
each page of the PDF it writes (no PDF library: its streams are inflated with zlib and each
string shown is decoded through its font's ToUnicode map). And the check that no table column of
a .docx is narrower than the longest word it holds, measured with Liberation Serif (the metrics of
Times New Roman, which LibreOffice uses in its place)."""

import io
import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SOFFICE = "/usr/bin/soffice"
# Liberation 2 (what LibreOffice takes for Times New Roman): the first version of the fonts lacks
# Vietnamese capitals such as Ộ, and would measure them narrower than they print.
SERIF = Path("/usr/share/fonts/truetype/liberation2")
DEJAVU = Path(__file__).resolve().parents[2] / "core" / "fonts"


def soffice_missing() -> str | None:
    if not Path(SOFFICE).exists():
        return f"{SOFFICE} is not installed (apt-get install libreoffice-writer-nogui)"
    return None


def to_pdf(content: bytes, suffix: str = ".docx") -> bytes:
    """The PDF LibreOffice makes of a file, in a profile of its own (runs may overlap)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(content)
        subprocess.run(  # noqa: S603
            [
                shutil.which("soffice") or SOFFICE,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(folder) / "document.pdf").read_bytes()


OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in OBJECT.findall(pdf)}


def _stream(body: bytes) -> bytes:
    found = STREAM.search(body)
    if not found:
        return b""
    data = found.group(1)
    if b"/FlateDecode" in body:
        return zlib.decompress(data)
    return data


def _cmap(data: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


def _fonts(objects: dict[int, bytes], page: bytes) -> dict[bytes, tuple[dict[int, str], int]]:
    """Font name on the page → (code → text, bytes per code)."""
    resources = page
    ref = re.search(rb"/Resources (\d+) 0 R", page)
    if ref:
        resources = objects[int(ref.group(1))]
    fonts_ref = re.search(rb"/Font\s*(\d+) 0 R", resources)
    fonts = objects[int(fonts_ref.group(1))] if fonts_ref else resources
    found = {}
    for name, number in re.findall(rb"/(F\d+)\s+(\d+) 0 R", fonts):
        font = objects[int(number)]
        unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
        table = _cmap(_stream(objects[int(unicode.group(1))])) if unicode else {}
        width = 2 if b"/Type0" in font else 1
        found[name] = (table, width)
    return found


TEXT = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|(Tj|TJ|T\*|Td|TD|Tm|ET)")


def _pages(pdf: bytes) -> list[tuple[dict[bytes, tuple[dict[int, str], int]], bytes]]:
    """(fonts, content stream) of each page, in page order."""
    objects = _objects(pdf)
    root = None
    kids: list[int] = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body:
            root = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
    order = [int(n) for n in re.findall(rb"(\d+) 0 R", root.group(1))] if root else []
    for number in order:  # one level of page tree is all LibreOffice writes for a few pages
        body = objects[number]
        if re.search(rb"/Type\s*/Pages\b", body):
            inner = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            kids += [int(n) for n in re.findall(rb"(\d+) 0 R", inner.group(1))] if inner else []
        else:
            kids.append(number)
    pages = []
    for number in kids:
        page = objects[number]
        contents = re.search(rb"/Contents\s*(\d+) 0 R", page)
        data = _stream(objects[int(contents.group(1))]) if contents else b""
        pages.append((_fonts(objects, page), data))
    return pages


def pdf_lines(pdf: bytes) -> list[list[str]]:
    """The lines of each page, in page order: LibreOffice writes each line of text as one text
    object (BT … ET); within it, a move to a new position is a space."""
    pages = []
    for fonts, data in _pages(pdf):
        table: dict[int, str] = {}
        width, parts = 1, []
        for font, hexa, operator in TEXT.findall(data):
            if font:
                table, width = fonts.get(font, ({}, 1))
            elif hexa:
                raw = bytes.fromhex(re.sub(rb"\s", b"", hexa).decode())
                codes = [
                    int.from_bytes(raw[i : i + width], "big") for i in range(0, len(raw), width)
                ]
                parts.append("".join(table.get(code, "") for code in codes))
            elif operator == b"ET":
                parts.append("\n")
            elif operator in (b"T*", b"Td", b"TD", b"Tm"):
                parts.append(" ")
        lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n")]
        pages.append([line for line in lines if line])
    return pages


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, in page order, its lines joined by spaces."""
    return [" ".join(lines) for lines in pdf_lines(pdf)]


LINE = re.compile(rb"([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l S")


def pdf_rules(pdf: bytes) -> list[list[tuple[float, float]]]:
    """The horizontal lines each page draws, as (height on the page, length), in points."""
    return [
        sorted(
            {
                (float(y1), abs(float(x2) - float(x1)))
                for x1, y1, x2, y2 in LINE.findall(data)
                if y1 == y2 and x1 != x2
            },
            reverse=True,
        )
        for _fonts, data in _pages(pdf)
    ]


# Widths of table columns in a .docx -------------------------------------------------------------

TWIPS_PER_POINT = 20


def _font(bold: bool) -> str:
    name = "LiberationSerif-Bold" if bold else "LiberationSerif"
    if name not in pdfmetrics.getRegisteredFontNames():
        path = SERIF / f"{name.replace('Serif', 'Serif-Regular') if not bold else name}.ttf"
        if not path.exists():  # no Liberation 2: DejaVu Sans is wider, so the check is safe
            path = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        pdfmetrics.registerFont(TTFont(name, path))
    return name


def _run_size(run, default: float) -> float:  # type: ignore[no-untyped-def]
    size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
    return int(size.get(qn("w:val"))) / 2 if size is not None else default


def _run_bold(run) -> bool:  # type: ignore[no-untyped-def]
    bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
    return bold is not None and bold.get(qn("w:val"), "1") not in ("0", "false")


def narrow_columns(content: bytes) -> list[str]:
    """Every cell of a table whose longest word is wider than the cell's column (its width less
    the cell margins), as "<word> (<needed> > <room> twips)"; an empty list when all fit."""
    document = Document(io.BytesIO(content))
    default = document.styles["Normal"].font.size
    default_size = default.pt if default is not None else 11.0
    problems = []
    for table in document.element.body.iter(qn("w:tbl")):
        grid = [int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid"))]
        margins = table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        inset = 2 * 108  # Word's default left and right cell margins
        if margins is not None:
            inset = sum(
                int(side.get(qn("w:w")))
                for side in margins
                if side.tag in (qn("w:left"), qn("w:right"))
            )
        for row in table.findall(qn("w:tr")):
            for column, cell in enumerate(row.findall(qn("w:tc"))):
                width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                cell_width = int(width.get(qn("w:w"))) if width is not None else grid[column]
                if cell_width != grid[column]:
                    problems.append(f"column {column}: cell {cell_width} ≠ grid {grid[column]}")
                room = grid[column] - inset
                for run in cell.iter(qn("w:r")):
                    text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                    font = _font(_run_bold(run))
                    size = _run_size(run, default_size)
                    for word in text.split():
                        needed = pdfmetrics.stringWidth(word, font, size) * TWIPS_PER_POINT
                        if needed > room:
                            problems.append(f"{word} ({needed:.0f} > {room} twips)")
    return problems


def line_room(content: bytes, text: str) -> tuple[float, int]:
    """(width the run reading `text` needs, room in its table column), in twips: the line stays
    on one line when the first is not larger."""
    document = Document(io.BytesIO(content))
    default = document.styles["Normal"].font.size
    default_size = default.pt if default is not None else 11.0
    for table in document.element.body.iter(qn("w:tbl")):
        grid = [int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid"))]
        margins = table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        inset = 2 * 108
        if margins is not None:
            inset = sum(
                int(side.get(qn("w:w")))
                for side in margins
                if side.tag in (qn("w:left"), qn("w:right"))
            )
        for row in table.findall(qn("w:tr")):
            for column, cell in enumerate(row.findall(qn("w:tc"))):
                for run in cell.iter(qn("w:r")):
                    if "".join(t.text or "" for t in run.iter(qn("w:t"))) == text:
                        size = _run_size(run, default_size)
                        needed = pdfmetrics.stringWidth(text, _font(_run_bold(run)), size)
                        return needed * TWIPS_PER_POINT, grid[column] - inset
    raise AssertionError(f"{text!r} is in no table cell")
