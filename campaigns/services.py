"""Writes to campaigns. Each transition checks who may make it and when, and is recorded."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.history import history_record
from core.uploads import DOCUMENT_TYPES, EVIDENCE_TYPES, IMAGE_TYPES, check_upload
from notifications.services import notify
from units.models import Block, Unit
from units.roles import Role, role_group
from units.selectors import blocks_within, unit_heads, unit_subtree

from .calendar import CALENDAR_SUBJECT as CALENDAR_SUBJECT
from .calendar import campaign_window_advance as campaign_window_advance
from .calendar import campaigns_advance_windows as campaigns_advance_windows
from .models import (
    CLASSIFICATION_RULES,
    Campaign,
    CampaignAttachment,
    CampaignEvent,
    CampaignStatus,
    Checklist,
    Conference,
    ConferenceFile,
    CouncilSeat,
    Criterion,
    CriterionKind,
    Enrolment,
    FrozenChecklistError,
    Registration,
)
from .rules import registration_is_open
from .selectors import checklist_sources, council_candidates

CAMPAIGN_FIELDS = (
    "title",
    "description",
    "starts_on",
    "ends_on",
    "window_opens_on",
    "window_closes_on",
    "score_step",
    *CLASSIFICATION_RULES,
    "exemplary_per_block",
    "review_stages",
)
# The transitions a manager makes by hand: from which states each may start.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "open_window": (
        (CampaignStatus.LAUNCHED, CampaignStatus.WINDOW_CLOSED),
        CampaignStatus.WINDOW_OPEN,
    ),
    "close_window": ((CampaignStatus.WINDOW_OPEN,), CampaignStatus.WINDOW_CLOSED),
    "start_review": ((CampaignStatus.WINDOW_CLOSED,), CampaignStatus.UNDER_REVIEW),
    "close": ((CampaignStatus.PUBLISHED,), CampaignStatus.CLOSED),
}

# Why a step is refused when the campaign is not where the step may start: the next thing to do.
TRANSITION_REFUSALS: dict[str, Any] = {
    "close_window": _lazy("Chỉ đóng tự chấm điểm khi đang trong thời gian tự chấm điểm."),
    "start_review": _lazy("Chỉ bắt đầu thẩm định sau khi đã đóng tự chấm điểm."),
    "close": _lazy(
        "Chỉ kết thúc phong trào sau khi đã công bố kết quả: hãy tính điểm và công bố trước."
    ),
}


def require_manager(actor: User | None, campaign: Campaign) -> None:
    """Only a campaign manager of the campaign's authority (or a unit above it) may act."""
    if actor is None:  # management commands and beat act as the system
        return
    if not actor.has_perm("campaigns.manage_campaign", campaign):
        raise PermissionDenied(
            _("Bạn không phụ trách phong trào “%(code)s”.") % {"code": campaign.code}
        )


def campaign_event_record(
    *,
    campaign: Campaign,
    actor: User | None,
    action: str,
    subject: str = "",
    old: object = "",
    new: object = "",
    reason: str = "",
) -> CampaignEvent:
    return history_record(
        CampaignEvent,
        campaign=campaign,
        actor=actor,
        action=action,
        subject=subject,
        old=old,
        new=new,
        reason=reason,
    )


def scores_touched(campaign_id: int) -> None:
    """Move the campaign's `scores_version`, in the caller's transaction: every write to what a
    scoring run reads calls it (scores, submissions and statuses, reopened windows, the window's
    close, enrolments and their blocks), once per write, after its other rows. A run records the
    version when it is planned and fails at its finish if the version moved."""
    Campaign.objects.filter(pk=campaign_id).update(scores_version=F("scores_version") + 1)


def _require_draft(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Phong trào đã phát động: không thể thay đổi nội dung này."))


@transaction.atomic
def campaign_create(
    *,
    actor: User | None,
    code: str,
    title: str,
    authority: Unit | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    window_opens_on: datetime.date,
    window_closes_on: datetime.date,
    template: Checklist | None = None,
    **settings: Any,
) -> Campaign:
    campaign = Campaign(
        code=code.strip(),
        title=title.strip(),
        authority=authority,
        starts_on=starts_on,
        ends_on=ends_on,
        window_opens_on=window_opens_on,
        window_closes_on=window_closes_on,
        created_by=actor,
        **settings,
    )
    campaign.full_clean()
    require_manager(actor, campaign)
    campaign.save()
    if template is not None:
        campaign.checklist = checklist_copy(source=template, campaign=campaign, name=title)
    else:
        campaign.checklist = Checklist.objects.create(name=title, campaign=campaign)
    campaign.save(update_fields=["checklist"])
    campaign_event_record(campaign=campaign, actor=actor, action="create", new=campaign.status)
    return campaign


# The campaign's settings a scoring run reads (`scoring.engine.inputs_for`): changing one moves
# the scores' version; a new title or description does not fail a run under way.
RUN_INPUT_FIELDS = {"window_closes_on", "exemplary_per_block", *CLASSIFICATION_RULES}


@transaction.atomic
def campaign_update(*, actor: User | None, campaign: Campaign, **fields: Any) -> Campaign:
    """Change title, dates or settings. Scoring settings and the window are fixed after launch."""
    require_manager(actor, campaign)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    fixed_after_launch = set(fields) - {"title", "description", "ends_on", "window_closes_on"}
    if campaign.status != CampaignStatus.DRAFT and any(
        getattr(campaign, name) != fields[name] for name in fixed_after_launch
    ):
        _require_draft(campaign)
    changes = {
        name: (getattr(campaign, name), value)
        for name, value in fields.items()
        if getattr(campaign, name) != value
    }
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    for name, (old, new) in changes.items():
        campaign_event_record(
            campaign=campaign, actor=actor, action="update", subject=name, old=old, new=new
        )
    if changes.keys() & RUN_INPUT_FIELDS:
        scores_touched(campaign.pk)  # e.g. the window's close decides who was on time
    campaign_window_advance(campaign=campaign)  # a window's close moved into the past closes it
    return campaign


def _set_status(
    *,
    campaign: Campaign,
    actor: User | None,
    new: str,
    allowed_from: Iterable[str],
    reason: str = "",
) -> Campaign:
    """Move the campaign on only if it is still in one of `allowed_from` (a conditional UPDATE)."""
    old = campaign.status
    changed = Campaign.objects.filter(pk=campaign.pk, status__in=list(allowed_from)).update(
        status=new
    )
    if not changed:
        campaign.refresh_from_db(fields=["status"])
        raise ValidationError(
            _("Không thể chuyển phong trào sang “%(new)s” khi đang ở trạng thái “%(old)s”."),
            params={"new": CampaignStatus(new).label, "old": campaign.get_status_display()},
            code="bad_transition",
        )
    campaign.status = new
    campaign_event_record(
        campaign=campaign, actor=actor, action="status", old=old, new=new, reason=reason
    )
    return campaign


@transaction.atomic
def campaign_launch(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Launch: needs a checklist with at least one scored criterion and one enrolled unit.

    The checklist is frozen in the same transaction.
    """
    require_manager(actor, campaign)
    _require_draft(campaign)
    checklist = campaign.checklist
    if (
        checklist is None
        or not checklist_leaves(checklist)
        .filter(kind__in=[CriterionKind.POINTS, CriterionKind.YES_NO], max_points__gt=0)
        .exists()
    ):
        raise ValidationError(
            _("Chưa thể phát động: bộ tiêu chí chưa có tiêu chí chấm điểm nào có điểm tối đa."),
            code="empty_checklist",
        )
    if not campaign.enrolments.exists():
        raise ValidationError(
            _("Chưa thể phát động: chưa có đơn vị nào tham gia."), code="no_units"
        )
    Checklist.objects.filter(pk=checklist.pk).update(frozen_at=timezone.now())
    campaign.launched_at = timezone.now()
    campaign.save(update_fields=["launched_at"])
    return _set_status(
        campaign=campaign,
        actor=actor,
        new=CampaignStatus.LAUNCHED,
        allowed_from=[CampaignStatus.DRAFT],
    )


@transaction.atomic
def campaign_transition(
    *, actor: User | None, campaign: Campaign, action: str, reason: str = ""
) -> Campaign:
    """open_window, close_window, start_review, close: the manager's buttons."""
    require_manager(actor, campaign)
    allowed_from, new = TRANSITIONS[action]
    ready = campaign.status in allowed_from  # else the refusal below says what comes first
    if action == "start_review" and ready and not campaign.council_seats.current().exists():  # type: ignore[attr-defined]
        raise ValidationError(
            _("Chưa thể bắt đầu thẩm định: Hội đồng thi đua khen thưởng chưa có thành viên nào."),
            code="empty_council",
        )
    try:
        return _set_status(
            campaign=campaign, actor=actor, new=new, allowed_from=allowed_from, reason=reason
        )
    except ValidationError:
        if action not in TRANSITION_REFUSALS:
            raise
        raise ValidationError(str(TRANSITION_REFUSALS[action]), code="bad_transition") from None


def campaign_set_status(
    *, actor: User | None, campaign: Campaign, new: str, allowed_from: Iterable[str]
) -> Campaign:
    """For the scoring layer: scored and published are reached by its own services."""
    require_manager(actor, campaign)
    return _set_status(campaign=campaign, actor=actor, new=new, allowed_from=allowed_from)


# Council ---------------------------------------------------------------------------------------


ONE_DAY = datetime.timedelta(days=1)
ONE_HOLDER_ROLES = (CouncilSeat.Role.CHAIR, CouncilSeat.Role.SECRETARY)


def _council_locked(campaign: Campaign) -> Campaign:
    """The campaign row, locked: one change of its council at a time (one chair, one secretary)."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _effective_on(campaign: Campaign, on: datetime.date | None) -> datetime.date | None:
    """The first day a change of the council applies: `on`, or (None) the day after the last
    session that voted, or (None) from the start when no session has voted yet. A day on or
    before a session that voted is refused: its seats are its record."""
    fixed = campaign.council_fixed_through
    if on is None:
        return fixed + ONE_DAY if fixed else None
    if fixed is not None and on <= fixed:
        raise ValidationError(
            _(
                "Hội đồng đã họp biểu quyết ngày %(day)s: thay đổi chỉ có hiệu lực từ ngày "
                "%(next)s trở đi."
            )
            % {"day": f"{fixed:%d/%m/%Y}", "next": f"{fixed + ONE_DAY:%d/%m/%Y}"},
            code="on",
        )
    return on


def _covers(on: datetime.date | None, seat: CouncilSeat) -> bool:
    """A change from `on` covers the whole seat: the seat never sat before that day."""
    return on is None or (seat.valid_from is not None and on <= seat.valid_from)


def _since(on: datetime.date | None) -> str:
    return _("có hiệu lực từ ngày %(day)s") % {"day": f"{on:%d/%m/%Y}"} if on else ""


def _require_candidate(campaign: Campaign, user: User) -> None:
    if not council_candidates(campaign).filter(pk=user.pk).exists():
        raise PermissionDenied(
            _("“%(name)s” không thuộc đơn vị nào của %(authority)s: không thể xếp vào Hội đồng.")
            % {
                "name": user.get_full_name() or user.username,
                "authority": campaign.authority.name if campaign.authority else "",
            }
        )


def _seat_change(
    *, actor: User | None, campaign: Campaign, user: User, role: str, on: datetime.date | None
) -> CouncilSeat:
    """Seat `user` in `role` from `on`, or change the role of their seat; no checks of the whole."""
    if role not in CouncilSeat.Role.values:
        raise ValidationError(_("Chức danh không hợp lệ."), code="role")
    seat = campaign.council_seats.filter(user=user, valid_to=None).first()
    name = user.get_full_name() or user.username
    if seat is None:
        seat = CouncilSeat.objects.create(campaign=campaign, user=user, role=role, valid_from=on)
        campaign_event_record(
            campaign=campaign,
            actor=actor,
            action="council_seat_add",
            subject=name,
            new=role,
            reason=_since(on),
        )
        return seat
    if seat.role == role:
        return seat
    old = seat.role
    if _covers(on, seat):
        seat.role = role
        seat.save(update_fields=["role"])
    else:
        assert on is not None  # noqa: S101 - _covers is True for None
        seat.valid_to = on - ONE_DAY
        seat.save(update_fields=["valid_to"])
        seat = CouncilSeat.objects.create(campaign=campaign, user=user, role=role, valid_from=on)
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="council_seat_role",
        subject=name,
        old=old,
        new=role,
        reason=_since(on),
    )
    return seat


def _council_check(campaign: Campaign) -> None:
    """At most one chair and one secretary on any day, and one seat per person on any day (a
    vice-chair may be several). Checked after the change, inside its transaction."""
    seats = list(campaign.council_seats.select_related("user").order_by("pk"))
    for i, seat in enumerate(seats):
        for other in seats[i + 1 :]:
            if not _overlap(seat, other):
                continue
            if seat.user_id == other.user_id:
                raise ValidationError(
                    _("“%(name)s” đã có chỗ trong Hội đồng trong thời gian này.")
                    % {"name": seat.name},
                    code="user",
                )
            if seat.role == other.role and seat.role in ONE_HOLDER_ROLES:
                raise ValidationError(
                    _(
                        "Hội đồng đã có %(role)s (%(name)s): hãy đổi chức danh hoặc bỏ người đó "
                        "trước."
                    )
                    % {"role": seat.get_role_display(), "name": seat.name},
                    code="role",
                )


def _overlap(a: CouncilSeat, b: CouncilSeat) -> bool:
    return _starts_before_end(a, b) and _starts_before_end(b, a)


def _starts_before_end(a: CouncilSeat, b: CouncilSeat) -> bool:
    """`a` starts no later than `b` ends (an empty date is the open end)."""
    return a.valid_from is None or b.valid_to is None or a.valid_from <= b.valid_to


@transaction.atomic
def council_seat_set(
    *,
    actor: User | None,
    campaign: Campaign,
    user: User,
    role: str = CouncilSeat.Role.MEMBER,
    on: datetime.date | None = None,
) -> CouncilSeat:
    """Seat an account of the authority on the campaign's council, or change its role, from
    `on` (see `_effective_on`); at most one chair and one secretary. Recorded."""
    require_manager(actor, campaign)
    campaign = _council_locked(campaign)
    _require_candidate(campaign, user)
    seat = _seat_change(
        actor=actor, campaign=campaign, user=user, role=role, on=_effective_on(campaign, on)
    )
    _council_check(campaign)
    return seat


@transaction.atomic
def council_seats_set(
    *, actor: User | None, campaign: Campaign, seats: list[tuple[User, str]]
) -> Counter[str]:
    """The bulk variant of `council_seat_set` (the workbook's `council` sheet): each account
    takes its role; the others keep theirs. Changes nothing when every seat is as given."""
    require_manager(actor, campaign)
    campaign = _council_locked(campaign)
    on = _effective_on(campaign, None)
    before = dict(campaign.council_seats.filter(valid_to=None).values_list("user_id", "role"))
    counts: Counter[str] = Counter()
    for user, role in seats:
        _require_candidate(campaign, user)
        if before.get(user.pk) == role:
            continue
        _seat_change(actor=actor, campaign=campaign, user=user, role=role, on=on)
        counts["created:council_seat" if user.pk not in before else "updated:council_seat"] += 1
    _council_check(campaign)
    return counts


@transaction.atomic
def council_seat_remove(
    *, actor: User | None, seat: CouncilSeat, on: datetime.date | None = None
) -> None:
    """The person leaves the council from `on`: the seat ends the day before (it is deleted when
    no session could have used it). Recorded."""
    require_manager(actor, seat.campaign)
    campaign = _council_locked(seat.campaign)
    seat = CouncilSeat.objects.select_related("user").get(pk=seat.pk)
    if seat.valid_to is not None:
        raise ValidationError(_("Người này đã rời Hội đồng."), code="seat")
    on = _effective_on(campaign, on)
    if _covers(on, seat):
        seat.delete()
    else:
        assert on is not None  # noqa: S101 - _covers is True for None
        seat.valid_to = on - ONE_DAY
        seat.save(update_fields=["valid_to"])
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="council_seat_remove",
        subject=seat.name,
        old=seat.role,
        reason=_since(on),
    )


@transaction.atomic
def council_copy(*, actor: User | None, campaign: Campaign, source: Campaign) -> Counter[str]:
    """Seat the council of another campaign of the same authority (as it stands) on this one:
    the per-authority council carried into a new campaign. Recorded seat by seat."""
    require_manager(actor, campaign)
    if source.pk == campaign.pk or source.authority_id != campaign.authority_id:
        raise ValidationError(
            _("Chỉ sao chép Hội đồng từ một phong trào khác của cùng cơ quan phát động."),
            code="source",
        )
    seats = source.council_seats.filter(valid_to=None).select_related("user").order_by("pk")
    if not seats:
        raise ValidationError(_("Phong trào này chưa có Hội đồng để sao chép."), code="source")
    return council_seats_set(
        actor=actor, campaign=campaign, seats=[(seat.user, seat.role) for seat in seats]
    )


def council_fix(*, campaign: Campaign, through: datetime.date) -> None:
    """A session of `through` voted (called by the votes layer in its transaction): the seats
    in force up to that day can no longer change."""
    Campaign.objects.filter(pk=campaign.pk).filter(
        Q(council_fixed_through__isnull=True) | Q(council_fixed_through__lt=through)
    ).update(council_fixed_through=through)


# Enrolment -------------------------------------------------------------------------------------


@transaction.atomic
def campaign_enrol(
    *,
    actor: User | None,
    campaign: Campaign,
    units: Iterable[Unit],
    block: Block | None = None,
) -> list[Enrolment]:
    """Enrol units (one by one, a subtree or a block). A unit already enrolled is refused."""
    require_manager(actor, campaign)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED):
        raise ValidationError(_("Chỉ có thể thêm đơn vị trước khi mở tự chấm điểm."))
    units = list(units)
    if not units:
        raise ValidationError(_("Chưa chọn đơn vị nào."), code="no_units")
    _require_within_authority(campaign, units, block)
    _require_valid_during(campaign, units)
    already = Enrolment.objects.filter(campaign=campaign, unit__in=units).select_related("unit")
    if already:
        raise ValidationError(
            _("Đơn vị đã tham gia phong trào: %(names)s."),
            params={"names": ", ".join(e.unit.name for e in already)},
            code="already_enrolled",
        )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(campaign=campaign, unit=unit, block=block) for unit in units]
    )
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="enrol",
        subject=block.code if block else "",
        new=", ".join(unit.code for unit in units),
    )
    scores_touched(campaign.pk)
    return enrolments


def _require_within_authority(campaign: Campaign, units: list[Unit], block: Block | None) -> None:
    """A campaign enrols only units, and blocks, that lie under its authority."""
    if campaign.authority_id is None:
        return
    roots = [campaign.authority_id]
    if block is not None and not blocks_within(roots).filter(pk=block.pk).exists():
        raise ValidationError(
            _("Khối “%(block)s” có đơn vị nằm ngoài phạm vi của cơ quan phát động."),
            params={"block": block.name},
            code="outside_authority",
        )
    inside = set(
        unit_subtree(roots).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    outside = [unit.name for unit in units if unit.pk not in inside]
    if outside:
        raise ValidationError(
            _("Đơn vị nằm ngoài phạm vi của cơ quan phát động: %(names)s."),
            params={"names": ", ".join(outside)},
            code="outside_authority",
        )


def _require_valid_during(campaign: Campaign, units: list[Unit]) -> None:
    """A campaign enrols the units that exist during its dates (`enrolment_candidates`)."""
    outside = [
        unit.name for unit in units if not unit.valid_during(campaign.starts_on, campaign.ends_on)
    ]
    if outside:
        raise ValidationError(
            _("Đơn vị không còn hoặc chưa tồn tại trong thời gian của phong trào: %(names)s."),
            params={"names": ", ".join(outside)},
            code="not_valid_during",
        )


def campaign_enrol_subtree(
    *, actor: User | None, campaign: Campaign, root: Unit, include_root: bool = True
) -> list[Enrolment]:
    """Enrol a unit and every unit under it, valid during the campaign's dates, that is not
    enrolled yet."""
    units = (
        unit_subtree([root.pk])
        .valid_during(campaign.starts_on, campaign.ends_on)  # type: ignore[attr-defined]
        .exclude(enrolments__campaign=campaign)
    )
    if not include_root:
        units = units.exclude(pk=root.pk)
    return campaign_enrol(actor=actor, campaign=campaign, units=list(units))


def campaign_enrol_block(
    *, actor: User | None, campaign: Campaign, block: Block
) -> list[Enrolment]:
    """Enrol a block's members to compete in that block (a unit is in one block per campaign)."""
    return campaign_enrol(
        actor=actor, campaign=campaign, units=list(block.members.all()), block=block
    )


@transaction.atomic
def enrolment_remove(*, actor: User | None, enrolment: Enrolment) -> None:
    require_manager(actor, enrolment.campaign)
    _require_draft(enrolment.campaign)
    campaign_event_record(
        campaign=enrolment.campaign, actor=actor, action="unenrol", old=enrolment.unit.code
    )
    enrolment.delete()
    scores_touched(enrolment.campaign_id)


@transaction.atomic
def enrolment_reopen(
    *, actor: User | None, enrolment: Enrolment, until: datetime.date, reason: str
) -> Enrolment:
    """Reopen the self-assessment window for one unit until a day, for a recorded reason."""
    campaign = enrolment.campaign
    require_manager(actor, campaign)
    if not reason.strip():
        raise ValidationError(_("Phải nêu lý do mở lại."), code="reason_required")
    if until < timezone.localdate():
        raise ValidationError(_("Ngày mở lại đến phải từ hôm nay trở đi."), code="past")
    if campaign.status not in (
        CampaignStatus.WINDOW_OPEN,
        CampaignStatus.WINDOW_CLOSED,
        CampaignStatus.UNDER_REVIEW,
    ):
        raise ValidationError(_("Chỉ mở lại khi phong trào đang trong giai đoạn tự chấm điểm."))
    old = enrolment.reopened_until
    enrolment.reopened_until = until
    enrolment.reopen_reason = reason.strip()
    enrolment.save(update_fields=["reopened_until", "reopen_reason"])
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="reopen",
        subject=enrolment.unit.code,
        old=old,
        new=until,
        reason=reason.strip(),
    )
    scores_touched(campaign.pk)
    return enrolment


# Attachments and conferences --------------------------------------------------------------------


def _stored_file_fields(
    upload: UploadedFile, allowed: dict[str, str], actor: User | None
) -> dict[str, Any]:
    sha256, mime = check_upload(upload, allowed)
    return {
        "file": upload,
        "original_name": (upload.name or "")[:255],
        "content_type": mime,
        "size": upload.size,
        "sha256": sha256,
        "uploaded_by": actor,
    }


@transaction.atomic
def campaign_attachment_add(
    *,
    actor: User | None,
    campaign: Campaign,
    upload: UploadedFile,
    title: str,
    kind: str = CampaignAttachment.Kind.PLAN,
) -> CampaignAttachment:
    require_manager(actor, campaign)
    fields = _stored_file_fields(upload, DOCUMENT_TYPES, actor)
    attachment = CampaignAttachment(
        campaign=campaign, title=title or upload.name or "", kind=kind, **fields
    )
    attachment.save()
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="attachment_add",
        subject=attachment.title,
        new=attachment.original_name,
    )
    return attachment


def conference_subject(conference: Conference) -> str:
    """How a history line names a conference: its kind and day ("midterm:2026-05-12")."""
    return f"{conference.kind}:{timezone.localtime(conference.held_at).date().isoformat()}"


@transaction.atomic
def conference_record(
    *,
    actor: User | None,
    campaign: Campaign,
    kind: str,
    held_at: datetime.datetime,
    venue: str,
    chair: str,
    attending_units: Iterable[Unit] = (),
    attendees: str = "",
    agenda: str = "",
    minutes: str = "",
    conference: Conference | None = None,
) -> Conference:
    """Create a conference, or update `conference` when given; the history names the fields an
    update changed (their texts may be long: the conference's page keeps them)."""
    require_manager(actor, campaign)
    created = conference is None
    conference = conference or Conference(campaign=campaign)
    before = set() if created else set(conference.attending_units.values_list("pk", flat=True))
    units = list(attending_units)
    changed = []
    if not created and before != {unit.pk for unit in units}:
        changed.append("attending_units")
    for name, value in {
        "kind": kind,
        "held_at": held_at,
        "venue": venue,
        "chair": chair,
        "attendees": attendees,
        "agenda": agenda,
        "minutes": minutes,
    }.items():
        if getattr(conference, name) != value:
            changed.append(name)
        setattr(conference, name, value)
    conference.full_clean()
    conference.save()
    conference.attending_units.set(units)
    if created or changed:
        campaign_event_record(
            campaign=campaign,
            actor=actor,
            action="conference_add" if created else "conference_update",
            subject=conference_subject(conference),
            new="" if created else ",".join(sorted(changed)),
        )
    return conference


@transaction.atomic
def conference_file_add(
    *,
    actor: User | None,
    conference: Conference,
    upload: UploadedFile,
    kind: str = ConferenceFile.Kind.DOCUMENT,
    title: str = "",
) -> ConferenceFile:
    require_manager(actor, conference.campaign)
    allowed = IMAGE_TYPES if kind == ConferenceFile.Kind.PHOTO else EVIDENCE_TYPES
    fields = _stored_file_fields(upload, allowed, actor)
    stored = ConferenceFile(conference=conference, kind=kind, title=title, **fields)
    stored.save()
    campaign_event_record(
        campaign=conference.campaign,
        actor=actor,
        action="conference_file_add",
        subject=conference_subject(conference),
        new=stored.original_name,
    )
    return stored


# Registrations ----------------------------------------------------------------------------------


@transaction.atomic
def registration_send(
    *,
    actor: User,
    enrolment: Enrolment,
    targets: str,
    upload: UploadedFile | None = None,
) -> Registration:
    """A unit's head sends (or resends after a return) the unit's registration."""
    if not actor.has_perm("campaigns.register_unit", enrolment):
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị được gửi đăng ký thi đua."))
    if not registration_is_open(enrolment.campaign):
        raise ValidationError(
            _("Đã hết thời gian đăng ký thi đua: phong trào đang ở giai đoạn “%(status)s”."),
            params={"status": enrolment.campaign.get_status_display()},
            code="registration_closed",
        )
    if not targets.strip():
        raise ValidationError(_("Phải nêu nội dung, chỉ tiêu đăng ký."), code="targets_required")
    registration, _created = Registration.objects.select_for_update().get_or_create(
        enrolment=enrolment, defaults={"targets": targets}
    )
    if registration.status == Registration.Status.ACCEPTED:
        raise ValidationError(_("Đăng ký đã được chấp nhận: không thể gửi lại."), code="accepted")
    if upload is not None:
        check_upload(upload, DOCUMENT_TYPES)
        registration.file = upload
    registration.targets = targets.strip()
    registration.status = Registration.Status.SENT
    registration.sent_at = timezone.now()
    registration.save()
    campaign_event_record(
        campaign=enrolment.campaign,
        actor=actor,
        action="registration",
        subject=enrolment.unit.code,
        new=registration.status,
    )
    return registration


@transaction.atomic
def registration_decide(
    *, actor: User | None, registration: Registration, accept: bool, reason: str = ""
) -> Registration:
    """The manager accepts a sent registration, or returns it with a required reason."""
    campaign = registration.enrolment.campaign
    require_manager(actor, campaign)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.SENT:
        raise ValidationError(_("Chỉ xử lý được đăng ký đã gửi."), code="not_sent")
    if not accept and not reason.strip():
        raise ValidationError(_("Phải nêu lý do trả lại."), code="reason_required")
    old = registration.status
    registration.status = Registration.Status.ACCEPTED if accept else Registration.Status.RETURNED
    registration.reason = "" if accept else reason.strip()
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    registration.save()
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="registration",
        subject=registration.enrolment.unit.code,
        old=old,
        new=registration.status,
        reason=registration.reason,
    )
    _registration_notice(registration)
    return registration


def _registration_notice(registration: Registration) -> None:
    """Tell the unit's heads what became of their registration (and why, when it came back)."""
    enrolment = registration.enrolment
    heads = unit_heads([enrolment.unit_id])
    if registration.status == Registration.Status.ACCEPTED:
        subject = _("Đăng ký thi đua của %(unit)s đã được chấp nhận")
        body = enrolment.campaign.title
    else:
        subject = _("Đăng ký thi đua của %(unit)s bị trả lại")
        body = _("Lý do: %(reason)s") % {"reason": registration.reason}
    notify(
        users=heads,
        subject=subject % {"unit": enrolment.unit.name},
        body=body,
        url=reverse("campaigns:detail", args=[enrolment.campaign.code]),
    )


# Checklists -------------------------------------------------------------------------------------


def checklist_leaves(checklist: Checklist):  # type: ignore[no-untyped-def]
    """Criteria that carry a score: those without sub-criteria."""
    return checklist.criteria.filter(children__isnull=True)


def _require_editable(checklist: Checklist) -> None:
    if checklist.is_frozen:
        raise FrozenChecklistError()


@transaction.atomic
def checklist_copy(
    *,
    source: Checklist,
    campaign: Campaign | None = None,
    name: str = "",
    as_template: bool = False,
) -> Checklist:
    """Copy a checklist (a template or an earlier campaign's) with all its criteria, unfrozen."""
    version = 1
    if campaign is not None:
        version = (campaign.checklists.aggregate(v=Max("version"))["v"] or 0) + 1
    copy = Checklist.objects.create(
        name=name or source.name,
        campaign=campaign,
        is_template=as_template,
        version=version,
        source=source,
    )
    new_ids: dict[int, Criterion] = {}
    pending = list(source.criteria.all())
    while pending:
        ready = [c for c in pending if c.parent_id is None or c.parent_id in new_ids]
        for criterion in ready:
            new_ids[criterion.pk] = Criterion.objects.create(
                checklist=copy,
                parent=new_ids.get(criterion.parent_id or 0),
                code=criterion.code,
                title=criterion.title,
                kind=criterion.kind,
                max_points=criterion.max_points,
                critical=criterion.critical,
                evidence_required=criterion.evidence_required,
                guidance=criterion.guidance,
                order=criterion.order,
            )
        pending = [c for c in pending if c.pk not in new_ids]
    return copy


@transaction.atomic
def checklist_save_as_template(*, actor: User | None, campaign: Campaign) -> Checklist:
    """Keep a copy of the campaign's checklist as a reusable template."""
    require_manager(actor, campaign)
    if campaign.checklist is None:
        raise ValidationError(_("Phong trào chưa có bộ tiêu chí."))
    return checklist_copy(
        source=campaign.checklist, name=f"{campaign.checklist.name} (mẫu)", as_template=True
    )


@transaction.atomic
def checklist_new_version(*, actor: User | None, campaign: Campaign) -> Checklist:
    """Before launch, start a new version of the campaign's checklist from the current one."""
    require_manager(actor, campaign)
    _require_draft(campaign)
    if campaign.checklist is None:
        raise ValidationError(_("Phong trào chưa có bộ tiêu chí."))
    campaign.checklist = checklist_copy(
        source=campaign.checklist, campaign=campaign, name=campaign.checklist.name
    )
    campaign.save(update_fields=["checklist"])
    campaign_event_record(
        campaign=campaign, actor=actor, action="checklist_version", new=campaign.checklist.version
    )
    return campaign.checklist


@transaction.atomic
def checklist_use(*, actor: User | None, campaign: Campaign, source: Checklist) -> Checklist:
    """Replace a draft campaign's checklist by a copy of a template or of the checklist of another
    campaign of the same authority (`selectors.checklist_sources`)."""
    require_manager(actor, campaign)
    _require_draft(campaign)
    if not checklist_sources(campaign).filter(pk=source.pk).exists():
        raise ValidationError(
            _("Chỉ sao chép được bộ tiêu chí mẫu hoặc của phong trào cùng cơ quan phát động."),
            code="outside_authority",
        )
    campaign.checklist = checklist_copy(source=source, campaign=campaign, name=source.name)
    campaign.save(update_fields=["checklist"])
    campaign_event_record(campaign=campaign, actor=actor, action="checklist_use", new=source.name)
    return campaign.checklist


def _validate_criterion(criterion: Criterion) -> None:
    if criterion.parent_id is not None:
        parent = criterion.parent
        if parent.checklist_id != criterion.checklist_id:  # type: ignore[union-attr]
            raise ValidationError(_("Mục cha phải thuộc cùng bộ tiêu chí."))
        ancestor = parent
        while ancestor is not None:
            if criterion.pk is not None and ancestor.pk == criterion.pk:
                raise ValidationError(_("Tiêu chí không thể nằm trong chính nó."), code="cycle")
            ancestor = ancestor.parent
    if criterion.kind == CriterionKind.YES_NO and criterion.max_points <= 0:
        raise ValidationError(_("Tiêu chí đạt/không đạt phải có điểm tối đa lớn hơn 0."))
    criterion.full_clean()


@transaction.atomic
def criterion_save(
    *,
    actor: User | None,
    checklist: Checklist,
    criterion: Criterion | None = None,
    **fields: Any,
) -> Criterion:
    """Add a criterion to an unfrozen checklist, or change `criterion`; a campaign's checklist
    records the addition, or each changed field (a template has no history)."""
    _require_editable(checklist)
    if checklist.campaign is not None:
        require_manager(actor, checklist.campaign)
    created = criterion is None
    criterion = criterion or Criterion(checklist=checklist)
    # As stored: a page's form has already set its fields on the instance it hands over.
    stored = criterion if created else Criterion.objects.get(pk=criterion.pk)
    before = {name: getattr(stored, name) for name in fields}
    for name, value in fields.items():
        setattr(criterion, name, value)
    if criterion.max_points is None:
        criterion.max_points = Decimal(0)
    _validate_criterion(criterion)
    criterion.save()
    if checklist.campaign is not None:
        _criterion_record(actor, checklist.campaign, criterion, None if created else before)
    return criterion


def _criterion_record(
    actor: User | None, campaign: Campaign, criterion: Criterion, before: dict[str, Any] | None
) -> None:
    """The line of a new criterion (`before` None), or one per field that changed."""
    if before is None:
        campaign_event_record(
            campaign=campaign,
            actor=actor,
            action="criterion_add",
            subject=criterion.code,
            new=criterion.title,
        )
        return
    for name, old in before.items():
        new = getattr(criterion, name)
        if new != old:  # by value: 10 and 10.00 points are the same
            campaign_event_record(
                campaign=campaign,
                actor=actor,
                action="criterion_update",
                subject=f"{criterion.code}:{name}",
                old=_criterion_value(old),
                new=_criterion_value(new),
            )


def _criterion_value(value: object) -> str:
    """A criterion's field as its history keeps it: a parent by its code, nothing as ""."""
    if isinstance(value, Criterion):
        return value.code
    return "" if value is None else str(value)


@transaction.atomic
def criterion_delete(*, actor: User | None, criterion: Criterion) -> None:
    checklist = criterion.checklist
    _require_editable(checklist)
    if checklist.campaign is not None:
        require_manager(actor, checklist.campaign)
        campaign_event_record(
            campaign=checklist.campaign,
            actor=actor,
            action="criterion_delete",
            subject=criterion.code,
            old=criterion.title,
        )
    criterion.delete()


# Bulk variants for the campaign workbook ---------------------------------------------------------
# Each takes the acting user (None is the system), checks the manager's authority once for all the
# rows it writes and records the same campaign history as the single-object services. Each returns
# what it changed, counted under "created:<kind>", "updated:<kind>" and "deleted:<kind>".


@transaction.atomic
def campaign_upsert(
    *, actor: User | None, code: str, authority: Unit | None, fields: dict[str, Any]
) -> tuple[Campaign, Counter[str]]:
    """Create the campaign `code` (`campaign_create`) or bring its title and dates in line
    (`campaign_update`) and its authority; a campaign without a checklist gets an empty one."""
    counts: Counter[str] = Counter()
    campaign = Campaign.objects.filter(code=code).select_related("authority").first()
    if campaign is None:
        campaign = campaign_create(actor=actor, code=code, authority=authority, **fields)
        counts["created:campaign"] += 1
        counts["created:checklist"] += 1
        return campaign, counts
    require_manager(actor, campaign)
    if any(getattr(campaign, name) != value for name, value in fields.items()):
        campaign_update(actor=actor, campaign=campaign, **fields)
        counts["updated:campaign"] += 1
    if campaign.authority_id != (authority.pk if authority else None):
        # A campaign moves to another authority only while a draft, and only to one the actor
        # manages: the same rule as creating it there.
        _require_draft(campaign)
        require_manager(actor, Campaign(code=campaign.code, authority=authority))
        old = campaign.authority.code if campaign.authority else ""
        campaign.authority = authority
        campaign.save(update_fields=["authority"])
        campaign_event_record(
            campaign=campaign,
            actor=actor,
            action="update",
            subject="authority",
            old=old,
            new=authority.code if authority else "",
        )
        counts["updated:campaign"] += 1
    if campaign.checklist is None:
        campaign.checklist = Checklist.objects.create(name=campaign.title, campaign=campaign)
        campaign.save(update_fields=["checklist"])
        counts["created:checklist"] += 1
    return campaign, counts


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as a workbook row gives it; `parent_code` is blank for a top-level one."""

    code: str
    parent_code: str
    title: str
    kind: str
    max_points: Decimal
    critical: bool
    evidence_required: bool

    def values(self) -> dict[str, object]:
        return {
            "title": self.title,
            "kind": self.kind,
            "max_points": self.max_points,
            "critical": self.critical,
            "evidence_required": self.evidence_required,
        }


@transaction.atomic
def criteria_import(
    *, actor: User | None, campaign: Campaign, specs: list[CriterionSpec]
) -> Counter[str]:
    """The bulk variant of `criterion_save` and `criterion_delete`: the campaign's unfrozen
    checklist becomes `specs` (same codes, fields, parents and order); criteria it leaves out are
    deleted. Recorded once as "checklist_import" when anything changed."""
    require_manager(actor, campaign)
    checklist = campaign.checklist
    if checklist is None:
        raise ValidationError(_("Phong trào chưa có bộ tiêu chí."))
    _require_editable(checklist)
    stored = {c.code: c for c in Criterion.objects.filter(checklist=checklist)}
    codes = {spec.code for spec in specs}
    gone = [c.pk for code, c in stored.items() if code not in codes]
    fresh = codes - set(stored)
    changed = {
        spec.code
        for order, spec in enumerate(specs, 1)
        if _criterion_put(checklist, stored, spec, order)
    }
    changed |= {spec.code for spec in specs if _criterion_set_parent(stored, spec)}
    if gone:
        Criterion.objects.filter(pk__in=gone).delete()
    if changed or gone:
        campaign_event_record(
            campaign=campaign, actor=actor, action="checklist_import", new=len(specs)
        )
    return Counter(
        {
            "created:criterion": len(fresh),
            "updated:criterion": len(changed - fresh),
            "deleted:criterion": len(gone),
        }
    )


def _criterion_put(
    checklist: Checklist, stored: dict[str, Criterion], spec: CriterionSpec, order: int
) -> bool:
    values = {**spec.values(), "order": order}
    criterion = stored.get(spec.code)
    if criterion is None:
        stored[spec.code] = Criterion.objects.create(checklist=checklist, code=spec.code, **values)
        return True
    if all(getattr(criterion, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(criterion, name, value)
    criterion.save()
    return True


def _criterion_set_parent(stored: dict[str, Criterion], spec: CriterionSpec) -> bool:
    criterion = stored[spec.code]
    parent = stored[spec.parent_code] if spec.parent_code else None
    if criterion.parent_id == (parent.pk if parent else None):
        return False
    criterion.parent = parent
    criterion.save(update_fields=["parent"])
    return True


@transaction.atomic
def enrolment_blocks_set(
    *, actor: User | None, campaign: Campaign, blocks: dict[str, Block]
) -> Counter[str]:
    """The bulk variant of choosing an enrolment's block: each enrolled unit whose code is a key
    of `blocks` competes in that block; one that was in one of those blocks and is no longer
    named competes in none; the others keep theirs. Each change is recorded ("block")."""
    require_manager(actor, campaign)
    named = {block.pk: block for block in blocks.values()}
    for block in named.values():
        _require_within_authority(campaign, [], block)
    changed = []
    for enrolment in campaign.enrolments.select_related("unit", "block"):
        wanted = blocks.get(enrolment.unit.code)
        if wanted is None and enrolment.block_id not in named:
            continue
        if enrolment.block_id == (wanted.pk if wanted else None):
            continue
        campaign_event_record(
            campaign=campaign,
            actor=actor,
            action="block",
            subject=enrolment.unit.code,
            old=enrolment.block.code if enrolment.block else "",
            new=wanted.code if wanted else "",
        )
        enrolment.block = wanted
        changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["block"])
    if changed:
        scores_touched(campaign.pk)
    return Counter({"updated:enrolment": len(changed)})


@transaction.atomic
def council_members_ensure(
    *, actor: User | None, campaign: Campaign, usernames: list[str]
) -> tuple[dict[str, User], Counter[str]]:
    """The bulk variant of `council_seat_set` for the reviewers a workbook names: each sits on
    the campaign's council as a member; a missing account is created without a usable password
    (docs/domain.md, "Data exchange"). Returns the users by username."""
    require_manager(actor, campaign)
    names = list(dict.fromkeys(usernames))
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    counts: Counter[str] = Counter()
    for name in names:
        if name not in users:
            user = User(username=name)
            user.set_unusable_password()
            user.save()
            users[name] = user
            counts["created:user"] += 1
    group = role_group(Role.COUNCIL_MEMBER)
    in_group = set(group.user_set.filter(username__in=names).values_list("pk", flat=True))
    group.user_set.add(*[users[n] for n in names if users[n].pk not in in_group])
    campaign = _council_locked(campaign)
    seated = set(campaign.council_seats.filter(valid_to=None).values_list("user_id", flat=True))
    on = _effective_on(campaign, None)
    for name in names:
        if users[name].pk not in seated:
            member = CouncilSeat.Role.MEMBER
            _seat_change(actor=actor, campaign=campaign, user=users[name], role=member, on=on)
            counts["created:council_seat"] += 1
    return users, counts
