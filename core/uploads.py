"""Uploaded files: checked by content (not by name), stored under generated names, hashed.

Shared by every layer that keeps files (campaign plans, conference photos, evidence).
"""

import hashlib
import unicodedata
import uuid
import zipfile
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# The extension a file's name may carry -> what its content must be (filetype's extension).
DOCUMENT_TYPES: dict[str, str] = {
    "pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "xls": "xls",
    "xlsx": "xlsx",
    "odt": "odt",
    "ods": "ods",
}
IMAGE_TYPES: dict[str, str] = {
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
    "gif": "gif",
    "webp": "webp",
}
EVIDENCE_TYPES: dict[str, str] = DOCUMENT_TYPES | IMAGE_TYPES


def generated_upload_to(instance: models.Model, filename: str) -> str:
    """A random name under the model's folder: the user's file name is never used on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    folder = instance._meta.label_lower.replace(".", "/")
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


# Office files that are zip archives of XML: checked for what they unpack to before anyone opens
# them (filetype's extension).
ZIP_CONTAINERS = {"docx", "xlsx", "odt", "ods"}
# A file name is shown on pages and in downloads' headers: kept short and plain. Django has already
# cut any folder off the name (`../`, `\`) and dropped control characters it could see.
NAME_MAX_CHARS = 200
NAME_FORBIDDEN = set('<>:"/\\|?*')
# An Office document never declares a DOCTYPE; one that does may define entities (XXE, billion
# laughs) for whatever program opens it.
XML_DECLARATIONS = (b"<!doctype", b"<!entity")
ARCHIVE_MAX_MEMBERS = 10_000


def check_upload_name(name: str) -> None:
    """Refuse a name that is too long, or carries markup, path or control characters."""
    if len(name) > NAME_MAX_CHARS:
        raise ValidationError(
            _("Tên tệp dài quá %(limit)s ký tự; hãy đặt tên ngắn hơn rồi gửi lại."),
            params={"limit": NAME_MAX_CHARS},
            code="name_too_long",
        )
    bad = sorted({c for c in name if c in NAME_FORBIDDEN or unicodedata.category(c)[0] == "C"})
    if bad:
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        raise ValidationError(
            _("Tên tệp “%(name)s” có ký tự không được dùng (%(chars)s); hãy đổi tên tệp."),
            params={"name": name, "chars": shown},
            code="name_characters",
        )


def check_archive(upload: UploadedFile, extension: str) -> None:
    """An Office file (a zip of XML): refused if it unpacks past WORKBOOK_MAX_UNCOMPRESSED_BYTES,
    is not a readable zip, or declares a DOCTYPE (XML entities)."""
    limit = settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if len(members) > ARCHIVE_MAX_MEMBERS or unpacked > limit:
                raise ValidationError(
                    _("Tệp “%(name)s” giải nén ra quá lớn (hơn %(limit)s); không nhận tệp này."),
                    params={"name": upload.name, "limit": filesizeformat(limit)},
                    code="archive_too_large",
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as xml:
                        head = xml.read(4096).lower()
                    if any(declaration in head for declaration in XML_DECLARATIONS):
                        raise ValidationError(
                            _(
                                "Tệp “%(name)s” chứa khai báo thực thể XML (DOCTYPE), điều tệp "
                                "Office hợp lệ không có; không nhận tệp này."
                            ),
                            params={"name": upload.name},
                            code="xml_entities",
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ValidationError(
            _("Tệp “%(name)s” bị hỏng: không mở được như một tệp .%(ext)s."),
            params={"name": upload.name, "ext": extension},
            code="archive_broken",
        ) from None
    finally:
        upload.seek(0)


def check_upload(upload: UploadedFile, allowed: dict[str, str] = EVIDENCE_TYPES) -> tuple[str, str]:
    """Refuse a file that is empty, too large, badly named, or whose content is not what its
    name says (an Office file also by what it unpacks to).

    Returns (sha256 hex digest, MIME type found in the content).
    """
    check_upload_name(upload.name or "")
    if not upload.size:
        raise ValidationError(
            _("Tệp “%(name)s” trống (0 byte)."), params={"name": upload.name}, code="empty"
        )
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s); dung lượng tối đa là %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Không nhận tệp “%(name)s”: chỉ nhận các loại %(types)s."),
            params={"name": upload.name, "types": ", ".join(sorted(allowed))},
            code="type_not_allowed",
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.extension != allowed[extension]:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng với loại .%(ext)s của tên tệp."),
            params={"name": upload.name, "ext": extension},
            code="content_mismatch",
        )
    if kind.extension in ZIP_CONTAINERS:
        check_archive(upload, extension)
        upload.seek(0)
        upload.read(len(head))
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), kind.mime


class StoredFile(models.Model):
    """An uploaded file's record: original name for display, generated name on disk."""

    file = models.FileField(_("tệp"), upload_to=generated_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


def stored_file_response(stored: Any) -> FileResponse:
    """Serve a stored upload as an attachment that the browser never sniffs or renders."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
