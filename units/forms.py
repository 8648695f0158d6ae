from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import IdChoiceField, IdMultipleChoiceField, id_formfield
from core.uploads import check_upload

from .models import Block, Membership, Unit


class UnitsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) có trang tính “units”"),
        help_text=_("Các cột: code, name, kind, parent_code (valid_from, valid_to nếu có)."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, {"xlsx": "xlsx"})
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return upload


class BlockForm(forms.ModelForm):
    members = IdMultipleChoiceField(
        label=_("Đơn vị thành viên"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = Block
        fields = ["code", "name", "year", "head_unit", "members"]
        formfield_callback = id_formfield

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = units  # type: ignore[attr-defined]
        self.fields["head_unit"].queryset = units  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        head, members = data.get("head_unit"), data.get("members") or []
        if head is not None and head not in members:
            self.add_error("head_unit", _("Đơn vị trưởng khối phải là thành viên của khối."))
        return data


class PersonForm(forms.Form):
    """A new account: who, where, in which role. No password: the person is invited to set one."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ, số và @ . + - _ ; không dấu cách."),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"), help_text=_("Lời mời đặt mật khẩu gửi về đây.")
    )
    unit = IdChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Vai trò trong đơn vị"), choices=Membership.Role.choices)
    council_member = forms.BooleanField(label=_("Thành viên Hội đồng thi đua"), required=False)
    invite = forms.BooleanField(
        label=_("Gửi ngay lời mời đặt mật khẩu"), required=False, initial=True
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PersonEditForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"))
    council_member = forms.BooleanField(label=_("Thành viên Hội đồng thi đua"), required=False)


class RoleForm(forms.Form):
    """A role in a unit: a new one, or a change of the role the person has there."""

    unit = IdChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PeopleImportForm(UnitsImportForm):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) có trang tính “people”"),
        help_text=_(
            "Các cột: username, full_name, email, unit_code, role (head, staff, officer). "
            "Không có mật khẩu: tài khoản mới nhận lời mời đặt mật khẩu."
        ),
    )
