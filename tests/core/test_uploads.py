"""What an upload must be before any service keeps it: named plainly, not empty, and an Office
file that unpacks to a sane size without XML entity declarations."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import EVIDENCE_TYPES, check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def workbook_bytes(extra: dict[str, bytes] | None = None, size: int = 0) -> bytes:
    """A real .xlsx, with extra members, or one member of `size` zero bytes (a zip bomb)."""
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
            for item in source.infolist():
                target.writestr(item, source.read(item))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
        if size:
            with target.open("xl/media/zeros.bin", "w", force_zip64=True) as member:
                for _ in range(size // (1024 * 1024)):
                    member.write(bytes(1024 * 1024))
    return out.getvalue()


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&x;</Types>'
)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content), EVIDENCE_TYPES)
    return " ".join(refused.value.messages)


def test_a_plain_pdf_and_a_real_workbook_are_taken() -> None:
    assert check_upload(SimpleUploadedFile("Báo cáo năm 2026.pdf", PDF))[1] == "application/pdf"
    assert check_upload(SimpleUploadedFile("bang-diem.xlsx", workbook_bytes()))[0]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("<img src=x onerror=alert(1)>.pdf", "có ký tự không được dùng"),
        ("script>.pdf", "có ký tự không được dùng"),
        ("bao\x07cao.pdf", "U+0007"),
        ("bao\u202ecao.pdf", "U+202E"),
        ("C:evil.pdf", "có ký tự không được dùng"),
        ("đ" * 251 + ".pdf", "Tên tệp dài quá 200 ký tự"),
    ],
)
def test_a_name_with_markup_control_characters_or_too_long_is_refused(name: str, says: str) -> None:
    assert says in refusal(name, PDF)


def test_an_empty_file_is_refused() -> None:
    assert "trống" in refusal("trong.pdf", b"")


def test_a_pdf_that_is_html_is_refused() -> None:
    assert "không đúng với loại .pdf" in refusal("ke-hoach.pdf", b"<html><script>x</script>")


def test_a_workbook_that_unpacks_too_far_is_refused(settings: object) -> None:
    settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]
    assert "giải nén ra quá lớn" in refusal("bom.xlsx", workbook_bytes(size=3 * 1024 * 1024))


def test_a_workbook_with_external_entities_is_refused() -> None:
    content = workbook_bytes({"xl/worksheets/_rels/extra.xml.rels": XXE})
    assert "khai báo thực thể XML" in refusal("xxe.xlsx", content)


def test_a_broken_office_file_is_refused() -> None:
    broken = workbook_bytes()[:-200]  # the zip's directory cut off
    message = refusal("hong.xlsx", broken)
    assert "bị hỏng" in message or "không đúng với loại" in message
