"""Hostile values by field kind, hostile files and malformed workbooks (built once, cached)."""

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django_filters
import openpyxl
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart

from .doors import HtmlField

CACHE = Path(os.environ.get("HOSTILE_CACHE", Path(tempfile.gettempdir()) / "emulation-hostile"))
TOO_BIG = "99999999999999999999"
LONG = "Đ" * 20_000

# "{other}" is replaced by the highest id of the field's model: the other authority's row, as the
# world builds it last.
IDS = ["abc", "-1", "0", TOO_BIG, str(2**63), str(2**31), "1.5", " 1", "１", "1\x00", "", "{other}"]
NUMBERS = ["abc", "-1", TOO_BIG, "1e309", "NaN", "inf", "1,5", "0x10", "", "1\x00", "-0"]
DECIMALS = [*NUMBERS, "0.001", "10.25", "1e-7", "99999999.99", "-99999999999999999999.5"]
DATES = [
    "2019-02-30",
    "99999-01-01",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "abc",
    "2026-13-01",
    "",
    "2026-01-01\x00",
    "-1",
]
DATETIMES = ["2026-02-30T08:00", "abc", "9999-12-31T23:59", "0001-01-01T00:00", "", "1\x00"]
TIMES = ["25:00", "abc", "-1:00", "", "23:59:60", "\x00"]
CHOICES = ["zzz", "", "\x00", "1" * 1000, "<script>alert(1)</script>", TOO_BIG, "-1"]
BOOLEANS = ["zzz", "", "2", "\x00", "on", "-1"]
TEXTS = [
    LONG,
    "<script>alert(1)</script>",
    "=1+1",
    '=HYPERLINK("http://example.invalid","x")',
    "'\"; DROP TABLE units_unit; --",
    "a\x00b",
    "   ",
    "",
    "\u202egnp.exe",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ \ud7ff",
]
CORPUS = {
    "id": IDS,
    "ids": IDS,
    "number": NUMBERS,
    "decimal": DECIMALS,
    "date": DATES,
    "datetime": DATETIMES,
    "time": TIMES,
    "choice": CHOICES,
    "boolean": BOOLEANS,
    "text": TEXTS,
}
# Invalid UTF-8 in a form body, percent-encoded and raw.
BAD_UTF8 = [b"%FF%FE%C0%AF", b"\xff\xfe\xc0\xaf", b"%ED%A0%80"]


def field_kind(form_field: Any, name: str = "") -> str:
    """One of CORPUS's keys, "file" or "workbook", for a form field (or a filter's field class)."""
    klass = form_field if isinstance(form_field, type) else type(form_field)
    if issubclass(klass, forms.FileField):
        return "workbook" if name in ("workbook",) else "file"
    if issubclass(klass, forms.ModelMultipleChoiceField):
        return "ids"
    if issubclass(klass, forms.ModelChoiceField):
        return "id"
    if issubclass(klass, forms.DateTimeField):
        return "datetime"
    if issubclass(klass, forms.DateField):
        return "date"
    if issubclass(klass, forms.TimeField):
        return "time"
    if issubclass(klass, forms.IntegerField):
        return "number"
    if issubclass(klass, forms.DecimalField | forms.FloatField):
        return "decimal"
    if issubclass(klass, forms.BooleanField | forms.NullBooleanField):
        return "boolean"
    if issubclass(klass, forms.ChoiceField | django_filters.fields.ChoiceField):
        return "choice"
    return "text"


def html_kind(field: HtmlField, door_name: str) -> str:
    """The kind of a field known only from the page (or the request) it is read from."""
    name = field.name
    if name.startswith("score_"):
        return "decimal"
    if name in ("version", "page"):
        return "number"
    if name.startswith("evidence_"):
        return "file"
    if field.kind == "file":
        return "workbook" if "import" in door_name else "file"
    if field.kind in ("select", "select-multiple", "checkbox", "radio"):
        options = [o for o in field.options if o]
        if options and all(o.isdigit() for o in options):
            return "ids" if field.kind in ("select-multiple", "checkbox") else "id"
        return "choice"
    if field.kind == "hidden" and field.value.isdigit():
        return "id"
    return {
        "number": "number",
        "date": "date",
        "datetime-local": "datetime",
        "time": "time",
    }.get(field.kind, "text")


# Files -------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@dataclass(frozen=True)
class RawUpload:
    """A file part sent with its name exactly as given: the test client would cut a folder off
    the name (as a browser does), an attacker does not."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


BOUNDARY = "HostileBoundaryqZx7"


def multipart(data: dict[str, Any]) -> tuple[bytes, str]:
    """The body and content type of a form posting `data`, RawUpload parts included."""
    raw = {key: value for key, value in data.items() if isinstance(value, RawUpload)}
    rest = {key: value for key, value in data.items() if key not in raw}
    body = encode_multipart(BOUNDARY, rest).removesuffix(f"--{BOUNDARY}--\r\n".encode())
    for key, upload in raw.items():
        body += b"\r\n".join(
            [
                f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{key}"; filename="{upload.name}"'.encode(),
                f"Content-Type: {upload.content_type}".encode(),
                b"",
                upload.content,
                b"",
            ]
        )
    return body + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"
PROGRAM = b"MZ\x90\x00" * 64


def hostile_files() -> list[tuple[str, Any]]:
    """(label, a factory of an upload) for a file field that expects a document or an image:
    each one must be refused with a message and change nothing.

    Names with folders or control characters reach the portal without them (Django keeps only
    what follows the last / or \\ and drops characters it cannot print), so those carry what an
    attacker would put there (a page, a script, a program); a plain PDF under such a name is
    taken under its plain name (test_uploads.py)."""
    too_large = settings.UPLOAD_MAX_BYTES + 1

    def named(name: str, content: bytes = PDF) -> Any:
        return lambda: SimpleUploadedFile(name, content)

    def raw(name: str, content: bytes = PDF) -> Any:
        return lambda: RawUpload(name, content)

    return [
        # Names
        ("path parts, no extension", raw("../../../../etc/cron.d/x")),
        ("path parts, windows", raw("..\\..\\inetpub\\wwwroot\\shell.aspx", b"<%@ Page %>")),
        ("path parts, a page", raw("../../static/index.html", HTML)),
        ("path parts, a PDF that is HTML", raw("../../media/ke-hoach.pdf", HTML)),
        ("path parts, markup", raw("../x/<svg onload=alert(1)>.pdf")),
        ("NUL before the extension", named("shell.php\x00.pdf", PHP)),
        ("line break in name", named("bao-cao.html\r\nContent-Type: application/pdf", HTML)),
        ("escape sequence in name", named("\x1b[2J\x1b[31mbao-cao.exe", PROGRAM)),
        ("right-to-left override", named("bao-cao\u202efdp.exe", PROGRAM)),
        ("markup in name", named("<img src=x onerror=alert(1)>.pdf")),
        ("script in name", named("<script>alert(1)</script>.pdf")),
        ("255+ characters", named("đ" * 300 + ".pdf")),
        # Contents
        ("empty", named("trong.pdf", b"")),
        ("oversized", named("lon.pdf", PDF + b"0" * too_large)),
        ("a PDF that is HTML", named("ke-hoach.pdf", HTML)),
        ("text named .pdf", named("ke-hoach.pdf", b"plain text, not a pdf")),
        ("program named .docx", named("bao-cao.docx", PROGRAM)),
        ("png named .pdf", named("anh.pdf", PNG)),
        ("no extension", named("tep")),
        ("an .xlsx that is a zip bomb", workbook_upload("zip bomb")),
        ("an .xlsx with external entities", workbook_upload("external entities")),
        ("not a file", lambda: "not-a-file"),
    ]


def workbook_upload(label: str, name: str | None = None) -> Any:
    return lambda: SimpleUploadedFile(
        name or workbook_path(label).name, workbook_path(label).read_bytes()
    )


def _save(workbook: Any, path: Path) -> Path:
    workbook.save(path)
    return path


def _not_a_zip(path: Path) -> Path:
    path.write_bytes(b"code,name\nKL,Kien Luong\n")
    return path


def _zip_bomb(path: Path) -> Path:
    """A real workbook with one more member that unpacks to 300 MB of zeros (~300 KB packed)."""
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
            for item in source.infolist():
                bomb.writestr(item, source.read(item))
        with bomb.open("xl/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return path


def _missing_sheets(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["code", "name"])
    return _save(book, path)


def _merged_cells(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheets = {
        "campaign": [
            "code",
            "title",
            "starts_on",
            "ends_on",
            "window_opens_on",
            "window_closes_on",
        ],
        "units": ["code", "name", "kind", "parent_code"],
    }
    book.remove(book.active)
    for title, header in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(header)
        sheet.append(["=1+1"] * len(header))
        sheet.append(["X"] * len(header))
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=len(header))
    return _save(book, path)


def _many_rows(path: Path) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("units")
    sheet.append(["code", "name", "kind", "parent_code"])
    for number in range(100_000):
        sheet.append([f"R{number:06d}", f"Đơn vị {number}", "xa", ""])
    return _save(book, path)


XXE_PROLOG = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _external_entities(path: Path) -> Path:
    """A real workbook whose sheet declares an entity that reads a file of the server (XXE)."""
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.title = "units"
    book.active.append(["code", "name", "kind", "parent_code"])
    book.active.append(["X1", "ENTITY-HERE", "xa", ""])
    book.save(buffer)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
    ):
        for item in source.infolist():
            content = source.read(item)
            if b"ENTITY-HERE" in content:  # the sheet (or its shared strings)
                body = content.split(b"?>", 1)[-1] if content.startswith(b"<?xml") else content
                content = XXE_PROLOG + body.replace(b"ENTITY-HERE", b"&x;")
            target.writestr(item, content)
    return path


WORKBOOKS = {
    "not a zip": ("not-a-zip.xlsx", _not_a_zip),
    "zip bomb": ("zip-bomb.xlsx", _zip_bomb),
    "external entities": ("external-entities.xlsx", _external_entities),
    "missing sheets": ("missing-sheets.xlsx", _missing_sheets),
    "merged cells": ("merged-cells.xlsx", _merged_cells),
    "100,000 rows": ("rows-100000.xlsx", _many_rows),
}


def workbook_path(label: str) -> Path:
    """The malformed workbook, built on first use and kept in the cache folder."""
    name, build = WORKBOOKS[label]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / name
    if not path.exists():
        partial = path.with_suffix(".part")
        build(partial)
        partial.replace(path)
    return path


def hostile_workbooks() -> list[tuple[str, Any]]:
    def upload(label: str) -> Any:
        path = workbook_path(label)
        return lambda: SimpleUploadedFile(path.name, path.read_bytes())

    return [(label, upload(label)) for label in WORKBOOKS] + [
        ("document named .xlsx", lambda: SimpleUploadedFile("bang.xlsx", b"%PDF-1.4\n")),
        ("a page named .xlsx", lambda: SimpleUploadedFile("bang.xlsx", HTML)),
        ("empty", lambda: SimpleUploadedFile("trong.xlsx", b"")),
        ("markup in name", workbook_upload("external entities", "<svg onload=alert(1)>.xlsx")),
        ("255+ characters", workbook_upload("missing sheets", "đ" * 300 + ".xlsx")),
        ("path parts, a page", lambda: RawUpload("../../templates/base.html", HTML)),
        ("line break in name", lambda: SimpleUploadedFile("a.html\r\nX: y", HTML)),
        (
            "oversized",
            lambda: SimpleUploadedFile("lon.xlsx", b"0" * (settings.UPLOAD_MAX_BYTES + 1)),
        ),
        ("not a file", lambda: "not-a-file"),
    ]
