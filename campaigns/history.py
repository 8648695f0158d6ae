"""The campaign's history in Vietnamese sentences: what happened, with old and new values in words
(status names, unit and block names, dates as 08/08/2019), never the codes the events store."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from units.models import Block, Unit

from .models import (
    Campaign,
    CampaignEvent,
    CampaignStatus,
    Conference,
    ConferenceKind,
    CouncilSeat,
    Criterion,
    CriterionKind,
    Registration,
)

# Run states written by the scoring layer (above this one), in words.
RUN_STATES = {
    "queued": _lazy("đang chờ"),
    "running": _lazy("đang tính"),
    "succeeded": _lazy("hoàn tất"),
    "failed": _lazy("lỗi"),
}
# Council actions written by the votes layer: what each one did.
SESSION_ACTIONS = {
    "session_create": _lazy("mở phiên họp, túc số %(new)s"),
    "attendance_set": _lazy("ghi nhận %(subject)s: %(new)s"),
    "nomination_add": _lazy("đề nghị %(subject)s: %(new)s"),
    "designation_add": _lazy("chọn điển hình tiên tiến %(subject)s: %(new)s"),
    "designation_remove": _lazy("bỏ điển hình tiên tiến %(subject)s"),
    "voting_open": _lazy("mở biểu quyết, có mặt %(new)s thành viên"),
    "session_close": _lazy("đóng phiên họp, %(new)s đề nghị được thông qua"),
    "written_vote": _lazy("ghi nhận ý kiến bằng văn bản %(subject)s"),
}


@dataclass
class HistoryLine:
    event: CampaignEvent
    sentence: str


def _quoted(text: object) -> str:
    return f"“{text}”"


class _Names:
    """Unit and block names for the codes of a page of events: two queries, whatever its size."""

    def __init__(self, events: list[CampaignEvent]) -> None:
        codes: set[str] = set()
        for event in events:
            codes.update({event.subject, event.old_value})
            codes.update(code.strip() for code in event.new_value.split(","))
        codes.discard("")
        self.units = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
        self.blocks = dict(Block.objects.filter(code__in=codes).values_list("code", "name"))

    def unit(self, code: str) -> str:
        return self.units.get(code, code)

    def units_of(self, codes: str) -> str:
        return ", ".join(self.unit(code.strip()) for code in codes.split(",") if code.strip())

    def block(self, code: str) -> str:
        return self.blocks.get(code, code) if code else str(_("không thuộc khối"))


def _choice_label(field: str, raw: str) -> str | None:
    """The words of a setting stored as one of its field's choices ("2" → its label)."""
    try:
        choices = Campaign._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return None
    return next((str(label) for value, label in choices if str(value) == raw), None)


def _value(field: str, raw: str) -> str:
    """A stored setting or date in words: 30/11/2019, 90, 0,5, a choice's label."""
    if not raw:
        return str(_("(trống)"))
    label = _choice_label(field, raw) if field else None
    if label is not None:
        return label
    try:
        return formats.date_format(datetime.date.fromisoformat(raw), "SHORT_DATE_FORMAT")
    except ValueError:
        pass
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return raw
    places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(number, decimal_pos=places, use_l10n=True)


def _field_label(name: str) -> str:
    try:
        return str(Campaign._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _status(code: str) -> str:
    return str(CampaignStatus(code).label) if code in CampaignStatus.values else code


def _registration(event: CampaignEvent, names: _Names) -> str:
    unit = names.unit(event.subject)
    if event.new_value == Registration.Status.SENT:
        return _("%(unit)s gửi đăng ký thi đua.") % {"unit": unit}
    if event.new_value == Registration.Status.ACCEPTED:
        return _("chấp nhận đăng ký thi đua của %(unit)s.") % {"unit": unit}
    if event.new_value == Registration.Status.RETURNED:
        return _("trả lại đăng ký thi đua của %(unit)s.") % {"unit": unit}
    return _("cập nhật đăng ký thi đua của %(unit)s.") % {"unit": unit}


def _role(code: str) -> str:
    return str(CouncilSeat.Role(code).label) if code in CouncilSeat.Role.values else code


def _council(event: CampaignEvent) -> str:
    name, old, new = event.subject, _quoted(_role(event.old_value)), _quoted(_role(event.new_value))
    if event.action == "council_seat_add":
        return _("xếp %(name)s vào Hội đồng, chức danh %(new)s.") % {"name": name, "new": new}
    if event.action == "council_seat_role":
        return _("đổi chức danh của %(name)s trong Hội đồng từ %(old)s thành %(new)s.") % {
            "name": name,
            "old": old,
            "new": new,
        }
    return _("bỏ %(name)s (%(old)s) khỏi Hội đồng.") % {"name": name, "old": old}


def _calendar(old: str, new: str, subject: str) -> str:
    """A move the window's dates made ("calendar:<opens>:<closes>", the dates it followed)."""
    _calendar_tag, opens, closes = subject.split(":")
    window = {"opens": _value("", opens), "closes": _value("", closes)}
    if new == CampaignStatus.WINDOW_OPEN:
        return _("mở tự chấm điểm theo lịch, từ %(opens)s đến hết ngày %(closes)s.") % window
    if old == CampaignStatus.LAUNCHED:
        return (
            _(
                "đóng tự chấm điểm theo lịch: thời gian tự chấm điểm (%(opens)s–%(closes)s) đã qua "
                "trước khi phong trào được phát động hoặc nhập vào cổng."
            )
            % window
        )
    return _("đóng tự chấm điểm theo lịch: hết hạn ngày %(closes)s.") % window


def _conference(subject: str) -> str:
    """A conference as a line names it ("midterm:2026-05-12"): its kind and day in words."""
    kind, _colon, day = subject.partition(":")
    label = ConferenceKind(kind).label if kind in ConferenceKind.values else kind
    return _("%(kind)s ngày %(day)s") % {"kind": label, "day": _value("", day)}


def _verbose(model: type[Conference] | type[Criterion], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _criterion_value(field: str, raw: str) -> str:
    if field == "kind" and raw in CriterionKind.values:
        return str(CriterionKind(raw).label)
    if raw in ("True", "False"):
        return str(_("Có") if raw == "True" else _("Không"))
    return _value("", raw)


def _documents(event: CampaignEvent) -> str | None:
    """The lines of attachments, conferences and criteria; None for any other action."""
    action, old, new, subject = event.action, event.old_value, event.new_value, event.subject
    if action == "attachment_add":
        return _("đính kèm văn bản %(title)s (tệp %(file)s).") % {
            "title": _quoted(subject),
            "file": new,
        }
    if action == "conference_add":
        return _("ghi %(conference)s.") % {"conference": _conference(subject)}
    if action == "conference_update":
        fields = ", ".join(_verbose(Conference, name) for name in new.split(",") if name)
        return _("sửa %(conference)s: %(fields)s.") % {
            "conference": _conference(subject),
            "fields": fields,
        }
    if action == "conference_file_add":
        return _("tải tệp %(file)s lên %(conference)s.") % {
            "file": new,
            "conference": _conference(subject),
        }
    if action == "criterion_add":
        return _("thêm tiêu chí %(code)s %(title)s.") % {"code": subject, "title": _quoted(new)}
    if action == "criterion_update":
        code, _colon, field = subject.rpartition(":")
        return _("đổi %(field)s của tiêu chí %(code)s từ %(old)s thành %(new)s.") % {
            "field": _verbose(Criterion, field),
            "code": code,
            "old": _quoted(_criterion_value(field, old)),
            "new": _quoted(_criterion_value(field, new)),
        }
    if action == "criterion_delete":
        return _("xóa tiêu chí %(code)s %(title)s.") % {"code": subject, "title": _quoted(old)}
    if action == "checklist_use":
        return _("sao chép bộ tiêu chí %(name)s.") % {"name": _quoted(new)}
    return None


def sentence(event: CampaignEvent, names: _Names) -> str:  # noqa: C901 - one branch per action
    """One event as a sentence whose subject is the actor (shown before it)."""
    action, old, new, subject = event.action, event.old_value, event.new_value, event.subject
    if action == "create":
        return _("tạo phong trào.")
    if action == "status" and subject.startswith("calendar:"):
        return _calendar(old, new, subject)
    if action == "status":
        if old:
            return _("chuyển phong trào từ %(old)s sang %(new)s.") % {
                "old": _quoted(_status(old)),
                "new": _quoted(_status(new)),
            }
        return _("chuyển phong trào sang %(new)s.") % {"new": _quoted(_status(new))}
    if action == "update":
        return _("đổi %(field)s từ %(old)s thành %(new)s.") % {
            "field": _field_label(subject),
            "old": _quoted(_value(subject, old)),
            "new": _quoted(_value(subject, new)),
        }
    if action == "enrol":
        units = names.units_of(new)
        count = len([code for code in new.split(",") if code.strip()])
        if subject:
            return _("thêm %(n)s đơn vị của khối %(block)s: %(units)s.") % {
                "n": count,
                "block": _quoted(names.block(subject)),
                "units": units,
            }
        return _("thêm %(n)s đơn vị tham gia: %(units)s.") % {"n": count, "units": units}
    if action == "unenrol":
        return _("bỏ %(unit)s khỏi phong trào.") % {"unit": names.unit(old)}
    if action == "reopen":
        text = _("mở lại tự chấm điểm cho %(unit)s đến hết ngày %(day)s") % {
            "unit": names.unit(subject),
            "day": _value("", new),
        }
        if old:
            text += _(" (trước đó đến %(day)s)") % {"day": _value("", old)}
        return text + "."
    if action == "registration":
        return _registration(event, names)
    if action == "block":
        return _("chuyển %(unit)s từ khối %(old)s sang khối %(new)s.") % {
            "unit": names.unit(subject),
            "old": _quoted(names.block(old)),
            "new": _quoted(names.block(new)),
        }
    if action == "scores_repaired":
        return _(
            "tính lại %(n)s điểm theo tiêu chí đã lưu cho khớp với bảng điểm (ghi điểm ngoài "
            "cổng thông tin)."
        ) % {"n": new}
    if action == "checklist_version":
        return _("tạo bộ tiêu chí phiên bản %(n)s.") % {"n": new}
    if action == "checklist_import":
        return _("nhập bộ tiêu chí từ tệp Excel (%(n)s tiêu chí).") % {"n": new}
    if action == "scoring_run":
        if subject == "provisional":
            return _("bắt đầu lần tính điểm thứ %(n)s (tạm tính: thẩm định chưa xong).") % {
                "n": new
            }
        return _("bắt đầu lần tính điểm thứ %(n)s.") % {"n": new}
    if action == "publish":
        return _("công bố kết quả lần tính điểm thứ %(n)s.") % {"n": new}
    if action == "scoring_cancel":
        return _("hủy lần tính điểm thứ %(n)s (đang %(old)s).") % {
            "n": subject,
            "old": RUN_STATES.get(old, old),
        }
    if action == "quota_set":
        return _("đặt số lượng khen thưởng %(subject)s: %(n)s.") % {"subject": subject, "n": new}
    if action == "quota_remove":
        return _("bỏ giới hạn số lượng khen thưởng %(subject)s.") % {"subject": subject}
    if action.startswith("council_seat_"):
        return _council(event)
    if action in SESSION_ACTIONS:
        return str(SESSION_ACTIONS[action] % {"subject": subject, "new": new}) + "."
    documents = _documents(event)
    if documents is not None:
        return documents
    return _("thay đổi %(subject)s: %(old)s → %(new)s.") % {
        "subject": subject or _("phong trào"),
        "old": old or "—",
        "new": new or "—",
    }


def history_lines(events: Iterable[CampaignEvent]) -> list[HistoryLine]:
    events = list(events)
    names = _Names(events)
    return [HistoryLine(event=event, sentence=sentence(event, names)) for event in events]
