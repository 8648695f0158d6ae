"""Forms for the manager's pages. They validate input; the services decide and write."""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import IdChoiceField, IdMultipleChoiceField, id_formfield
from units.models import Block, Unit

from .models import (
    CLASSIFICATION_RULES,
    Campaign,
    CampaignAttachment,
    Checklist,
    Conference,
    ConferenceFile,
    CouncilSeat,
    Criterion,
    validity_label,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SizedFileField(forms.FileField):
    """A file field that refuses, early, anything above the portal's upload limit."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(_("Tệp quá lớn."), code="too_large")


CAMPAIGN_DATE_WIDGETS = {
    "starts_on": DateInput(),
    "ends_on": DateInput(),
    "window_opens_on": DateInput(),
    "window_closes_on": DateInput(),
    "description": forms.Textarea(attrs={"rows": 3}),
}


MULTIPLE_CHOICE_HELP = _("Giữ phím Ctrl (⌘ trên máy Mac) để chọn nhiều.")

# A line under each field an officer could misread (the dates, the counts, the scoring step).
CAMPAIGN_HELP = {
    "starts_on": _(
        "Thời gian của cả phong trào theo kế hoạch phát động, không phải thời hạn tự chấm điểm."
    ),
    "ends_on": _(
        "Thời gian của cả phong trào theo kế hoạch phát động, không phải thời hạn tự chấm điểm."
    ),
    "window_opens_on": _(
        "Ngày đầu tiên đơn vị được tự chấm điểm. Phong trào đã phát động thì thời hạn tự mở vào "
        "ngày này."
    ),
    "window_closes_on": _(
        "Ngày cuối cùng đơn vị được nộp, tính hết ngày này. Qua ngày này thời hạn tự đóng; nộp "
        "sau là nộp muộn, trừ đơn vị được mở lại thời hạn."
    ),
    "exemplary_per_block": _(
        "Số đơn vị đứng đầu mỗi khối được đánh dấu dẫn đầu (bằng điểm thì cùng được), nếu ở "
        "hạng cao nhất, không vi phạm tiêu chí bắt buộc và nộp đúng hạn."
    ),
    "review_stages": _(
        "1 hoặc 2. Có 2 vòng thì điểm cuối cùng của mỗi tiêu chí lấy theo vòng sau cùng đã chấm "
        "tiêu chí đó."
    ),
    "score_step": _(
        "Điểm tự chấm và điểm thẩm định phải là bội số của bước này: với 0,5 thì được 7 hoặc "
        "7,5, không được 7,25."
    ),
}


class CampaignForm(forms.ModelForm):
    template = IdChoiceField(
        label=_("Bộ tiêu chí mẫu"),
        queryset=Checklist.objects.filter(is_template=True),
        required=False,
        help_text=_("Sao chép tiêu chí từ một bộ mẫu; có thể sửa trước khi phát động."),
    )

    class Meta:
        model = Campaign
        fields = [
            "code",
            "title",
            "description",
            "authority",
            "starts_on",
            "ends_on",
            "window_opens_on",
            "window_closes_on",
            "exemplary_per_block",
            "review_stages",
        ]
        formfield_callback = id_formfield
        widgets = CAMPAIGN_DATE_WIDGETS
        help_texts = {
            "code": _(
                "Mã ngắn, không dấu cách, ví dụ VHCS-XKL-2026: dùng trong địa chỉ trang và tệp "
                "Excel; không sửa được sau khi tạo."
            ),
            **CAMPAIGN_HELP,
        }

    def __init__(self, *args: Any, authorities: QuerySet[Unit] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        authority = self.fields["authority"]
        authority.required = True
        authority.queryset = (  # type: ignore[attr-defined]
            authorities if authorities is not None else Unit.objects.select_related("kind")
        )
        authority.label_from_instance = authority_label  # type: ignore[attr-defined]


def authority_label(unit: Unit) -> str:
    """A body that ended (or begins) on a date says so: only campaigns of its time take it."""
    validity = validity_label(unit)
    return f"{unit.name} ({validity})" if validity else unit.name


class CampaignUpdateForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "description",
            "starts_on",
            "ends_on",
            "window_opens_on",
            "window_closes_on",
            "exemplary_per_block",
            "review_stages",
            "score_step",
            *CLASSIFICATION_RULES,
        ]
        widgets = CAMPAIGN_DATE_WIDGETS
        help_texts = {
            **CAMPAIGN_HELP,
            "excellent_min": _("Điểm cuối cùng từ ngưỡng này trở lên (mặc định 90)."),
            "good_min": _("Điểm cuối cùng từ ngưỡng này trở lên (mặc định 80)."),
            "pass_min": _(
                "Điểm cuối cùng từ ngưỡng này trở lên (mặc định 50); dưới ngưỡng là "
                "Không hoàn thành."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_editable:  # the service refuses a change after launch
            for name in CLASSIFICATION_RULES:
                self.fields[name].disabled = True

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in CLASSIFICATION_RULES]

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CLASSIFICATION_RULES]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "parent",
            "code",
            "title",
            "kind",
            "max_points",
            "critical",
            "evidence_required",
            "guidance",
            "order",
        ]
        formfield_callback = id_formfield
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "parent": _(
                "Để trống nếu đây là một phần (mục lớn). Mục có tiêu chí con không có điểm "
                "riêng: điểm nằm ở các tiêu chí con."
            ),
            "code": _("Số hiệu hiện trên phiếu chấm, ví dụ II hoặc 1.2."),
            "kind": _(
                "Chấm điểm: từ 0 đến điểm tối đa. Đạt / không đạt: 0 hoặc điểm tối đa. Điểm "
                "trừ: trừ khỏi tổng. Điểm thưởng: cộng thêm, có thể đưa tổng quá 100."
            ),
            "max_points": _(
                "Với điểm trừ, điểm thưởng: mức trừ, thưởng cao nhất. Tổng điểm tối đa của các "
                "tiêu chí chấm điểm và đạt / không đạt là điểm chuẩn, quy về thang 100."
            ),
            "critical": _(
                "Đơn vị không đạt đủ điểm tối đa ở tiêu chí này (với tiêu chí điểm trừ: bị trừ "
                "bất kỳ điểm nào) bị giới hạn xếp loại và không được dẫn đầu khối."
            ),
            "evidence_required": _(
                "Đơn vị không nộp được khi tiêu chí này chưa có tệp minh chứng."
            ),
            "order": _("Trong cùng một mục, số nhỏ đứng trước."),
        }

    def __init__(self, *args: Any, checklist: Checklist, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = checklist.criteria.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.instance.checklist = checklist

    def validate_unique(self) -> None:
        """The service validates; the model's own check would query a second time."""


class ChecklistSourceForm(forms.Form):
    source = IdChoiceField(
        label=_("Sao chép từ"),
        queryset=Checklist.objects.none(),
        help_text=_("Một bộ mẫu, hoặc bộ tiêu chí của một phong trào trước."),
    )

    def __init__(self, *args: Any, sources: QuerySet[Checklist], **kwargs: Any) -> None:
        """`sources`: `selectors.checklist_sources(campaign)`, as the service checks."""
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]


class EnrolUnitsForm(forms.Form):
    class Mode:
        UNITS = "units"
        SUBTREE = "subtree"
        BLOCK = "block"

    units = IdMultipleChoiceField(
        label=_("Từng đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=MULTIPLE_CHOICE_HELP,
    )
    subtree = IdChoiceField(
        label=_("Một đơn vị và các đơn vị trực thuộc"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Ghi danh đơn vị này và mọi đơn vị cấp dưới của nó."),
    )
    block = IdChoiceField(
        label=_("Cả khối thi đua"),
        queryset=Block.objects.all(),
        required=False,
        help_text=_("Ghi danh mọi đơn vị thành viên của khối. Chỉ chọn một trong ba cách."),
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[Unit], blocks: QuerySet[Block], **kwargs: Any
    ) -> None:
        """`blocks`: `selectors.enrolment_blocks(campaign)`, those under its authority."""
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["subtree"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["block"].queryset = blocks  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [name for name in ("units", "subtree", "block") if data.get(name)]
        if len(chosen) != 1:
            raise ValidationError(
                _("Chọn đúng một cách: từng đơn vị, một cây đơn vị, hoặc một khối.")
            )
        data["mode"] = chosen[0]
        return data


class ReopenForm(forms.Form):
    until = forms.DateField(
        label=_("Mở lại đến ngày"),
        widget=DateInput(),
        help_text=_(
            "Riêng đơn vị này được nộp đến hết ngày này; các đơn vị khác giữ hạn chung. Nộp "
            "trong hạn mới vẫn tính là đúng hạn."
        ),
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.ModelForm):
    file = SizedFileField(label=_("Tệp (PDF, Word, Excel, ODF)"))

    class Meta:
        model = CampaignAttachment
        fields = ["kind", "title"]


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = [
            "kind",
            "held_at",
            "venue",
            "chair",
            "attending_units",
            "attendees",
            "agenda",
            "minutes",
        ]
        formfield_callback = id_formfield
        widgets = {
            "held_at": DateTimeInput(),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "attending_units": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {"attending_units": MULTIPLE_CHOICE_HELP}

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attending_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["held_at"].input_formats = ["%Y-%m-%dT%H:%M"]  # type: ignore[attr-defined]

    def clean_held_at(self) -> datetime.datetime:
        """A year the database's time zone conversion can hold (0001-01-01 in UTC+7 cannot)."""
        held_at = self.cleaned_data["held_at"]
        if held_at is not None and not 1900 <= held_at.year <= 2999:
            raise ValidationError(_("Ngày giờ họp không hợp lệ."), code="out_of_range")
        return held_at


class ConferenceFileForm(forms.ModelForm):
    file = SizedFileField(label=_("Tệp (tài liệu hoặc ảnh)"))

    class Meta:
        model = ConferenceFile
        fields = ["kind", "title"]


class RegistrationForm(forms.Form):
    targets = forms.CharField(
        label=_("Nội dung, chỉ tiêu đăng ký thi đua"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Các chỉ tiêu đơn vị cam kết và danh hiệu đăng ký, mỗi chỉ tiêu một dòng."),
    )
    file = SizedFileField(label=_("Bản đăng ký có chữ ký (không bắt buộc)"), required=False)


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Chấp nhận")), ("0", _("Trả lại"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Lý do trả lại"), required=False)


# Council -----------------------------------------------------------------------------------------

EFFECTIVE_HELP = _(
    "Để trống: áp dụng cho mọi phiên họp chưa biểu quyết. Ghi ngày nếu thay đổi chỉ có hiệu lực "
    "từ ngày đó (các phiên họp trước ngày đó giữ Hội đồng cũ)."
)


class PersonChoiceField(IdChoiceField):
    """An account shown by its full name (the login name only when it has none)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


SEAT_ROLE_HELP = _(
    "Một Hội đồng có một Chủ tịch và một Thư ký; Phó Chủ tịch và Ủy viên bao nhiêu cũng "
    "được. Thư ký ghi ý kiến của thành viên vắng mặt và kết thúc phiên họp."
)


class CouncilEffectiveForm(forms.Form):
    on = forms.DateField(
        label=_("Có hiệu lực từ ngày"), required=False, widget=DateInput(), help_text=EFFECTIVE_HELP
    )


class CouncilSeatForm(CouncilEffectiveForm):
    user = PersonChoiceField(
        label=_("Người"),
        queryset=Unit.objects.none(),
        help_text=_(
            "Tài khoản của các đơn vị thuộc cơ quan phát động. Chưa có thì tạo ở Danh mục → "
            "Người dùng."
        ),
    )
    role = forms.ChoiceField(
        label=_("Chức danh"),
        choices=CouncilSeat.Role.choices,
        initial=CouncilSeat.Role.MEMBER,
        help_text=SEAT_ROLE_HELP,
    )
    field_order = ["user", "role", "on"]

    def __init__(self, *args: Any, candidates: QuerySet[Any], **kwargs: Any) -> None:
        """`candidates`: `selectors.council_candidates(campaign)`, as the service checks."""
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


class CouncilRoleForm(CouncilEffectiveForm):
    role = forms.ChoiceField(
        label=_("Chức danh mới"), choices=CouncilSeat.Role.choices, help_text=SEAT_ROLE_HELP
    )
    field_order = ["role", "on"]


class CouncilCopyForm(forms.Form):
    source = IdChoiceField(
        label=_("Sao chép Hội đồng của phong trào"),
        queryset=Campaign.objects.none(),
        help_text=_("Một phong trào khác của cùng cơ quan phát động: thành viên và chức danh."),
    )

    def __init__(self, *args: Any, sources: QuerySet[Campaign], **kwargs: Any) -> None:
        """`sources`: `selectors.council_sources(campaign)`, as the service checks."""
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
