from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import IdChoiceField, IdMultipleChoiceField, id_formfield
from core.uploads import check_upload

from .models import (
    AuthorityProfile,
    Block,
    DocumentTemplate,
    Membership,
    Unit,
    validate_document_code,
)

# The profile's own fields, as the form and the service name them.
PROFILE_FIELDS = ["parent_body", "issuing_body", "name", "code", "place_name", "head_title"]


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


class AuthorityProfileForm(forms.Form):
    """The authority's profile as its officer keeps it; the help texts say where each line goes
    on a document."""

    parent_body = forms.CharField(
        label=_("Tên cơ quan, tổ chức chủ quản"),
        max_length=200,
        required=False,
        help_text=AuthorityProfile._meta.get_field("parent_body").help_text,
    )
    issuing_body = forms.CharField(
        label=_("Tên cơ quan ban hành"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=AuthorityProfile._meta.get_field("issuing_body").help_text,
    )
    name = forms.CharField(
        label=_("Tên cơ quan trong câu văn"),
        max_length=200,
        help_text=AuthorityProfile._meta.get_field("name").help_text,
    )
    code = forms.CharField(
        label=_("Chữ viết tắt tên cơ quan"),
        max_length=20,
        validators=[validate_document_code],
        help_text=AuthorityProfile._meta.get_field("code").help_text,
    )
    place_name = forms.CharField(
        label=_("Địa danh"),
        max_length=120,
        help_text=AuthorityProfile._meta.get_field("place_name").help_text,
    )
    head_title = forms.CharField(
        label=_("Chức danh người đứng đầu"),
        max_length=60,
        initial="Chủ tịch",
        help_text=AuthorityProfile._meta.get_field("head_title").help_text,
    )
    head_name = forms.CharField(
        label=_("Họ và tên người đứng đầu"),
        max_length=160,
        required=False,
        help_text=_("Người ký “CHỦ TỊCH” (không ghi chức vụ, học hàm), ví dụ “Nguyễn Văn An”."),
    )
    deputy_names = forms.CharField(
        label=_("Họ và tên các cấp phó"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một người. Cấp phó ký thay người đứng đầu: văn bản ghi “KT. CHỦ TỊCH” "
            "trên “PHÓ CHỦ TỊCH” và họ tên người ký."
        ),
    )

    def clean_deputy_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["deputy_names"].splitlines()]
        names = [name for name in names if name]
        if any(len(name) > 160 for name in names):
            raise ValidationError(_("Mỗi họ tên tối đa 160 ký tự."))
        return names

    @classmethod
    def initial_from(cls, profile: AuthorityProfile | None) -> dict[str, Any]:
        if profile is None:
            return {}
        signers = profile.signer_list()
        return {
            **{field: getattr(profile, field) for field in PROFILE_FIELDS},
            "head_name": next((s.full_name for s in signers if not s.is_deputy), ""),
            "deputy_names": "\n".join(s.full_name for s in signers if s.is_deputy),
        }


class DocumentTemplateForm(forms.Form):
    """The authority's own Word template of one kind of document (checked by the service)."""

    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentTemplate.Kind.choices)
    file = forms.FileField(
        label=_("Mẫu Word (.docx) có các trường docxtpl"),
        help_text=_("Phải có đủ các trường của mẫu có sẵn; thiếu trường nào thì không nhận."),
    )


class DocumentTemplateResetForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentTemplate.Kind.choices, widget=forms.HiddenInput)


class DocumentWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=255)


class RegisterYearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1945, max_value=2200, required=False)


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
