"""Council sessions and votes. Each number (quorum, threshold) is a setting with a default."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CouncilSeat, Enrolment
from campaigns.services import require_manager

from .models import (
    Attendance,
    Ballot,
    Choice,
    CouncilSession,
    Nomination,
    SessionStatus,
    Title,
    VoteReceipt,
)


def _members(campaign: Campaign) -> int:
    return campaign.council_seats.count()


def is_secretary(user: User | None, campaign: Campaign) -> bool:
    return (
        user is not None
        and CouncilSeat.objects.filter(
            campaign=campaign, user=user, role=CouncilSeat.Role.SECRETARY
        ).exists()
    )


def require_session_officer(actor: User | None, campaign: Campaign) -> None:
    """The campaign's manager or the council's secretary runs a session."""
    if not is_secretary(actor, campaign):
        require_manager(actor, campaign)


@transaction.atomic
def session_create(
    *,
    actor: User | None,
    campaign: Campaign,
    held_on: datetime.date,
    quorum_percent: Decimal | None = None,
) -> CouncilSession:
    require_manager(actor, campaign)
    session = CouncilSession(campaign=campaign, held_on=held_on)
    if quorum_percent is not None:
        session.quorum_percent = quorum_percent
    session.full_clean()
    session.save()
    Attendance.objects.bulk_create(
        [Attendance(session=session, user_id=seat.user_id) for seat in campaign.council_seats.all()]
    )
    return session


@transaction.atomic
def attendance_set(
    *, actor: User | None, session: CouncilSession, user: User, present: bool
) -> Attendance:
    require_session_officer(actor, session.campaign)
    if session.status == SessionStatus.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."), code="closed")
    attendance = Attendance.objects.get(session=session, user=user)
    attendance.present = present
    attendance.save(update_fields=["present"])
    return attendance


@transaction.atomic
def nomination_add(
    *,
    actor: User | None,
    session: CouncilSession,
    enrolment: Enrolment,
    title: Title,
    final_score: Decimal | None = None,
    reasons: str = "",
) -> Nomination:
    require_manager(actor, session.campaign)
    if enrolment.campaign_id != session.campaign_id:
        raise ValidationError(_("Đơn vị không tham gia phong trào này."), code="not_enrolled")
    return Nomination.objects.create(
        session=session, enrolment=enrolment, title=title, final_score=final_score, reasons=reasons
    )


@transaction.atomic
def voting_open(*, actor: User | None, session: CouncilSession) -> CouncilSession:
    """Voting opens only with a quorum of ALL council members present."""
    require_session_officer(actor, session.campaign)
    present = session.attendance.filter(present=True).count()
    members = _members(session.campaign)
    if members == 0 or Decimal(present * 100) < session.quorum_percent * members:
        raise ValidationError(
            _("Chưa đủ số thành viên có mặt: %(present)s/%(members)s, cần %(quorum)s%%.")
            % {"present": present, "members": members, "quorum": session.quorum_percent},
            code="no_quorum",
        )
    changed = CouncilSession.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).update(
        status=SessionStatus.VOTING
    )
    if not changed:
        raise ValidationError(_("Phiên họp không ở trạng thái chuẩn bị."), code="state")
    session.status = SessionStatus.VOTING
    return session


def _record(nomination: Nomination, member: User, choice: str, *, written: bool) -> None:
    if choice not in Choice.values:
        raise ValidationError(_("Lựa chọn không hợp lệ."), code="choice")
    try:
        with transaction.atomic():
            VoteReceipt.objects.create(nomination=nomination, user=member, written=written)
    except IntegrityError:
        raise ValidationError(
            _("Thành viên này đã biểu quyết đề nghị này."), code="twice"
        ) from None
    Ballot.objects.create(nomination=nomination, choice=choice)


@transaction.atomic
def vote_cast(*, voter: User, session: CouncilSession, nomination: Nomination, choice: str) -> None:
    """A present member votes once on a nomination of this session, while voting is open."""
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if nomination.session_id != session.pk:
        raise ValidationError(_("Đề nghị không thuộc phiên họp này."), code="other_session")
    if session.status != SessionStatus.VOTING:
        raise ValidationError(_("Phiên họp không mở biểu quyết."), code="not_voting")
    if not session.attendance.filter(user=voter, present=True).exists():
        raise PermissionDenied(_("Chỉ thành viên Hội đồng có mặt mới được biểu quyết."))
    _record(nomination, voter, choice, written=False)


@transaction.atomic
def written_vote_record(
    *, secretary: User, session: CouncilSession, nomination: Nomination, member: User, choice: str
) -> None:
    """The secretary records an absent member's written vote."""
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    is_secretary = CouncilSeat.objects.filter(
        campaign_id=session.campaign_id, user=secretary, role=CouncilSeat.Role.SECRETARY
    ).exists()
    if not is_secretary:
        raise PermissionDenied(_("Chỉ thư ký Hội đồng ghi nhận phiếu bằng văn bản."))
    if nomination.session_id != session.pk or session.status != SessionStatus.VOTING:
        raise ValidationError(_("Phiên họp không mở biểu quyết cho đề nghị này."))
    if not session.attendance.filter(user=member, present=False).exists():
        raise ValidationError(_("Phiếu bằng văn bản chỉ dành cho thành viên vắng mặt."))
    _record(nomination, member, choice, written=True)


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    members: int
    threshold_percent: Decimal

    @property
    def yes_percent(self) -> Decimal:
        if not self.members:
            return Decimal(0)
        return (Decimal(self.yes * 100) / self.members).quantize(Decimal("0.01"))

    @property
    def passed(self) -> bool:
        """Yes votes against ALL members, at or above the threshold (exact comparison)."""
        return self.members > 0 and Decimal(self.yes * 100) >= (
            self.threshold_percent * self.members
        )


def tally(nomination: Nomination) -> Tally:
    counts = dict.fromkeys(Choice.values, 0)
    for choice in nomination.ballots.values_list("choice", flat=True):
        counts[choice] += 1
    return Tally(
        counts["yes"],
        counts["no"],
        counts["abstain"],
        _members(nomination.session.campaign),
        nomination.title.threshold_percent,
    )


@transaction.atomic
def session_close(*, actor: User | None, session: CouncilSession) -> CouncilSession:
    require_session_officer(actor, session.campaign)
    CouncilSession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    session.status = SessionStatus.CLOSED
    return session


@transaction.atomic
def nominations_prefill(
    *, actor: User | None, session: CouncilSession, title: Title
) -> list[Nomination]:
    """Propose every exemplary unit of the published run for `title`, with score and reasons."""
    from scoring.models import Result  # votes sits on top of scoring

    require_manager(actor, session.campaign)
    results = Result.objects.filter(
        run__campaign=session.campaign, run__is_published=True, exemplary=True
    ).select_related("enrolment")
    if not results:
        raise ValidationError(
            _("Chưa có kết quả công bố với đơn vị điển hình tiên tiến."), code="no_results"
        )
    existing = set(session.nominations.filter(title=title).values_list("enrolment_id", flat=True))
    return [
        nomination_add(
            actor=actor,
            session=session,
            enrolment=result.enrolment,
            title=title,
            final_score=result.final_score,
            reasons=_("Điển hình tiên tiến; điểm %(score)s, hạng %(rank)s.")
            % {"score": result.final_score, "rank": result.rank},
        )
        for result in results
        if result.enrolment_id not in existing
    ]


@dataclass(frozen=True)
class Outcome:
    nomination: Nomination
    tally: Tally

    @property
    def reward(self) -> Decimal:
        from django.conf import settings

        return self.nomination.title.reward_multiple * settings.BASE_SALARY_VND


def session_outcomes(session: CouncilSession) -> list[Outcome]:
    """Each nomination with its tally (one query for the nominations, one per tally)."""
    nominations = session.nominations.select_related(
        "enrolment__unit", "title", "session__campaign"
    )
    return [Outcome(n, tally(n)) for n in nominations]
