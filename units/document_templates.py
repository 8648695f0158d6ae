"""The Word templates an authority's documents are made from: the built-in one of each kind (the
app that makes the document registers it at start-up, `register_built_in`), or the authority's
own upload (`models.DocumentTemplate`). An upload is checked against the built-in template of
its kind: it must carry every field that one uses, and no field the portal does not fill."""

import io
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from .models import DocumentTemplate, Unit

BUILT_IN: dict[str, Path] = {}


def register_built_in(kind: str, path: Path) -> None:
    BUILT_IN[kind] = path


def template_fields(source: Path | IO[bytes]) -> set[str]:
    """The fields a docxtpl template reads (its loop variables excluded)."""
    return set(DocxTemplate(source).get_undeclared_template_variables())


def required_fields(kind: str) -> set[str]:
    return template_fields(BUILT_IN[kind])


def check_template(kind: str, content: bytes) -> None:
    """Refuse a template that is not a Word file docxtpl reads, that lacks a field the document
    needs, or that asks for a field the portal does not fill; each refusal names the fields."""
    try:
        found = template_fields(io.BytesIO(content))
    except Exception as error:  # a broken archive, XML or Jinja tag: all refused alike
        raise ValidationError(
            _("Không đọc được mẫu: %(error)s") % {"error": error}, code="unreadable"
        ) from error
    needed = required_fields(kind)
    errors = []
    if missing := sorted(needed - found):
        errors.append(
            ValidationError(
                _("Mẫu thiếu các trường: %(fields)s.") % {"fields": ", ".join(missing)},
                code="missing_fields",
            )
        )
    if unknown := sorted(found - needed):
        errors.append(
            ValidationError(
                _("Mẫu dùng các trường cổng không điền: %(fields)s.")
                % {"fields": ", ".join(unknown)},
                code="unknown_fields",
            )
        )
    if errors:
        raise ValidationError(errors)


def template_in_force(authority: Unit | None, kind: str) -> DocumentTemplate | None:
    """The authority's own template of this kind in force, or None (the built-in one)."""
    if authority is None:
        return None
    return (
        DocumentTemplate.objects.filter(authority=authority, kind=kind, active=True)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def template_source(authority: Unit | None, kind: str) -> Path | IO[bytes]:
    """What a document of `kind` is rendered from: the authority's template, else the built-in."""
    own = template_in_force(authority, kind)
    if own is None:
        return BUILT_IN[kind]
    with own.file.open("rb") as stored:
        return io.BytesIO(stored.read())
