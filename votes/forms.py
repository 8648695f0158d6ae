"""Forms for the council pages: each validates input for one votes service."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.forms import PersonChoiceField, SizedFileField
from campaigns.models import Campaign
from core.forms import IdChoiceField
from core.uploads import check_upload
from units.models import AuthoritySigner, Block, Unit

from .models import (
    Award,
    Choice,
    CouncilSession,
    Designation,
    Nomination,
    ProposalRound,
    ProposalStatus,
    RecipientKind,
)
from .selectors import awards_for, awards_on


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Ngày họp"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Ngày họp quyết định những ai là thành viên Hội đồng của phiên họp (các ghế có hiệu "
            "lực ngày này) và là ngày ghi trên biên bản."
        ),
    )
    starts_at = forms.TimeField(
        label=_("Giờ họp"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label=_("Địa điểm họp"), max_length=255, required=False)
    place_name = forms.CharField(
        label=_("Địa danh ghi trên văn bản"),
        max_length=120,
        required=False,
        help_text=_(
            "Địa danh ở dòng ngày tháng của văn bản, ví dụ “Kiên Lương”. Để trống: lấy theo hồ "
            "sơ cơ quan."
        ),
    )
    considers_awards = forms.BooleanField(
        label=_("Xét khen thưởng"),
        required=False,
        initial=True,
        help_text=_(
            "Phiên họp xét khen thưởng theo tỷ lệ có mặt quy định cho xét khen thưởng; bỏ chọn "
            "nếu phiên họp không biểu quyết khen thưởng."
        ),
    )


RECIPIENT_HELP = _(
    "Tập thể: chính đơn vị. Cá nhân, hộ gia đình: ghi họ tên (chủ hộ) và chức vụ; đơn vị là nơi "
    "người đó công tác hoặc cư trú."
)


class NominationForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Đối tượng"), choices=RecipientKind.choices, help_text=RECIPIENT_HELP
    )
    enrolment = IdChoiceField(label=_("Đơn vị"), queryset=None)
    person_name = forms.CharField(label=_("Họ tên cá nhân, chủ hộ"), max_length=160, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=160, required=False)
    address = forms.CharField(
        label=_("Địa chỉ (nơi cư trú)"),
        max_length=255,
        required=False,
        help_text=_("Của hộ gia đình: ghi ở báo cáo thành tích."),
    )
    award = IdChoiceField(
        label=_("Danh hiệu, hình thức"),
        queryset=Award.objects.all(),
        help_text=_(
            "Tiền thưởng = hệ số của hình thức × mức lương cơ sở áp dụng ngày quyết định, làm "
            "tròn lên hàng chục nghìn đồng."
        ),
    )
    achievements = forms.CharField(
        label=_("Thành tích"),
        required=False,
        widget=forms.Textarea,
        help_text=_("In vào báo cáo thành tích kèm tờ trình."),
    )
    condition_reason = forms.CharField(
        label=_("Lý do xét khi chưa đạt điều kiện"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Chỉ cần khi sổ khen thưởng cho thấy đối tượng chưa đạt điều kiện của danh hiệu "
            "(ví dụ chưa có danh hiệu bắt buộc cùng năm): Hội đồng vẫn xét, lý do được ghi lại."
        ),
    )

    def __init__(
        self,
        *args: object,
        campaign: Campaign,
        day: datetime.date | None = None,
        **kwargs: object,
    ) -> None:
        """`day`: offer only the awards the catalogue has a term for on the session's date (a
        posted award outside it is refused by the service, with its reason)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["enrolment"].queryset = campaign.enrolments.select_related("unit")  # type: ignore[attr-defined]
        self.fields["enrolment"].label_from_instance = lambda e: e.unit.name  # type: ignore[attr-defined]
        awards = awards_for(campaign)
        if day is not None:
            awards = awards.filter(pk__in=awards_on(day))
        self.fields["award"].queryset = awards  # type: ignore[attr-defined]


class DesignationForm(forms.Form):
    """Điển hình tiên tiến chosen by the council, with its reason."""

    recipient_kind = forms.ChoiceField(
        label=_("Đối tượng"), choices=RecipientKind.choices, help_text=RECIPIENT_HELP
    )
    enrolment = IdChoiceField(label=_("Đơn vị"), queryset=None)
    person_name = forms.CharField(label=_("Họ tên cá nhân, chủ hộ"), max_length=160, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=160, required=False)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, campaign: Campaign, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["enrolment"].queryset = campaign.enrolments.select_related("unit")  # type: ignore[attr-defined]
        self.fields["enrolment"].label_from_instance = lambda e: e.unit.name  # type: ignore[attr-defined]


class UndesignateForm(forms.Form):
    designation = IdChoiceField(label=_("Điển hình"), queryset=Designation.objects.none())

    def __init__(self, *args: object, session: CouncilSession, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["designation"].queryset = session.designations.all()  # type: ignore[attr-defined]


class QuotaForm(forms.Form):
    """The campaign's quota of nominations for one cụm/khối; an empty limit removes it."""

    block = IdChoiceField(label=_("Cụm, khối"), queryset=Block.objects.none())
    award = IdChoiceField(
        label=_("Danh hiệu, hình thức"),
        queryset=Award.objects.all(),
        required=False,
        empty_label=_("Mọi danh hiệu, hình thức"),
        help_text=_("Để trống: chỉ tiêu chung cho mọi danh hiệu, hình thức."),
    )
    limit = forms.IntegerField(
        label=_("Số đề nghị tối đa"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_(
            "Số đề nghị tối đa của khối; đề nghị không được thông qua không tính. Để trống để "
            "bỏ chỉ tiêu."
        ),
    )
    source = forms.CharField(
        label=_("Căn cứ"),
        required=False,
        help_text=_("Văn bản giao chỉ tiêu (số, ngày, cơ quan ban hành)."),
    )

    def __init__(self, *args: object, campaign: Campaign, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        blocks = Block.objects.filter(enrolments__campaign=campaign).distinct()
        self.fields["block"].queryset = blocks  # type: ignore[attr-defined]
        self.fields["award"].queryset = awards_for(campaign)  # type: ignore[attr-defined]


class PrefillForm(forms.Form):
    award = IdChoiceField(label=_("Danh hiệu, hình thức"), queryset=Award.objects.all())

    def __init__(
        self,
        *args: object,
        campaign: Campaign,
        day: datetime.date | None = None,
        **kwargs: object,
    ) -> None:
        """Only awards for a collective of a level that exists on the campaign's dates
        (`awards_for`) and, given the session's `day`, with a term in force on it."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        awards = awards_for(campaign).filter(for_collective=True)
        if day is not None:
            awards = awards.filter(pk__in=awards_on(day))
        self.fields["award"].queryset = awards  # type: ignore[attr-defined]


class BallotForm(forms.Form):
    nomination = IdChoiceField(label=_("Đề nghị"), queryset=Nomination.objects.none())
    choice = forms.ChoiceField(label=_("Biểu quyết"), choices=Choice.choices)

    def __init__(self, *args: object, session: CouncilSession, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["nomination"].queryset = session.nominations.all()  # type: ignore[attr-defined]


class WrittenBallotForm(BallotForm):
    """The secretary records the written vote of a member of this session."""

    member = PersonChoiceField(
        label=_("Thành viên vắng mặt"),
        queryset=User.objects.none(),
        help_text=_(
            "Thành viên vắng mặt gửi ý kiến bằng văn bản; Thư ký ghi lại đúng như văn bản."
        ),
    )

    def __init__(self, *args: object, session: CouncilSession, **kwargs: object) -> None:
        super().__init__(*args, session=session, **kwargs)
        members = User.objects.filter(pk__in=session.attendance.values("user_id"))
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Ngày quyết định"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tiền thưởng tính theo mức lương cơ sở áp dụng ngày này (mặc định: ngày họp)."),
    )
    missing_accepted = forms.BooleanField(label=_("Kết thúc dù còn phiếu chưa bỏ"), required=False)

    def __init__(self, *args: object, missing: bool = True, **kwargs: object) -> None:
        """`missing`: whether a member present has not voted on everything; if not, there is
        nothing to accept and no tick box."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not missing:
            del self.fields["missing_accepted"]


class IssueForm(forms.Form):
    """Ban hành quyết định: the signer, from the authority's profile; the number comes from its
    register."""

    signer = IdChoiceField(
        label=_("Người ký"),
        queryset=AuthoritySigner.objects.none(),
        help_text=_(
            "Cấp phó ký thay: quyết định ghi “KT. CHỦ TỊCH / PHÓ CHỦ TỊCH”. Số quyết định do "
            "sổ đăng ký văn bản cấp theo năm của ngày quyết định, không sửa được."
        ),
    )

    def __init__(self, *args: object, campaign: Campaign, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        signers = AuthoritySigner.objects.filter(profile__authority_id=campaign.authority_id)
        self.fields["signer"].queryset = signers.select_related("profile")  # type: ignore[attr-defined]
        self.fields["signer"].label_from_instance = str  # type: ignore[attr-defined]


MULTIPLE_HELP = _(
    "Tiền thưởng = hệ số × mức lương cơ sở. Để trống nếu hình thức này không tặng cho đối tượng "
    "này."
)
VERIFIED_HELP = _(
    "Chỉ chọn khi đã đọc chính văn bản gốc (văn bản có chữ ký, Công báo), không phải bản tóm tắt."
)
SOURCE_HELP = _(
    "Văn bản, điều, khoản nêu số liệu (ví dụ: Nghị định 73/2024/NĐ-CP Điều 3 khoản 2), và nơi đã "
    "đọc nếu không phải văn bản gốc."
)


class AwardNumbersForm(forms.Form):
    """An award's threshold and reward multiples, with the source of what changes
    (`votes.services.award_term_update` requires it and says so beside the field)."""

    threshold_percent = forms.IntegerField(
        label=_("Tỷ lệ đồng ý (% tổng số thành viên)"),
        min_value=1,
        max_value=100,
        help_text=_(
            "Phần trăm trên tổng số thành viên Hội đồng, không phải trên số có mặt. Bỏ phiếu "
            "kín: thông qua khi số phiếu đồng ý đạt tỷ lệ này trở lên; biểu quyết công khai: "
            "khi vượt tỷ lệ này."
        ),
    )
    multiple_collective = forms.DecimalField(
        label=_("Hệ số thưởng tập thể"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=MULTIPLE_HELP,
    )
    multiple_individual = forms.DecimalField(
        label=_("Hệ số thưởng cá nhân"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=MULTIPLE_HELP,
    )
    multiple_household = forms.DecimalField(
        label=_("Hệ số thưởng hộ gia đình"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=MULTIPLE_HELP,
    )
    source = forms.CharField(label=_("Căn cứ"), required=False, help_text=SOURCE_HELP)
    verified = forms.BooleanField(
        label=_("Đã đối chiếu với văn bản gốc"), required=False, help_text=VERIFIED_HELP
    )


class AwardTermStartForm(forms.Form):
    """A new period of an award from a date (`votes.services.award_term_start`)."""

    valid_from = forms.DateField(
        label=_("Áp dụng từ ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    texts = forms.CharField(
        label=_("Văn bản áp dụng"),
        max_length=160,
        required=False,
        help_text=_("Ví dụ: Luật TĐKT 06/2022, Nghị định mới thay Nghị định 152/2025/NĐ-CP."),
    )
    source = forms.CharField(label=_("Căn cứ"), required=False, help_text=SOURCE_HELP)


class BaseSalaryForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Mức này áp dụng từ ngày này đến trước ngày của mức tiếp theo; tiền thưởng dùng mức "
            "áp dụng vào ngày quyết định."
        ),
    )
    amount = forms.IntegerField(
        label=_("Mức lương cơ sở (đồng/tháng)"),
        min_value=1,
        help_text=_("Số đồng một tháng, chỉ gõ chữ số (không dấu chấm, dấu phẩy)."),
    )
    source = forms.CharField(label=_("Căn cứ"), required=False, help_text=SOURCE_HELP)
    verified = forms.BooleanField(
        label=_("Đã đối chiếu với văn bản gốc"), required=False, help_text=VERIFIED_HELP
    )


class ProvinceRatioForm(forms.Form):
    """The province's own ratio for an award from a date, with its regulation
    (`votes.services.province_ratio_set`)."""

    award = IdChoiceField(
        label=_("Danh hiệu, hình thức"),
        queryset=Award.objects.all(),
        help_text=_(
            "Danh hiệu, hình thức do tỉnh hoặc cấp dưới quyết định; tỷ lệ của danh hiệu Anh hùng "
            "và cấp nhà nước do văn bản trung ương quy định."
        ),
    )
    valid_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Phiên họp từ ngày này áp dụng tỷ lệ của tỉnh; tỷ lệ đang áp dụng trước đó kết thúc "
            "vào ngày hôm trước."
        ),
    )
    valid_to = forms.DateField(
        label=_("Áp dụng đến hết ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Để trống nếu quy định còn hiệu lực."),
    )
    rule = forms.ChoiceField(
        label=_("Cách xét"),
        choices=Award.Rule.choices,
        help_text=_(
            "Bỏ phiếu kín: thông qua khi số phiếu đồng ý đạt tỷ lệ trở lên; biểu quyết: khi vượt "
            "tỷ lệ."
        ),
    )
    threshold_percent = forms.IntegerField(
        label=_("Tỷ lệ đồng ý (% tổng số thành viên)"),
        min_value=1,
        max_value=100,
        help_text=_("Phần trăm trên tổng số thành viên Hội đồng, không phải trên số có mặt."),
    )
    source = forms.CharField(
        label=_("Căn cứ"),
        required=False,
        max_length=255,
        help_text=_(
            "Số văn bản của tỉnh (quy chế, quy định thi đua, khen thưởng), điều, khoản; ví dụ: "
            "Quyết định 12/2025/QĐ-UBND Điều 9 khoản 2."
        ),
    )
    verified = forms.BooleanField(
        label=_("Đã đối chiếu với văn bản gốc"), required=False, help_text=VERIFIED_HELP
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data


class LedgerImportForm(forms.Form):
    """Past awards from an .xlsx `awards` sheet into an authority's ledger."""

    authority = IdChoiceField(
        label=_("Cơ quan quyết định"),
        queryset=Unit.objects.none(),
        help_text=_(
            "Cơ quan đã ban hành các quyết định trong tệp; mọi đơn vị trong tệp phải thuộc cơ "
            "quan này."
        ),
    )
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) có trang tính “awards”"),
        help_text=_(
            "Các cột: recipient_kind, unit_code, person_name, award_code, year, "
            "decision_number, decision_date, signer; dòng 1 là tên cột."
        ),
    )

    def __init__(self, *args: object, authorities: QuerySet[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]

    def clean_file(self) -> UploadedFile:
        """Refuse, before reading it, a file that is too large or is not an .xlsx by content."""
        upload = self.cleaned_data["file"]
        check_upload(upload, {"xlsx": "xlsx"})
        return upload


# Proposals to the province ------------------------------------------------------------------------


class ProposalRoundForm(forms.Form):
    """Đợt xét khen thưởng of one of the provinces the officer works for."""

    authority = IdChoiceField(label=_("Cấp tỉnh"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên đợt xét"), max_length=200)
    deadline = forms.DateField(
        label=_("Hạn nộp hồ sơ (hết ngày)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Hồ sơ gửi sau ngày này vẫn được nhận, được đánh dấu nộp muộn."),
    )

    def __init__(self, *args: object, provinces: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["authority"].queryset = provinces  # type: ignore[attr-defined]
        if len(provinces) == 1:
            self.fields["authority"].initial = provinces[0].pk


class ProposalFilterForm(forms.Form):
    """The inbox's filters: the round and the status."""

    round = IdChoiceField(label=_("Đợt xét"), queryset=ProposalRound.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả"))] + list(ProposalStatus.choices),
        required=False,
    )

    def __init__(self, *args: object, rounds: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class ProposalCreateForm(forms.Form):
    """Lập hồ sơ đề nghị from a closed session: its round, if the province opened some."""

    round = IdChoiceField(
        label=_("Đợt xét"),
        queryset=ProposalRound.objects.none(),
        required=False,
        help_text=_("Để trống: đợt có hạn nộp gần nhất khi gửi."),
    )

    def __init__(self, *args: object, rounds: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class ProposalSendForm(ProposalCreateForm):
    """Gửi hồ sơ: the round it is sent in (kept if already chosen)."""


class ProposalReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Xã nhận thông báo kèm lý do, sửa hồ sơ và gửi lại."),
    )


class ProposalScheduleForm(forms.Form):
    session = IdChoiceField(
        label=_("Phiên họp Hội đồng cấp tỉnh"),
        queryset=CouncilSession.objects.none(),
        help_text=_("Các đề nghị của hồ sơ được đưa vào phiên họp để Hội đồng biểu quyết."),
    )

    def __init__(self, *args: object, sessions: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.held_on:%d/%m/%Y} — {s.campaign.title}"
        )


class ProposalFileForm(forms.Form):
    """An edited version of one document of the file."""

    document = forms.ChoiceField(label=_("Văn bản"), choices=[])
    file = SizedFileField(label=_("Tệp đã sửa (Word, Excel, PDF)"))

    def __init__(self, *args: object, documents: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["document"].choices = documents  # type: ignore[attr-defined]
