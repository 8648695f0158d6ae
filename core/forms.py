"""Choice fields that refuse a malformed or out-of-range id before the database sees it.

Django's own model choice fields hand whatever was posted to the database: an id beyond the
column's range makes PostgreSQL raise "integer out of range" (a 500) instead of a form error.
Every model choice in the portal uses these fields, so a hostile id is one form error, beside its
field, on every database.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field, Model
from django.utils.translation import gettext_lazy as _

INVALID_ID = _("Lựa chọn không hợp lệ: “%(value)s”.")
# The empty choice of a select, in words (Django writes "---------").
EMPTY_CHOICE = _("— Chọn —")
DJANGO_EMPTY_CHOICE = "---------"
SHOWN_CHARACTERS = 20  # of a refused value, so a hostile string cannot flood the page


def key_range(field: Field) -> tuple[int, int] | None:  # type: ignore[type-arg]
    """The (min, max) a key column holds, the same on every database; None if not an integer."""
    while field.is_relation:  # a one-to-one primary key holds its target's key
        field = field.target_field
    return BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())


def shown(value: object) -> str:
    """The refused value, shortened and without control characters (NUL, newlines)."""
    text = str(value)[:SHOWN_CHARACTERS]
    return "".join(char if char.isprintable() else "?" for char in text)


class IdFieldMixin:
    """Refuse an id that is not plain ASCII digits within the key column's range."""

    default_error_messages = {"invalid_id": INVALID_ID}
    error_messages: dict[str, Any]
    queryset: Any
    to_field_name: str | None

    def check_id(self, value: object) -> None:
        if isinstance(value, Model):
            return
        meta = self.queryset.model._meta
        bounds = key_range(meta.get_field(self.to_field_name) if self.to_field_name else meta.pk)
        if bounds is None:  # a text or UUID key: Django's own checks apply
            return
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
        highest = bounds[1]
        if not (
            text.isascii()
            and text.isdigit()
            and len(text) <= len(str(highest))
            and int(text) <= highest
        ):
            raise ValidationError(
                self.error_messages["invalid_id"], code="invalid_id", params={"value": shown(value)}
            )


class IdChoiceField(IdFieldMixin, forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": INVALID_ID}

    def __init__(self, queryset: Any, *, empty_label: Any = EMPTY_CHOICE, **kwargs: Any) -> None:
        if empty_label == DJANGO_EMPTY_CHOICE:  # a filter's or a model field's default
            empty_label = EMPTY_CHOICE
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            self.check_id(value)
        return super().to_python(value)


class IdMultipleChoiceField(IdFieldMixin, forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": INVALID_ID,
        "invalid_pk_value": _("Lựa chọn không hợp lệ: “%(pk)s”."),
    }

    def clean(self, value: Any) -> Any:
        value = self.prepare_value(value)
        if isinstance(value, list | tuple):
            for item in value:
                self.check_id(item)
        return super().clean(value)


def id_formfield(db_field: Field, **kwargs: Any) -> forms.Field | None:  # type: ignore[type-arg]
    """A ModelForm's `Meta.formfield_callback`: its foreign keys and many-to-many fields get
    the id fields above instead of Django's."""
    if db_field.many_to_many:
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    elif db_field.is_relation and (db_field.many_to_one or db_field.one_to_one):
        kwargs.setdefault("form_class", IdChoiceField)
    field = db_field.formfield(**kwargs)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        field.choices = [
            ("", EMPTY_CHOICE) if value == "" and label == DJANGO_EMPTY_CHOICE else (value, label)
            for value, label in field.choices
        ]
    return field


class TwoFactorCodeForm(forms.Form):
    """The second step of a sign-in, and the confirmation that turns two-factor off."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("Mã 6 chữ số đang hiện trong ứng dụng xác thực, hoặc một mã dự phòng."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class TwoFactorSetUpForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng"),
        max_length=16,
        help_text=_(
            "Quét mã QR bằng ứng dụng xác thực trên điện thoại, rồi gõ 6 chữ số ứng dụng đang hiện."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
