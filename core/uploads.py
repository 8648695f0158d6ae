"""Uploaded files: checked by content (not by name), stored under generated names, hashed.

Shared by every layer that keeps files (campaign plans, conference photos, evidence).
"""

import hashlib
import uuid
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


def check_upload(upload: UploadedFile, allowed: dict[str, str] = EVIDENCE_TYPES) -> tuple[str, str]:
    """Refuse a file that is too large or whose content is not what its name says.

    Returns (sha256 hex digest, MIME type found in the content).
    """
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
