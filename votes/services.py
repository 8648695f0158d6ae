"""Council sessions and votes, by the rules of Law 06/2022/QH15 and its decrees.

The numbers (quorum, thresholds, reward multiples, base salaries) are data or settings, never
code; docs/domain-law.md lists each with its source. Secrecy is described in votes/models.py.
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CouncilSeat, Enrolment
from campaigns.services import campaign_event_record, council_fix, require_manager
from core.documents import decimal_text, signature_lines
from core.history import history_line, history_record
from core.queue import enqueue_on_commit
from core.uploads import DOCUMENT_TYPES, check_upload
from core.workbooks import Row
from notifications.services import notify
from units.models import (
    AuthoritySigner,
    Block,
    DocumentType,
    Unit,
    UnitLevel,
)
from units.rules import is_campaign_manager, is_unit_or_below, managed_unit_ids, user_unit_ids
from units.selectors import unit_subtree
from units.services import (
    authority_event_record,
    document_number_allocate,
    file_record,
    file_sign,
    require_authority_manager,
)

from .models import (
    COUNCIL_CODE,
    Attendance,
    Award,
    AwardEntry,
    AwardTerm,
    Ballot,
    BaseSalary,
    CatalogueEvent,
    Choice,
    CouncilSession,
    Designation,
    LedgerEvent,
    Nomination,
    Proposal,
    ProposalEvent,
    ProposalFile,
    ProposalRound,
    ProposalStatus,
    ProvinceRatio,
    Quota,
    RecipientKind,
    SealedBox,
    SessionStatus,
    VoteReceipt,
)
from .selectors import (
    VoteRule,
    attendance_of,
    authority_level,
    award_levels_during,
    award_place,
    base_salary_on,
    campaign_province,
    conditions_check,
    decided_here,
    entry_search_text,
    missing_ballots,
    nomination_year,
    officers_of,
    outcomes_of,
    proposal_documents,
    proposal_nominations,
    province_of,
    seats_of,
    vote_rule_on,
)

ROUND_TO = 10_000  # rewards are rounded up to the next 10,000 đ

logger = logging.getLogger(__name__)


def is_secretary(user: User | None, campaign: Campaign) -> bool:
    return (
        user is not None
        and CouncilSeat.objects.current()
        .filter(campaign=campaign, user=user, role=CouncilSeat.Role.SECRETARY)
        .exists()
    )


def require_session_officer(actor: User | None, campaign: Campaign) -> None:
    """The campaign's manager or the council's secretary runs a session."""
    if not is_secretary(actor, campaign):
        require_manager(actor, campaign)


def quorum_setting(*, considers_awards: bool) -> Fraction:
    """The quorum in force, from the settings ("2/3"), as an exact fraction."""
    text = settings.COUNCIL_AWARD_QUORUM if considers_awards else settings.COUNCIL_QUORUM
    quorum = Fraction(str(text))
    if not 0 < quorum <= 1:
        raise ValueError(f"A quorum is a fraction in (0, 1], not {text!r}")
    return quorum


def has_quorum(*, present: int, members: int, numerator: int, denominator: int) -> bool:
    """At least numerator/denominator of ALL members, compared in integers (2 of 3 is 2/3)."""
    return members > 0 and present * denominator >= members * numerator


def award_passes(*, rule: VoteRule | AwardTerm, yes: int, members: int) -> bool:
    """Yes votes against ALL members, by the rule in force (`selectors.vote_rule_on`: the
    province's own ratio or the award's term): at least the threshold for a ballot, more than
    it (half, by default) for a majority."""
    if members <= 0:
        return False
    if rule.rule == Award.Rule.SECRET_BALLOT:
        return yes * 100 >= rule.threshold_percent * members
    return yes * 100 > rule.threshold_percent * members


def reward_amount(*, multiple: object, base_salary: int) -> int:
    """multiple × base salary, rounded UP to the next 10,000 đ, in integer arithmetic."""
    hundredths = Fraction(str(multiple)) * 100
    if hundredths.denominator != 1:
        raise ValueError(f"A reward multiple has at most two decimals, not {multiple}")
    raw = int(hundredths) * base_salary  # in hundredths of a đồng
    step = ROUND_TO * 100
    return -(-raw // step) * ROUND_TO


def _level_exists_check(award: Award, campaign: Campaign) -> None:
    """Refuses an award whose deciding level exists on none of the campaign's days (a district's
    Giấy khen in a campaign after 30/6/2025), by its terms and the units' data."""
    levels = award_levels_during(campaign.starts_on, campaign.ends_on)
    terms = list(award.terms.all())
    if not terms or any(term.level in levels for term in terms):
        return
    raise ValidationError(
        _(
            "“%(award)s” thuộc %(award_level)s, cấp không còn tồn tại trong thời gian của "
            "phong trào (%(starts)s – %(ends)s)."
        )
        % {
            "award": award.name,
            "award_level": terms[-1].get_level_display(),
            "starts": f"{campaign.starts_on:%d/%m/%Y}",
            "ends": f"{campaign.ends_on:%d/%m/%Y}",
        },
        code="level_gone",
    )


def _level_check(award: Award, campaign: Campaign, day: datetime.date) -> bool:
    """True when the nomination is a proposal to the level above (by the term in force on the
    session's date); refuses an award that belongs to a lower level than the campaign's
    authority, and one the catalogue has no term for on that date."""
    _level_exists_check(award, campaign)
    place = award_place(award, campaign, day)
    if place is None:
        raise ValidationError(
            _("“%(award)s” không có trong danh mục áp dụng ngày %(day)s.")
            % {"award": award.name, "day": f"{day:%d/%m/%Y}"},
            code="no_term",
        )
    if place == "below":
        term = award.term_on(day)
        raise ValidationError(
            _("“%(award)s” thuộc thẩm quyền %(award_level)s, không phải %(level)s.")
            % {
                "award": award.name,
                "award_level": term.get_level_display() if term else "",
                "level": Award.Level(authority_level(campaign) or "").label,
            },
            code="level",
        )
    return place == "above"


def _quota_check(campaign: Campaign, enrolment: Enrolment, award: Award) -> None:
    """The campaign's quotas for the unit's cụm/khối: nominations that did not fail count."""
    if enrolment.block_id is None:
        return
    quotas = (
        Quota.objects.select_for_update(of=("self",))
        .filter(Q(award=award) | Q(award__isnull=True), campaign=campaign)
        .filter(block_id=enrolment.block_id)
        .select_related("block")
        .order_by("pk")
    )
    for quota in quotas:
        used = Nomination.objects.filter(
            session__campaign=campaign, enrolment__block_id=quota.block_id
        ).exclude(passed=False)
        if quota.award_id is not None:
            used = used.filter(award_id=quota.award_id)
        if used.count() >= quota.limit:
            raise ValidationError(
                _("%(block)s đã đủ chỉ tiêu %(limit)s đề nghị%(award)s.")
                % {
                    "block": quota.block.name,
                    "limit": quota.limit,
                    "award": f" “{award.name}”" if quota.award_id else "",
                },
                code="quota",
            )


@transaction.atomic
def quota_set(
    *,
    actor: User | None,
    campaign: Campaign,
    block: Block,
    award: Award | None,
    limit: int | None,
    source: str = "",
) -> Quota | None:
    """The campaign's quota of nominations for a cụm/khối (for one award, or for all when
    `award` is None), with the decision that sets it (`source`, required); `limit` None
    removes it."""
    require_manager(actor, campaign)
    subject = f"{block} · {award.name if award else _('mọi danh hiệu, hình thức')}"
    if limit is None:
        Quota.objects.filter(campaign=campaign, block=block, award=award).delete()
        campaign_event_record(
            campaign=campaign, actor=actor, action="quota_remove", subject=subject
        )
        return None
    source = _required_source(source)
    quota, _created = Quota.objects.update_or_create(
        campaign=campaign, block=block, award=award, defaults={"limit": limit, "source": source}
    )
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="quota_set",
        subject=subject,
        new=limit,
        reason=source,
    )
    return quota


def _record(
    session: CouncilSession, actor: User | None, action: str, subject: str = "", new: object = ""
) -> None:
    campaign_event_record(
        campaign=session.campaign,
        actor=actor,
        action=action,
        subject=f"{_('Phiên họp')} {session.held_on:%d/%m/%Y} · {subject}".rstrip(" ·"),
        new=new,
    )


def _locked(session: CouncilSession, *expected: str) -> CouncilSession:
    session = (
        CouncilSession.objects.select_for_update().select_related("campaign").get(pk=session.pk)
    )
    if session.status not in expected:
        raise ValidationError(
            _("Phiên họp đang ở trạng thái “%(status)s”: không thể thực hiện.")
            % {"status": session.get_status_display()},
            code="state",
        )
    return session


@transaction.atomic
def session_create(
    *,
    actor: User | None,
    campaign: Campaign,
    held_on: datetime.date,
    starts_at: datetime.time | None = None,
    venue: str = "",
    place_name: str = "",
    considers_awards: bool = True,
) -> CouncilSession:
    """A session in preparation, with one attendance row per council seat (all absent)."""
    require_manager(actor, campaign)
    quorum = quorum_setting(considers_awards=considers_awards)
    session = CouncilSession(
        campaign=campaign,
        held_on=held_on,
        starts_at=starts_at,
        venue=venue,
        place_name=place_name,
        considers_awards=considers_awards,
        quorum_numerator=quorum.numerator,
        quorum_denominator=quorum.denominator,
    )
    session.full_clean()
    session.save()
    attendance_sync(session)
    _record(session, actor, "session_create", new=f"{quorum.numerator}/{quorum.denominator}")
    return session


def attendance_sync(session: CouncilSession) -> None:
    """The attendance rows of a session in preparation follow the seats in force on its date: a
    row for each seat (absent until marked), in the seat's role; none for anyone else."""
    seats = {seat.user_id: seat for seat in seats_of(session)}
    rows = {row.user_id: row for row in session.attendance.all()}
    session.attendance.exclude(user_id__in=seats).delete()
    changed = [rows[u] for u, seat in seats.items() if u in rows and rows[u].role != seat.role]
    for row in changed:
        row.role = seats[row.user_id].role
    Attendance.objects.bulk_update(changed, ["role"])
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, user_id=u, role=seat.role)
            for u, seat in seats.items()
            if u not in rows
        ]
    )


@transaction.atomic
def attendance_set(
    *, actor: User | None, session: CouncilSession, user: User, present: bool
) -> Attendance:
    """Thành phần tham dự, while the session is in preparation only: once voting opens it is
    frozen, so nobody can turn a present member into an absent one with a written vote."""
    require_session_officer(actor, session.campaign)
    session = _locked(session, SessionStatus.PLANNED)
    attendance_sync(session)
    attendance = session.attendance.filter(user=user).first()
    if attendance is None:
        raise ValidationError(
            _("“%(name)s” không có tên trong Hội đồng ngày %(day)s.")
            % {"name": user.get_full_name() or user.username, "day": f"{session.held_on:%d/%m/%Y}"},
            code="not_seated",
        )
    if attendance.present != present:
        attendance.present = present
        attendance.save(update_fields=["present"])
        name = user.get_full_name() or user.username
        _record(session, actor, "attendance_set", name, _("có mặt") if present else _("vắng"))
    return attendance


def _recipient_check(award: Award | None, recipient_kind: str, person_name: str) -> str:
    if award is not None and not award.allows(recipient_kind):
        raise ValidationError(
            _("“%(award)s” không tặng cho đối tượng này.") % {"award": award.name},
            code="recipient_kind",
        )
    person_name = person_name.strip()
    if (recipient_kind == RecipientKind.COLLECTIVE) == bool(person_name):
        raise ValidationError(
            _("Ghi họ tên khi đề nghị cá nhân hoặc hộ gia đình (và chỉ khi đó)."), code="name"
        )
    return person_name


@transaction.atomic
def nomination_add(
    *,
    actor: User | None,
    session: CouncilSession,
    enrolment: Enrolment,
    award: Award,
    recipient_kind: str = RecipientKind.COLLECTIVE,
    person_name: str = "",
    position: str = "",
    address: str = "",
    achievements: str = "",
    final_score: Decimal | None = None,
    condition_reason: str = "",
) -> Nomination:
    """A unit, a person or a household of an enrolled unit, proposed for an award that may be
    given to that kind of recipient, within the quota of the unit's cụm/khối; only while the
    session is in preparation. An award of the authority's level is decided here; one of a
    higher level is marked as a proposal to the level above; one of a lower level is refused.
    When the ledger shows a condition of the award not met ("không đạt"), the council may still
    consider it with a reason (`condition_reason`, kept and recorded)."""
    require_manager(actor, session.campaign)
    session = _locked(session, SessionStatus.PLANNED)
    if enrolment.campaign_id != session.campaign_id:
        raise ValidationError(_("Đơn vị không tham gia phong trào này."), code="not_enrolled")
    person_name = _recipient_check(award, recipient_kind, person_name)
    proposed = _level_check(award, session.campaign, session.held_on)
    _quota_check(session.campaign, enrolment, award)
    condition_reason = _condition_reason_check(
        session, award, enrolment, recipient_kind, person_name, condition_reason
    )
    nomination = Nomination(
        session=session,
        recipient_kind=recipient_kind,
        enrolment=enrolment,
        person_name=person_name,
        position=position.strip(),
        address=address.strip(),
        award=award,
        final_score=final_score,
        achievements=achievements,
        proposed=proposed,
        condition_reason=condition_reason,
    )
    nomination.full_clean()
    nomination.save()
    reason = _("lý do xét khi chưa đạt điều kiện: %(reason)s") % {"reason": condition_reason}
    recorded = f"{award.name} · {reason}" if condition_reason else award.name
    _record(session, actor, "nomination_add", nomination.nominee, recorded)
    return nomination


def _condition_reason_check(
    session: CouncilSession,
    award: Award,
    enrolment: Enrolment,
    recipient_kind: str,
    person_name: str,
    reason: str,
) -> str:
    """The reason the council considers a nomination whose award's conditions the ledger shows
    not met; required then, and kept only then."""
    unmet = [
        check
        for check in conditions_check(
            session=session,
            award=award,
            unit=enrolment.unit,
            recipient_kind=recipient_kind,
            person_name=person_name,
        )
        if check.verdict == "not_met"
    ]
    if not unmet:
        return ""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _(
                "Chưa đạt điều kiện: %(conditions)s (theo sổ khen thưởng). Ghi lý do Hội đồng "
                "vẫn xét đề nghị này."
            )
            % {"conditions": "; ".join(check.condition.label for check in unmet)},
            code="condition",
        )
    return reason


@transaction.atomic
def nominations_prefill(
    *, actor: User | None, session: CouncilSession, award: Award
) -> list[Nomination]:
    """Propose every unit leading its cụm/khối in the published run, with score and rank."""
    from scoring.models import Result  # votes sits on top of scoring

    require_manager(actor, session.campaign)
    results = Result.objects.filter(
        run__campaign=session.campaign, run__is_published=True, exemplary=True
    ).select_related("enrolment")
    if not results:
        raise ValidationError(
            _("Chưa có kết quả công bố với đơn vị dẫn đầu cụm/khối."), code="no_results"
        )
    existing = set(session.nominations.filter(award=award).values_list("enrolment_id", flat=True))
    return [
        nomination_add(
            actor=actor,
            session=session,
            enrolment=result.enrolment,
            award=award,
            final_score=result.final_score,
            achievements=_("Dẫn đầu cụm/khối; điểm %(score)s, xếp hạng %(rank)s.")
            % {
                "score": "" if result.final_score is None else decimal_text(result.final_score),
                "rank": result.rank,
            },
        )
        for result in results
        if result.enrolment_id not in existing
    ]


@transaction.atomic
def designation_add(
    *,
    actor: User | None,
    session: CouncilSession,
    enrolment: Enrolment,
    reason: str,
    recipient_kind: str = RecipientKind.COLLECTIVE,
    person_name: str = "",
    position: str = "",
) -> Designation:
    """Điển hình tiên tiến: the council singles out a unit, a person or a household of an
    enrolled unit, with its reason, at a session that is not closed. Whether the unit leads its
    cụm/khối in the published results is noted, never required."""
    from scoring.models import Result  # votes sits on top of scoring

    require_session_officer(actor, session.campaign)
    session = _locked(session, SessionStatus.PLANNED, SessionStatus.VOTING)
    if enrolment.campaign_id != session.campaign_id:
        raise ValidationError(_("Đơn vị không tham gia phong trào này."), code="not_enrolled")
    person_name = _recipient_check(None, recipient_kind, person_name)
    if not reason.strip():
        raise ValidationError(_("Ghi lý do chọn điển hình tiên tiến."), code="reason")
    designation = Designation(
        session=session,
        enrolment=enrolment,
        recipient_kind=recipient_kind,
        person_name=person_name,
        position=position.strip(),
        reason=reason.strip(),
        designated_by=actor,
        leading=Result.objects.filter(
            run__campaign=session.campaign,
            run__is_published=True,
            enrolment=enrolment,
            exemplary=True,
        ).exists(),
    )
    designation.full_clean()
    designation.save()
    _record(session, actor, "designation_add", designation.nominee, designation.reason)
    return designation


@transaction.atomic
def designation_remove(*, actor: User | None, designation: Designation) -> None:
    """Withdraws a designation while its session is not closed."""
    require_session_officer(actor, designation.session.campaign)
    session = _locked(designation.session, SessionStatus.PLANNED, SessionStatus.VOTING)
    name = designation.nominee
    designation.delete()
    _record(session, actor, "designation_remove", name)


@transaction.atomic
def voting_open(*, actor: User | None, session: CouncilSession) -> CouncilSession:
    """Voting opens with a quorum of ALL council members present; from then on attendance and
    nominations are frozen and the member count is fixed for every tally of this session."""
    require_session_officer(actor, session.campaign)
    session = _locked(session, SessionStatus.PLANNED)
    attendance_sync(session)
    members = session.attendance.count()
    present = session.attendance.filter(present=True).count()
    quorum = (session.quorum_numerator, session.quorum_denominator)
    if not has_quorum(present=present, members=members, numerator=quorum[0], denominator=quorum[1]):
        raise ValidationError(
            _("Chưa đủ số thành viên có mặt: %(present)s/%(members)s, cần ít nhất %(quorum)s.")
            % {"present": present, "members": members, "quorum": f"{quorum[0]}/{quorum[1]}"},
            code="no_quorum",
        )
    if not session.nominations.exists():
        raise ValidationError(_("Chưa có đề nghị nào để biểu quyết."), code="empty")
    SealedBox.objects.bulk_create(
        [SealedBox(nomination=n) for n in session.nominations.order_by("pk")]
    )
    session.status = SessionStatus.VOTING
    session.member_count, session.present_count = members, present
    session.opened_at = timezone.now()
    session.save(update_fields=["status", "member_count", "present_count", "opened_at"])
    council_fix(campaign=session.campaign, through=session.held_on)
    _record(session, actor, "voting_open", new=f"{present}/{members}")
    return session


def _seal(nomination: Nomination, member: User, choice: str, *, written: bool) -> None:
    """The receipt says who; the choice only moves a counter. The UPDATE is the same statement
    for every choice (all three counters, by 0 or 1), so its text does not tell the choice."""
    if choice not in Choice.values:
        raise ValidationError(_("Lựa chọn không hợp lệ."), code="choice")
    try:
        with transaction.atomic():
            VoteReceipt.objects.create(nomination=nomination, user=member, written=written)
    except IntegrityError:
        raise ValidationError(
            _("Thành viên này đã biểu quyết đề nghị này."), code="twice"
        ) from None
    SealedBox.objects.filter(nomination=nomination).update(
        yes=F("yes") + int(choice == Choice.YES),
        no=F("no") + int(choice == Choice.NO),
        abstain=F("abstain") + int(choice == Choice.ABSTAIN),
    )


@transaction.atomic
def vote_cast(*, voter: User, session: CouncilSession, nomination: Nomination, choice: str) -> None:
    """A member present at the opening votes once on a nomination while voting is open."""
    session = _locked(session, SessionStatus.VOTING)
    if nomination.session_id != session.pk:
        raise ValidationError(_("Đề nghị không thuộc phiên họp này."), code="other_session")
    if not session.attendance.filter(user=voter, present=True).exists():
        raise PermissionDenied(_("Chỉ thành viên Hội đồng có mặt mới được biểu quyết."))
    _seal(nomination, voter, choice, written=False)


@transaction.atomic
def written_vote_record(
    *, secretary: User, session: CouncilSession, nomination: Nomination, member: User, choice: str
) -> None:
    """The secretary records the written opinion of a member who was absent when voting opened
    (attendance is frozen then); the receipt is marked as written."""
    session = _locked(session, SessionStatus.VOTING)
    if not is_secretary(secretary, session.campaign):
        raise PermissionDenied(_("Chỉ thư ký Hội đồng ghi nhận phiếu bằng văn bản."))
    if nomination.session_id != session.pk:
        raise ValidationError(_("Đề nghị không thuộc phiên họp này."), code="other_session")
    if not session.attendance.filter(user=member, present=False).exists():
        raise ValidationError(
            _("Phiếu bằng văn bản chỉ dành cho thành viên vắng mặt khi mở biểu quyết."),
            code="not_absent",
        )
    _seal(nomination, member, choice, written=True)


CHOICE_ORDER = [Choice.YES, Choice.NO, Choice.ABSTAIN]


@transaction.atomic
def session_close(
    *,
    actor: User | None,
    session: CouncilSession,
    decided_on: datetime.date | None = None,
    missing_accepted: bool = False,
) -> CouncilSession:
    """Opens the boxes: one transaction writes every ballot in an order that depends on the
    counts alone (nomination, then choice), deletes the boxes and fixes each outcome — counts,
    names, the award's rule and the reward at the base salary in force on the decision date.
    While a member present at the opening has not voted on a nomination, the close needs
    `missing_accepted` (the officer's tick: those ballots are lost)."""
    require_session_officer(actor, session.campaign)
    session = _locked(session, SessionStatus.VOTING)
    session_close_check(session=session, missing_accepted=missing_accepted)
    decided_on = decided_on or session.held_on
    salary = base_salary_on(decided_on)
    nominations = list(
        session.nominations.select_related(
            "award", "enrolment__unit", "session__campaign__authority__kind"
        )
        .prefetch_related("award__terms")
        .order_by("pk")
    )
    boxes = {
        box.nomination_id: box for box in SealedBox.objects.filter(nomination__session=session)
    }
    province = campaign_province(session.campaign)
    ballots = []
    for nomination in nominations:
        box = boxes[nomination.pk]
        counts = {Choice.YES: box.yes, Choice.NO: box.no, Choice.ABSTAIN: box.abstain}
        for choice in CHOICE_ORDER:
            ballots += [
                Ballot(nomination=nomination, choice=choice) for _i in range(counts[choice])
            ]
        _fix_outcome(nomination, box, session.member_count or 0, salary, session.held_on, province)
    Ballot.objects.bulk_create(ballots)
    SealedBox.objects.filter(nomination__session=session).delete()
    Nomination.objects.bulk_update(nominations, SNAPSHOT_FIELDS)
    session.status, session.closed_at, session.decided_on = (
        SessionStatus.CLOSED,
        timezone.now(),
        decided_on,
    )
    session.save()
    passed = sum(1 for n in nominations if n.passed)
    _record(session, actor, "session_close", new=f"{passed}/{len(nominations)}")
    transaction.on_commit(journal_checkpoint)
    return session


def journal_checkpoint() -> None:
    """After a close is committed, SQLite's write-ahead log still holds the pages written while
    voting was open (the sealed boxes, deleted at the close): the checkpoint copies the log into
    the database file and truncates it to nothing (docs/domain-law.md). PostgreSQL's journal is
    the server's to keep; nothing to do there."""
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
    except DatabaseError:  # the close is committed; SQLite checkpoints by itself later
        logger.warning("SQLite journal not checkpointed after a close", exc_info=True)
        return
    if busy:
        logger.warning("SQLite journal not truncated after a close: a reader held it")


def session_close_check(*, session: CouncilSession, missing_accepted: bool) -> None:
    """Refuses a close that would lose ballots not yet cast, unless the officer accepted it."""
    missing = missing_ballots(session)
    if missing and not missing_accepted:
        raise ValidationError(
            _(
                "Còn %(members)s thành viên có mặt chưa biểu quyết đủ (%(who)s). Đánh dấu “Kết "
                "thúc dù còn phiếu chưa bỏ” nếu vẫn kết thúc phiên họp: các phiếu đó không còn "
                "bỏ được."
            )
            % {"members": len(missing), "who": ", ".join(m.member for m in missing)},
            code="missing_ballots",
        )


@transaction.atomic
def decision_issue(
    *, actor: User | None, session: CouncilSession, signer: AuthoritySigner
) -> CouncilSession:
    """Issues the decision of a closed session, once: its number comes from the authority's
    register for the year of the decision date fixed at the close ("Số: 1/QĐ-UBND"), the
    minutes' from the same register ("Số: 1/BB-HĐTĐKT"), and the signer from its profile (a
    deputy signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"). All are kept on the session, so a file made
    again shows the same numbers and signer. The signed PDFs are made after the commit
    (`session_files_publish`, queued): slow work outside this transaction, and a failure there
    leaves the decision issued and its files to be made again."""
    require_manager(actor, session.campaign)
    session = _locked(session, SessionStatus.CLOSED)
    authority = _issue_check(session)
    document = document_number_allocate(
        actor=actor,
        authority=authority,
        doc_type=DocumentType.DECISION,
        issued_on=session.decided_on or session.held_on,
        subject=_("Khen thưởng trong phong trào thi đua “%(title)s”")
        % {"title": session.campaign.title},
        signer=signer,
    )
    minutes = document_number_allocate(
        actor=actor,
        authority=authority,
        doc_type=DocumentType.MINUTES,
        issued_on=session.held_on,
        subject=_("Biên bản họp Hội đồng Thi đua - Khen thưởng ngày %(day)s")
        % {"day": f"{session.held_on:%d/%m/%Y}"},
        issuer_code=COUNCIL_CODE,
    )
    session.decision_document, session.minutes_document = document, minutes
    session.decision_number, session.minutes_number = document.reference, minutes.reference
    session.signer_post = "\n".join(
        signature_lines(signer.profile.head_title, deputy=signer.is_deputy)
    )
    session.signer_name = signer.full_name
    session.save(update_fields=ISSUE_FIELDS)
    _record(session, actor, "decision_issue", new=document.reference)
    # What the decision decides goes into the ledger with it, in this transaction.
    ledger_record_session(actor=actor, session=session)
    proposals_decide(actor=actor, session=session)
    enqueue_on_commit(FILES_TASK, session.pk, actor.pk if actor else None)
    return session


ISSUE_FIELDS = [
    "decision_document",
    "minutes_document",
    "decision_number",
    "minutes_number",
    "signer_post",
    "signer_name",
]
FILES_TASK = "votes.tasks.session_files_publish_task"


def _issue_check(session: CouncilSession) -> Unit:
    """The authority that issues the locked, closed session's decision; refuses a second issue,
    a campaign without an authority, and a session with nothing its authority decides."""
    if session.decision_number:
        raise ValidationError(
            _("Quyết định đã được cấp số %(number)s.") % {"number": session.decision_number},
            code="issued",
        )
    authority = session.campaign.authority
    if authority is None:
        raise ValidationError(_("Phong trào chưa có cơ quan phát động."), code="no_authority")
    if not decided_here(outcomes_of(session)):
        raise ValidationError(
            _("Phiên họp không có khen thưởng nào thuộc thẩm quyền để quyết định."), code="empty"
        )
    return authority


def session_files_publish(*, actor: User | None, session: CouncilSession) -> CouncilSession:
    """The issued decision's and minutes' PDFs, made once: rendered and signed with the
    authority's certificate outside any transaction, then recorded in one short one that keeps
    them only if no other run was first. Safe to run again after a failure (the queued task
    after the issue, or the officer's "make the files again"): until it succeeds the session is
    issued with its files pending (`CouncilSession.files_pending`), never half published."""
    session = CouncilSession.objects.select_related(
        "campaign__authority", "decision_document", "minutes_document"
    ).get(pk=session.pk)
    require_manager(actor, session.campaign)
    if not session.decision_number:
        raise ValidationError(_("Quyết định chưa được cấp số."), code="not_issued")
    authority = session.campaign.authority
    if not session.files_pending or authority is None:
        return session
    decision, minutes = _signed_files(actor, session, authority)
    with transaction.atomic():
        locked = CouncilSession.objects.select_for_update().get(pk=session.pk)
        if not locked.files_pending:  # another run kept its files first
            return locked
        locked.decision_file = file_record(actor=actor, authority=authority, **decision)
        locked.minutes_file = file_record(actor=actor, authority=authority, **minutes)
        locked.save(update_fields=["decision_file", "minutes_file"])
        _record(locked, actor, "decision_files_publish", new=locked.decision_number)
        _proposals_notify(locked)
    return locked


def _signed_files(
    actor: User | None, session: CouncilSession, authority: Unit
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The decision's and the minutes' PDFs, rendered, stamped and signed (`units.file_sign`),
    with what `units.file_record` keeps of each."""
    from . import documents  # the documents read this module's base salaries

    outcomes, attendance = outcomes_of(session), attendance_of(session)
    code, day = session.campaign.code, f"{session.held_on:%Y%m%d}"
    chair = next((a for a in attendance if a.present and a.role in ("chair", "vice_chair")), None)
    document, minutes_document = session.decision_document, session.minutes_document
    decision_title = _("Quyết định khen thưởng")
    minutes_title = _("Biên bản họp Hội đồng Thi đua - Khen thưởng")
    decision = {
        "signed": file_sign(
            actor=actor,
            authority=authority,
            pdf=documents.decision_pdf(session, outcomes),
            title=decision_title,
            reference=session.decision_number,
        ),
        "title": decision_title,
        "reference": session.decision_number,
        "issued_on": document.issued_on if document else session.decided_on or session.held_on,
        "signer_name": f"{document.signer_title} {document.signer_name}".strip()
        if document
        else session.signer_name,
        "file_name": f"quyet-dinh-khen-thuong-{code}-{day}.pdf",
        "document": document,
    }
    minutes = {
        "signed": file_sign(
            actor=actor,
            authority=authority,
            pdf=documents.minutes_pdf(session, outcomes, attendance),
            title=minutes_title,
            reference=session.minutes_number,
        ),
        "title": minutes_title,
        "reference": session.minutes_number,
        "issued_on": session.held_on,
        "signer_name": chair.name if chair else "",
        "file_name": f"bien-ban-hop-hoi-dong-{code}-{day}.pdf",
        "document": minutes_document,
    }
    return decision, minutes


SNAPSHOT_FIELDS = [
    "proposed",
    "nominee_label",
    "award_name",
    "yes",
    "no",
    "abstain",
    "passed",
    "multiple",
    "base_salary",
    "amount",
    "rule_label",
    "funding_source",
]


def funding_source(nomination: Nomination, term: AwardTerm) -> str:
    """Who pays: the authority's own fund for what it decides, the deciding level's fund for a
    proposal to the level above."""
    if nomination.proposed:
        return _("Quỹ thi đua, khen thưởng của cấp quyết định (%(level)s)") % {
            "level": term.get_level_display()
        }
    authority = nomination.session.campaign.authority
    return _("Quỹ thi đua, khen thưởng của %(authority)s") % {
        "authority": authority.name if authority else _("cơ quan phát động")
    }


def _fix_outcome(
    nomination: Nomination,
    box: SealedBox,
    members: int,
    salary: BaseSalary,
    day: datetime.date,
    province: Unit | None = None,
) -> None:
    """The outcome by the award's term in force on the session's date: who decides it (the
    decision's own awards or a proposal above, `selectors.award_place`), the rule (the
    province's own ratio in force that day where it set one, `selectors.vote_rule_on`), and the
    reward at that term's multiple and the base salary in force on the decision date, rounded
    up."""
    award = nomination.award
    term = award.term_on(day)
    rule = vote_rule_on(award, province, day)
    if term is None or rule is None:  # the catalogue lost the term since the nomination
        raise ValidationError(
            _("“%(award)s” không có trong danh mục áp dụng ngày %(day)s.")
            % {"award": award.name, "day": f"{day:%d/%m/%Y}"},
            code="no_term",
        )
    nomination.proposed = award_place(award, nomination.session.campaign, day) == "above"
    nomination.rule_label = rule.label
    nomination.nominee_label = nomination.nominee
    nomination.award_name = award.name
    nomination.yes, nomination.no, nomination.abstain = box.yes, box.no, box.abstain
    nomination.passed = award_passes(rule=rule, yes=box.yes, members=members)
    multiple = term.multiple_for(nomination.recipient_kind)
    nomination.multiple = multiple
    nomination.base_salary = salary.amount
    nomination.amount = (
        reward_amount(multiple=multiple, base_salary=salary.amount)
        if nomination.passed and multiple is not None
        else None
    )
    nomination.funding_source = funding_source(nomination, term) if nomination.passed else ""


# The reference data, kept by the province's emulation office -------------------------------------
# The award catalogue's numbers and the base salaries are the office's: each change names its legal
# source, is recorded, and marks the row as edited, so a data migration (votes/catalogue.py) adds
# new rows but never writes over an edited one.

AWARD_NUMBERS = (
    "threshold_percent",
    "multiple_collective",
    "multiple_individual",
    "multiple_household",
)


def may_edit_catalogue(user: User | AnonymousUser | None) -> bool:
    """The province's emulation office: a campaign manager of a province-level unit, or an
    administrator."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(
        is_campaign_manager(user)
        and Unit.objects.filter(pk__in=user_unit_ids(user), kind__level=UnitLevel.PROVINCE).exists()
    )


def require_catalogue_editor(actor: User | None) -> None:
    if actor is None:  # migrations, commands and the demo act as the system
        return
    if not may_edit_catalogue(actor):
        raise PermissionDenied(
            _("Chỉ cơ quan thi đua, khen thưởng cấp tỉnh sửa danh mục khen thưởng và lương cơ sở.")
        )


def _required_source(source: str) -> str:
    source = source.strip()
    if not source:
        raise ValidationError(
            _("Phải nêu căn cứ (văn bản, điều, khoản) của số liệu đã sửa."), code="source"
        )
    if len(source) > 255:
        raise ValidationError(_("Căn cứ dài quá 255 ký tự."), code="source")
    return source


def _catalogue_record(
    *,
    actor: User | None,
    action: str,
    subject: str,
    changes: dict[str, tuple[object, object]],
    source: str,
) -> None:
    CatalogueEvent.objects.bulk_create(
        history_line(
            CatalogueEvent,
            actor=actor,
            action=action,
            subject=subject,
            old=old,
            new=new,
            field=field,
            source=source,
        )
        for field, (old, new) in changes.items()
    )


@transaction.atomic
def award_term_update(
    *, actor: User | None, term: AwardTerm, source: str, verified: bool = False, **numbers: Any
) -> AwardTerm:
    """Change the threshold or reward multiples of an award for one period, giving the legal
    source of the new numbers (and whether it was read in the text itself): the province's own
    ratio with its regulation, a corrected multiple with its decree. The term is then the
    office's, kept by the data migrations. Nothing changed: nothing recorded."""
    require_catalogue_editor(actor)
    unknown = set(numbers) - set(AWARD_NUMBERS)
    if unknown:
        raise ValueError(f"Not award numbers: {sorted(unknown)}")
    term = AwardTerm.objects.select_for_update().select_related("award").get(pk=term.pk)
    changes = {
        name: (getattr(term, name), value)
        for name, value in numbers.items()
        if getattr(term, name) != value
    }
    if not changes:
        return term
    source = _required_source(source)
    for name, value in numbers.items():
        setattr(term, name, value)
    if "threshold_percent" in changes:
        term.threshold_source, term.threshold_verified = source, verified
    if changes.keys() - {"threshold_percent"}:
        term.multiple_source, term.multiple_verified = source, verified
    term.edited_by, term.edited_at = actor, timezone.now()
    term.full_clean()
    term.save()
    _catalogue_record(
        actor=actor, action="award_term_update", subject=str(term), changes=changes, source=source
    )
    return term


@transaction.atomic
def award_term_start(
    *,
    actor: User | None,
    term: AwardTerm,
    valid_from: datetime.date,
    texts: str,
    source: str,
) -> AwardTerm:
    """A new period of an award from `valid_from`, when a new text comes into force: the term in
    force that day ends the day before, and the new one starts with its numbers, to be changed
    with their sources (`award_term_update`). Both are then the office's, kept by the data
    migrations; the change is recorded."""
    require_catalogue_editor(actor)
    term = AwardTerm.objects.select_for_update().select_related("award").get(pk=term.pk)
    if not term.covers(valid_from) or term.valid_from == valid_from:
        raise ValidationError(
            _("Ngày bắt đầu phải nằm trong thời kỳ %(period)s, sau ngày đầu của thời kỳ.")
            % {"period": term.period_label},
            code="valid_from",
        )
    texts = texts.strip()
    if not texts:
        raise ValidationError(_("Ghi văn bản áp dụng từ ngày này."), code="texts")
    source = _required_source(source)
    now = timezone.now()
    new = AwardTerm.objects.get(pk=term.pk)
    new.pk = None
    new.valid_from, new.texts = valid_from, texts
    new.edited_by, new.edited_at = actor, now
    term.valid_to = valid_from - datetime.timedelta(days=1)
    term.edited_by, term.edited_at = actor, now
    term.full_clean()
    term.save()
    new.full_clean()
    new.save()
    _catalogue_record(
        actor=actor,
        action="award_term_start",
        subject=term.award.name,
        changes={"valid_from": ("", valid_from.isoformat()), "texts": ("", texts)},
        source=source,
    )
    return new


@transaction.atomic
def base_salary_set(
    *,
    actor: User | None,
    valid_from: datetime.date,
    amount: int,
    source: str,
    verified: bool = False,
) -> BaseSalary:
    """The mức lương cơ sở in force from `valid_from` (a new row, or a corrected amount), with
    its legal source. Nothing changed: nothing recorded."""
    require_catalogue_editor(actor)
    salary = BaseSalary.objects.select_for_update().filter(valid_from=valid_from).first()
    old = salary.amount if salary is not None else None
    old_verified = salary.verified if salary is not None else verified
    if salary is not None and old == amount and salary.verified == verified:
        return salary
    source = _required_source(source)
    if amount <= 0:
        raise ValidationError(_("Mức lương cơ sở phải lớn hơn 0."), code="amount")
    salary = salary or BaseSalary(valid_from=valid_from)
    salary.amount, salary.source, salary.verified = amount, source, verified
    salary.edited_by, salary.edited_at = actor, timezone.now()
    salary.full_clean()
    salary.save()
    _catalogue_record(
        actor=actor,
        action="base_salary_set",
        subject=valid_from.isoformat(),
        changes={
            name: values
            for name, values in {
                "amount": (old, amount),
                "verified": (old_verified, verified),
            }.items()
            if values[0] != values[1]
        },
        source=source,
    )
    return salary


# The province's own ratios ---------------------------------------------------------------------


def _province_ratio_check(province: Unit, award: Award, valid_from: datetime.date) -> None:
    """A province sets ratios for its own councils and those under it: the province must be one,
    and the award one its level or a lower one decides (an Anh hùng or a national title keeps
    the decree's ratio)."""
    if getattr(province.kind, "level", "") != UnitLevel.PROVINCE:
        raise ValidationError(
            _("Chỉ tỉnh, thành phố trực thuộc trung ương đặt tỷ lệ biểu quyết riêng."),
            code="not_a_province",
        )
    term = award.term_on(valid_from)
    if term is None:
        raise ValidationError(
            _("“%(award)s” không có trong danh mục áp dụng ngày %(day)s.")
            % {"award": award.name, "day": f"{valid_from:%d/%m/%Y}"},
            code="no_term",
        )
    if Award.RANK[term.level] > Award.RANK[Award.Level.PROVINCE]:
        raise ValidationError(
            _("Tỷ lệ của “%(award)s” do văn bản trung ương quy định: %(source)s")
            % {"award": award.name, "source": term.threshold_source},
            code="national_ratio",
        )


def _province_ratio_neighbours(
    actor: User | None,
    province: Unit,
    award: Award,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    source: str,
) -> datetime.date | None:
    """Makes room for a setting from `valid_from`: the one in force the day before ends then
    (recorded); returns the new setting's last day, the day before the next setting if that
    starts first."""
    before = (
        ProvinceRatio.objects.select_for_update()
        .filter(authority=province, award=award, valid_from__lt=valid_from)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .select_related("authority", "award")
    )
    for ratio in before:
        old = ratio.valid_to
        ratio.valid_to = valid_from - datetime.timedelta(days=1)
        ratio.edited_by, ratio.edited_at = actor, timezone.now()
        ratio.save(update_fields=["valid_to", "edited_by", "edited_at"])
        _catalogue_record(
            actor=actor,
            action="province_ratio_set",
            subject=str(ratio),
            changes={"valid_to": (old or "", ratio.valid_to)},
            source=source,
        )
    later = (
        ProvinceRatio.objects.filter(authority=province, award=award, valid_from__gt=valid_from)
        .order_by("valid_from")
        .first()
    )
    if later is not None and (valid_to is None or valid_to >= later.valid_from):
        return later.valid_from - datetime.timedelta(days=1)
    return valid_to


@transaction.atomic
def province_ratio_set(
    *,
    actor: User | None,
    province: Unit,
    award: Award,
    valid_from: datetime.date,
    rule: str,
    threshold_percent: int,
    source: str,
    valid_to: datetime.date | None = None,
    verified: bool = False,
) -> ProvinceRatio:
    """The ratio the province's own regulation sets for an award from `valid_from` (NĐ 152/2025
    Điều 6 khoản 2 điểm đ, e; LAW.md W3-W5), with its source (the regulation's number, article,
    clause): the setting in force the day before ends then; one from the same day is changed.
    Only the province's own officers set it; each change is recorded in the catalogue's
    history. Nothing changed: nothing recorded."""
    require_authority_manager(actor, province)
    _province_ratio_check(province, award, valid_from)
    source = _required_source(source)
    valid_to = _province_ratio_neighbours(actor, province, award, valid_from, valid_to, source)
    ratio = ProvinceRatio.objects.select_for_update().filter(
        authority=province, award=award, valid_from=valid_from
    ).first() or ProvinceRatio(authority=province, award=award, valid_from=valid_from)
    wanted = {
        "rule": rule,
        "threshold_percent": threshold_percent,
        "valid_to": valid_to,
        "source": source,
        "verified": verified,
    }
    changes = {
        name: (getattr(ratio, name) if ratio.pk else "", value)
        for name, value in wanted.items()
        if (getattr(ratio, name) != value if ratio.pk else value is not None)
    }
    if not changes:
        return ratio
    for name, value in wanted.items():
        setattr(ratio, name, value)
    ratio.edited_by, ratio.edited_at = actor, timezone.now()
    ratio.full_clean()
    ratio.save()
    _catalogue_record(
        actor=actor,
        action="province_ratio_set",
        subject=str(ratio),
        changes={name: values for name, values in changes.items() if name != "source"},
        source=source,
    )
    return ratio


# The award ledger -------------------------------------------------------------------------------
# Every award decided, wherever it was decided: written when a decision of the portal is issued
# (`ledger_record_session`, in `decision_issue`'s transaction), or brought in from past years'
# papers (`award_entries_import`, the `awards` sheet). The same award twice is one entry.


def _ledger_record(
    *, actor: User | None, action: str, entries: list[AwardEntry], reason: str = ""
) -> None:
    LedgerEvent.objects.bulk_create(
        history_line(
            LedgerEvent,
            actor=actor,
            action=action,
            subject=f"{entry.recipient} · {entry.award_name} · {entry.year}"[:255],
            new=f"{entry.decision_number} ({entry.decision_date:%d/%m/%Y})"
            + (f" · {reason}" if reason else ""),
            authority_id=entry.authority_id,
            entry=entry,
        )
        for entry in entries
    )


def _entry(**values: Any) -> AwardEntry:
    entry = AwardEntry(**values)
    entry.search_text = entry_search_text(
        person_name=entry.person_name,
        unit_name=entry.unit_name,
        award_name=entry.award_name,
        decision_number=entry.decision_number,
        signer=entry.signer,
    )
    return entry


def ledger_record_session(*, actor: User | None, session: CouncilSession) -> list[AwardEntry]:
    """The awards the session's issued decision decides (`selectors.decided_here`), into the
    ledger of its authority, in the caller's transaction (`decision_issue`): one entry per
    nomination, once."""
    authority = session.campaign.authority
    if authority is None or not session.decision_number:
        raise ValidationError(_("Quyết định chưa được ban hành."), code="not_issued")
    decided = [o.nomination for o in decided_here(outcomes_of(session))]
    recorded = set(
        AwardEntry.objects.filter(nomination__in=decided).values_list("nomination_id", flat=True)
    )
    entries = [
        _entry(
            authority=authority,
            recipient_kind=nomination.recipient_kind,
            unit=nomination.enrolment.unit,
            unit_name=nomination.enrolment.unit.name,
            person_name=nomination.person_name,
            award=nomination.award,
            award_name=nomination.award_name or nomination.award.name,
            year=nomination_year(session),
            campaign=session.campaign,
            session=session,
            nomination=nomination,
            decision_number=session.decision_number,
            decision_date=session.decided_on or session.held_on,
            signer=session.signer_name,
            amount=nomination.amount,
            source=AwardEntry.Source.DECISION,
            created_by=actor,
        )
        for nomination in decided
        if nomination.pk not in recorded
    ]
    AwardEntry.objects.bulk_create(entries)
    _ledger_record(actor=actor, action="ledger_record", entries=entries)
    return entries


@dataclass(frozen=True)
class AwardLine:
    """One row of an `awards` sheet, its cells checked (`votes.ledger_sheet.award_lines`)."""

    row: Row
    recipient_kind: str
    unit_code: str
    person_name: str
    award_code: str
    year: int
    decision_number: str
    decision_date: datetime.date
    signer: str


@dataclass(frozen=True)
class LedgerImport:
    created: int
    unchanged: int


def may_keep_ledger(user: User | AnonymousUser | None, authority: Unit) -> bool:
    """The authority's campaign manager (or an administrator) brings its past awards in."""
    if user is None or not user.is_authenticated:
        return False
    if not (user.is_superuser or is_campaign_manager(user)):
        return False
    return authority.pk in managed_unit_ids(user, [authority.pk])


def _import_targets(
    authority: Unit, lines: list[AwardLine]
) -> tuple[dict[str, Unit], dict[str, Award]]:
    """The units (under the authority) and the awards the lines name; the first unknown or
    foreign one refuses the file, naming its row."""
    codes = {line.unit_code for line in lines}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    inside = set(unit_subtree([authority.pk]).filter(code__in=codes).values_list("code", flat=True))
    awards = {a.code: a for a in Award.objects.filter(code__in={li.award_code for li in lines})}
    for line in lines:
        if line.unit_code not in units:
            raise line.row.error(
                "unit_code", _("không có đơn vị mã “%(code)s”.") % {"code": line.unit_code}
            )
        if line.unit_code not in inside:
            raise line.row.error(
                "unit_code",
                _("đơn vị “%(code)s” không thuộc %(authority)s.")
                % {"code": line.unit_code, "authority": authority.name},
            )
        award = awards.get(line.award_code)
        if award is None:
            raise line.row.error(
                "award_code",
                _("không có danh hiệu, hình thức mã “%(code)s” trong danh mục.")
                % {"code": line.award_code},
            )
        if not award.allows(line.recipient_kind):
            raise line.row.error(
                "award_code",
                _("“%(award)s” không tặng cho đối tượng “%(kind)s”.")
                % {"award": award.name, "kind": RecipientKind(line.recipient_kind).label},
            )
    return units, awards


@transaction.atomic
def award_entries_import(
    *, actor: User | None, authority: Unit, lines: list[AwardLine]
) -> LedgerImport:
    """Past awards into the authority's ledger, all or nothing: every unit must lie under the
    authority and every award be in the catalogue, else the first bad row refuses the file
    (its sheet, row, column and reason). An entry already held (same recipient, award, year and
    decision) is left as it is, so the same file twice adds nothing. `actor` None is the system
    (the command, the demo)."""
    if actor is not None and not may_keep_ledger(actor, authority):
        raise PermissionDenied(_("Chỉ cán bộ phụ trách thi đua của cơ quan nhập sổ khen thưởng."))
    units, awards = _import_targets(authority, lines)
    held = set(
        AwardEntry.objects.filter(authority=authority, unit__in=units.values()).values_list(
            "recipient_kind", "unit_id", "person_name", "award_id", "year", "decision_number"
        )
    )
    entries = []
    for line in lines:
        unit, award = units[line.unit_code], awards[line.award_code]
        key = (
            line.recipient_kind,
            unit.pk,
            line.person_name,
            award.pk,
            line.year,
            line.decision_number,
        )
        if key in held:
            continue
        held.add(key)
        entries.append(
            _entry(
                authority=authority,
                recipient_kind=line.recipient_kind,
                unit=unit,
                unit_name=unit.name,
                person_name=line.person_name,
                award=award,
                award_name=award.name,
                year=line.year,
                decision_number=line.decision_number,
                decision_date=line.decision_date,
                signer=line.signer,
                source=AwardEntry.Source.IMPORT,
                created_by=actor,
            )
        )
    AwardEntry.objects.bulk_create(entries)
    _ledger_record(actor=actor, action="ledger_import", entries=entries)
    return LedgerImport(created=len(entries), unchanged=len(lines) - len(entries))


# Proposals to the province ------------------------------------------------------------------------
# A commune's council adopts awards its chairman cannot decide as a proposal (hồ sơ đề nghị khen
# thưởng) to its province. The commune's officer makes the file from the closed session, may
# replace each generated document with an edited one, and sends it; the province's emulation
# office returns it with a reason (the commune corrects and sends again) or puts it on a session
# of the province's council, whose issued decision makes it decided and tells the commune.


def may_receive_proposals(user: User | AnonymousUser | None, province: Unit) -> bool:
    """The province's emulation office: a campaign manager who is a member of the province (or
    of a unit above it), or an administrator."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(is_campaign_manager(user) and is_unit_or_below(province.pk, user_unit_ids(user)))


def require_province_officer(actor: User | None, province: Unit) -> None:
    if actor is None:  # commands and the demo act as the system
        return
    if not may_receive_proposals(actor, province):
        raise PermissionDenied(
            _("Chỉ cơ quan thi đua, khen thưởng của %(p)s xử lý hồ sơ này.") % {"p": province.name}
        )


def _proposal_record(
    proposal: Proposal,
    actor: User | None,
    action: str,
    *,
    old: object = "",
    new: object = "",
    subject: str = "",
    reason: str = "",
) -> None:
    history_record(
        ProposalEvent,
        proposal=proposal,
        actor=actor,
        action=action,
        subject=subject,
        old=old,
        new=new,
        reason=reason,
    )


def _proposal_move(
    proposal: Proposal,
    actor: User | None,
    action: str,
    to: ProposalStatus,
    *,
    fields: dict[str, object] | None = None,
    subject: str = "",
    reason: str = "",
) -> None:
    """A file's step: its new status (and the fields that go with it) saved, and its history
    line from the old status to the new one."""
    old = ProposalStatus(proposal.status).label
    proposal.status = to
    for name, value in (fields or {}).items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["status", *(fields or {})])
    _proposal_record(proposal, actor, action, old=old, new=to.label, subject=subject, reason=reason)


def _proposal_locked(proposal: Proposal, *expected: str) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("session__campaign__authority", "province", "round")
        .get(pk=proposal.pk)
    )
    if proposal.status not in expected:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái “%(status)s”: không thể thực hiện.")
            % {"status": proposal.get_status_display()},
            code="state",
        )
    return proposal


def _proposal_url(proposal: Proposal) -> str:
    return reverse("votes:proposal", args=[proposal.pk])


@transaction.atomic
def proposal_round_create(
    *, actor: User | None, authority: Unit, name: str, deadline: datetime.date
) -> ProposalRound:
    """A round (đợt xét) of the province's, with the last day its communes' proposals are on
    time; set by the province's emulation office."""
    if getattr(authority.kind, "level", "") != UnitLevel.PROVINCE:
        raise ValidationError(_("Chỉ cấp tỉnh mở đợt xét khen thưởng."), code="level")
    require_province_officer(actor, authority)
    name = name.strip()
    if ProposalRound.objects.filter(authority=authority, name=name).exists():
        raise ValidationError(_("Đã có đợt xét “%(name)s”.") % {"name": name}, code="name")
    found = ProposalRound(authority=authority, name=name, deadline=deadline, created_by=actor)
    found.full_clean()
    found.save()
    authority_event_record(
        authority=authority,
        actor=actor,
        action="proposal_round_create",
        subject=name,
        new=f"{deadline:%d/%m/%Y}",
    )
    return found


@transaction.atomic
def proposal_create(
    *, actor: User | None, session: CouncilSession, round: ProposalRound | None = None
) -> Proposal:
    """The file of a closed commune session whose council passed awards the province decides,
    in draft: addressed to the province the session's authority lies in, in `round` if given."""
    require_manager(actor, session.campaign)
    session = _locked(session, SessionStatus.CLOSED)
    if Proposal.objects.filter(session=session).exists():
        raise ValidationError(_("Phiên họp này đã có hồ sơ đề nghị."), code="exists")
    if not proposal_nominations(session):
        raise ValidationError(
            _("Phiên họp không có đề nghị nào được thông qua để trình cấp trên."), code="empty"
        )
    province = province_of(session.campaign.authority)
    if province is None or province.pk == session.campaign.authority_id:
        raise ValidationError(
            _("Cơ quan phát động không thuộc một tỉnh để gửi hồ sơ đề nghị."), code="no_province"
        )
    if round is not None and round.authority_id != province.pk:
        raise ValidationError(
            _("Đợt xét không phải của %(p)s.") % {"p": province.name}, code="round"
        )
    proposal = Proposal.objects.create(
        session=session, province=province, round=round, created_by=actor
    )
    _proposal_record(proposal, actor, "proposal_create", new=ProposalStatus.DRAFT.label)
    return proposal


@transaction.atomic
def proposal_file_replace(
    *, actor: User | None, proposal: Proposal, document: str, upload: UploadedFile
) -> ProposalFile:
    """An edited version of one document of the file (a Word, Excel or PDF file), replacing
    the generated one or the version uploaded before; while the proposal is a draft or was
    returned (the correction)."""
    proposal = _proposal_locked(proposal, ProposalStatus.DRAFT, ProposalStatus.RETURNED)
    require_manager(actor, proposal.session.campaign)
    docs = {doc.key: doc for doc in proposal_documents(proposal)}
    if document not in docs:
        raise ValidationError(_("Hồ sơ không có văn bản này."), code="document")
    sha256, content_type = check_upload(upload, DOCUMENT_TYPES)
    old = proposal.files.filter(document=document).first()
    if old is not None:  # its file leaves the disk once the replacement is committed
        storage, name = old.file.storage, old.file.name
        old.delete()
        transaction.on_commit(lambda: storage.delete(name))
    stored = ProposalFile(
        proposal=proposal,
        document=document,
        file=upload,
        original_name=upload.name or document,
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=actor,
    )
    stored.save()
    _proposal_record(
        proposal,
        actor,
        "proposal_file_replace",
        subject=docs[document].label,
        old=old.original_name if old else _("bản do hệ thống lập"),
        new=stored.original_name,
    )
    return stored


def _default_round(province: Unit, day: datetime.date) -> ProposalRound | None:
    """The round a proposal sent on `day` falls in: the next deadline, else the latest round."""
    rounds = ProposalRound.objects.filter(authority=province)
    return (
        rounds.filter(deadline__gte=day).order_by("deadline", "pk").first()
        or rounds.order_by("-deadline", "-pk").first()
    )


@transaction.atomic
def proposal_send(
    *, actor: User | None, proposal: Proposal, round: ProposalRound | None = None
) -> Proposal:
    """Sends the file to the province, a draft or a returned one corrected: in `round` (else
    the one it has, else the province's next deadline); marked late when sent after the round's
    deadline, never refused. The province's office is told."""
    proposal = _proposal_locked(proposal, ProposalStatus.DRAFT, ProposalStatus.RETURNED)
    require_manager(actor, proposal.session.campaign)
    if round is not None and round.authority_id != proposal.province_id:
        raise ValidationError(
            _("Đợt xét không phải của %(p)s.") % {"p": proposal.province.name}, code="round"
        )
    missing = [doc.label for doc in proposal_documents(proposal) if not doc.present]
    if missing:
        raise ValidationError(
            _("Hồ sơ còn thiếu: %(docs)s. Tải lên bản đã soạn trước khi gửi.")
            % {"docs": "; ".join(missing)},
            code="incomplete",
        )
    now = timezone.now()
    round = round or proposal.round or _default_round(proposal.province, now.date())
    late = bool(round and timezone.localdate(now) > round.deadline)
    _proposal_move(
        proposal,
        actor,
        "proposal_send",
        ProposalStatus.SENT,
        fields={"round": round, "late": late, "sent_at": now, "return_reason": ""},
        subject=str(round or ""),
        reason=_("Nộp muộn") if late else "",
    )
    commune = proposal.session.campaign.authority
    notify(
        users=officers_of([proposal.province_id]),
        subject=_("Hồ sơ đề nghị khen thưởng của %(unit)s") % {"unit": commune},
        body=_("Đợt xét: %(round)s%(late)s")
        % {
            "round": proposal.round or "—",
            "late": _(" (nộp muộn)") if proposal.late else "",
        },
        url=_proposal_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_return(*, actor: User | None, proposal: Proposal, reason: str) -> Proposal:
    """The province's office returns a sent file with its reason; the commune's officers are
    told, correct it and send it again."""
    proposal = _proposal_locked(proposal, ProposalStatus.SENT)
    require_province_officer(actor, proposal.province)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Ghi lý do trả lại hồ sơ."), code="reason")
    _proposal_move(
        proposal,
        actor,
        "proposal_return",
        ProposalStatus.RETURNED,
        fields={"return_reason": reason},
        reason=reason,
    )
    commune = proposal.session.campaign.authority
    notify(
        users=officers_of([commune.pk]) if commune else [],
        subject=_("Hồ sơ đề nghị khen thưởng bị trả lại: %(session)s")
        % {"session": proposal.session},
        body=_("Lý do: %(reason)s") % {"reason": reason},
        url=_proposal_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_schedule(
    *, actor: User | None, proposal: Proposal, session: CouncilSession
) -> Proposal:
    """Puts a sent file on a session in preparation of one of the province's own campaigns: each
    proposed nominee becomes a nomination of that session, carrying the commune's (`origin`,
    the commune's enrolment), voted like the province's own. The commune's nominations were
    already within its quotas; the province's quotas are for its own units."""
    proposal = _proposal_locked(proposal, ProposalStatus.SENT)
    require_province_officer(actor, proposal.province)
    session = _locked(session, SessionStatus.PLANNED)
    if session.campaign.authority_id != proposal.province_id:
        raise ValidationError(
            _("Phiên họp không thuộc phong trào của %(p)s.") % {"p": proposal.province.name},
            code="session",
        )
    require_manager(actor, session.campaign)
    for origin in proposal_nominations(proposal.session):
        place = award_place(origin.award, session.campaign, session.held_on)
        if place is None or place == "below":
            raise ValidationError(
                _("“%(award)s” không thuộc thẩm quyền xét của %(p)s ngày %(day)s.")
                % {
                    "award": origin.award.name,
                    "p": proposal.province.name,
                    "day": f"{session.held_on:%d/%m/%Y}",
                },
                code="level",
            )
        nomination = Nomination(
            session=session,
            recipient_kind=origin.recipient_kind,
            enrolment=origin.enrolment,
            person_name=origin.person_name,
            position=origin.position,
            address=origin.address,
            award=origin.award,
            final_score=origin.final_score,
            achievements=origin.achievements,
            proposed=place == "above",
            origin=origin,
        )
        nomination.full_clean()
        nomination.save()
        _record(session, actor, "nomination_add", nomination.nominee, origin.award.name)
    _proposal_move(
        proposal,
        actor,
        "proposal_schedule",
        ProposalStatus.SCHEDULED,
        fields={"province_session": session},
        subject=str(session),
    )
    return proposal


def proposals_decide(*, actor: User | None, session: CouncilSession) -> list[Proposal]:
    """Called by `decision_issue` in its transaction: the files put on this province session are
    decided. Their communes are told once the signed decision exists (`session_files_publish`,
    `_proposals_notify`), so the notice links to it."""
    proposals = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(province_session=session, status=ProposalStatus.SCHEDULED)
        .select_related("session__campaign__authority")
    )
    for proposal in proposals:
        _proposal_move(
            proposal,
            actor,
            "proposal_decide",
            ProposalStatus.DECIDED,
            subject=session.decision_number,
        )
    return proposals


def _proposals_notify(session: CouncilSession) -> None:
    """Each commune whose file this province session decided is told what passed, with the link
    to the signed decision's verification page."""
    proposals = Proposal.objects.filter(
        province_session=session, status=ProposalStatus.DECIDED
    ).select_related("session__campaign__authority")
    url = reverse("verify", args=[session.decision_file.code]) if session.decision_file else ""
    for proposal in proposals:
        carried = session.nominations.filter(origin__session=proposal.session).select_related(
            "enrolment__unit"
        )
        lines = [
            f"{n.nominee} — {n.award_name}: {_('Đạt') if n.passed else _('Không đạt')}"
            for n in carried
        ]
        commune = proposal.session.campaign.authority
        notify(
            users=officers_of([commune.pk]) if commune else [],
            subject=_("Quyết định khen thưởng %(number)s về hồ sơ đề nghị của %(unit)s")
            % {"number": session.decision_number, "unit": commune},
            body="\n".join(lines),
            url=url or _proposal_url(proposal),
        )
