"""Reads for the council pages and documents. No count leaves the database before the close:
the only reads of votes are the closed nominations' snapshots."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CouncilSeat
from units.models import Unit, UnitKind, UnitLevel

from .models import (
    Attendance,
    Award,
    CouncilSession,
    Designation,
    Nomination,
    Quota,
    SessionStatus,
    VoteReceipt,
)


def award_levels_during(starts_on: datetime.date, ends_on: datetime.date) -> set[str]:
    """The award levels that exist on some day of [starts_on, ends_on], from the units' data: a
    level of units (tỉnh, huyện, xã) exists while a kind of unit of that level does
    (`UnitKind.valid_until`: huyện until 30/06/2025) or a unit of such a kind is in force; the
    levels above the units' (ministries, the Prime Minister, the President) always do."""
    kinds = UnitKind.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=starts_on))
    units = Unit.objects.valid_during(starts_on, ends_on)  # type: ignore[attr-defined]
    existing = set(kinds.values_list("level", flat=True)) | set(
        units.values_list("kind__level", flat=True).distinct()
    )
    return {
        level for level in Award.Level.values if level not in UnitLevel.values or level in existing
    }


def awards_for(campaign: Campaign) -> QuerySet[Award]:
    """The awards a nomination of the campaign may name: of a level that exists on the
    campaign's dates, and not of a level below its authority's (the service refuses both)."""
    levels = award_levels_during(campaign.starts_on, campaign.ends_on)
    awards = Award.objects.filter(level__in=levels)
    level = authority_level(campaign)
    if level is None:
        return awards
    return awards.filter(pk__in=[a.pk for a in awards if a.decided_at(level) != "below"])


def authority_level(campaign: Campaign) -> str | None:
    """The awarding level of the campaign's authority: the level of its kind (tỉnh, huyện, xã),
    or, for an agency or an MTTQ committee, that of the nearest unit above it; None if no unit
    up the chain has one (the level rule is then not applied)."""
    unit = campaign.authority
    while unit is not None:
        level = getattr(unit.kind, "level", "")
        if level in Award.RANK:
            return str(level)
        unit = unit.parent
    return None


def sessions_of(campaign: Campaign) -> QuerySet[CouncilSession]:
    return campaign.sessions.all()


def attendance_of(session: CouncilSession) -> list[Attendance]:
    """Thành phần tham dự: once voting opened, the rows it froze; before, one per council seat
    in force on the session's date, each marked present as recorded so far."""
    rows = list(session.attendance.select_related("user"))
    if session.status != SessionStatus.PLANNED:
        return rows
    present = {row.user_id for row in rows if row.present}
    return [
        Attendance(
            session=session,
            user=seat.user,
            role=seat.role,
            present=seat.user_id in present,
        )
        for seat in seats_of(session)
    ]


def seats_of(session: CouncilSession) -> list[CouncilSeat]:
    """The council seats in force on the session's date: its attendance list while planned."""
    return list(
        CouncilSeat.objects.in_force(session.held_on)
        .filter(campaign_id=session.campaign_id)
        .select_related("user")
        .order_by("pk")
    )


def nominations_of(session: CouncilSession) -> QuerySet[Nomination]:
    return session.nominations.select_related("enrolment__unit", "award", "session").order_by("pk")


def voted_by(session: CouncilSession, user: User) -> set[int]:
    """The nominations this member has voted on (their own receipts, never a choice)."""
    return set(
        VoteReceipt.objects.filter(nomination__session=session, user=user).values_list(
            "nomination_id", flat=True
        )
    )


@dataclass
class MissingBallots:
    """A member present at the opening and the nominations they have cast no ballot on."""

    member: str
    nominations: list[Nomination]

    def __str__(self) -> str:
        return _("%(member)s chưa biểu quyết: %(what)s") % {
            "member": self.member,
            "what": "; ".join(f"{n.nominee} ({n.award.name})" for n in self.nominations),
        }


def missing_ballots(session: CouncilSession) -> list[MissingBallots]:
    """While voting is open: who, present at the opening, has not voted on what (from the
    receipts: who voted, never how). A written vote counts as the member's ballot."""
    if session.status != SessionStatus.VOTING:
        return []
    nominations = list(nominations_of(session))
    cast = set(
        VoteReceipt.objects.filter(nomination__session=session).values_list(
            "user_id", "nomination_id"
        )
    )
    missing = []
    for row in session.attendance.select_related("user").filter(present=True).order_by("pk"):
        not_cast = [n for n in nominations if (row.user_id, n.pk) not in cast]
        if not_cast:
            missing.append(MissingBallots(row.name, not_cast))
    return missing


def percent(part: int, whole: int) -> str:
    """ "66,67" — two decimals, half-up, a decimal comma; whole numbers without decimals."""
    if not whole:
        return "0"
    value = (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{value:.2f}".replace(".", ",")
    return text.removesuffix(",00")


def money(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".") + " đ"


@dataclass(frozen=True)
class Outcome:
    """A closed nomination as the minutes and the decision write it."""

    nomination: Nomination
    members: int

    @property
    def share(self) -> str:
        """ "x/y thành viên (z%)": yes votes against ALL members."""
        yes = self.nomination.yes or 0
        return f"{yes}/{self.members} thành viên ({percent(yes, self.members)}%)"

    def share_of(self, count: int | None) -> str:
        return f"{count or 0}/{self.members} ({percent(count or 0, self.members)}%)"

    @property
    def no_share(self) -> str:
        return self.share_of(self.nomination.no)

    @property
    def abstain_share(self) -> str:
        return self.share_of(self.nomination.abstain)

    @property
    def amount(self) -> str:
        return money(self.nomination.amount)


def outcomes_of(session: CouncilSession) -> list[Outcome]:
    """The closed session's snapshot; nothing before the close."""
    if session.status != SessionStatus.CLOSED:
        return []
    return [Outcome(n, session.member_count or 0) for n in nominations_of(session)]


def passed_nominations(campaigns: QuerySet[Campaign]) -> QuerySet[Nomination]:
    """The one rule of what the council's decisions make public: the nominations that passed
    at a closed session of these campaigns, newest session first (the public page, the API)."""
    return (
        Nomination.objects.filter(
            session__campaign__in=campaigns, session__status=SessionStatus.CLOSED, passed=True
        )
        .select_related("enrolment__unit", "award", "session__campaign")
        .order_by("-session__held_on", "-session__pk", "pk")
    )


def commended(campaign: Campaign) -> list[Outcome]:
    """What closed sessions of the campaign passed, for the public page."""
    return [
        Outcome(nomination, nomination.session.member_count or 0)
        for nomination in passed_nominations(Campaign.objects.filter(pk=campaign.pk))
    ]


def decided_here(outcomes: list[Outcome]) -> list[Outcome]:
    """What passed and the authority decides itself: the decision's Điều 1."""
    return [o for o in outcomes if o.nomination.passed and not o.nomination.proposed]


def proposed_above(outcomes: list[Outcome]) -> list[Outcome]:
    """What passed as a proposal to the level above: the tờ trình's second part."""
    return [o for o in outcomes if o.nomination.passed and o.nomination.proposed]


@dataclass(frozen=True)
class FundingTotal:
    source: str
    count: int
    total: int

    @property
    def amount(self) -> str:
        return money(self.total)


def funding_totals(outcomes: list[Outcome]) -> list[FundingTotal]:
    """The rewards that passed, totalled per funding source fixed at the close."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        nomination = outcome.nomination
        if nomination.passed and nomination.amount is not None:
            row = totals[nomination.funding_source or _("Chưa xác định")]
            row[0] += 1
            row[1] += nomination.amount
    return [FundingTotal(source, count, total) for source, (count, total) in totals.items()]


def quotas_of(campaign: Campaign) -> QuerySet[Quota]:
    return campaign.award_quotas.select_related("block", "award")


def designations_of(session: CouncilSession) -> QuerySet[Designation]:
    return session.designations.select_related("enrolment__unit", "enrolment__block")


def designations_public(campaign: Campaign) -> QuerySet[Designation]:
    """Điển hình tiên tiến the council chose at its closed sessions."""
    return Designation.objects.filter(
        session__campaign=campaign, session__status=SessionStatus.CLOSED
    ).select_related("enrolment__unit", "session")


@dataclass(frozen=True)
class Leading:
    """A unit leading its cụm/khối in the published results, with the reasons, and the reason
    the designation form starts from."""

    result: object
    reasons: list[tuple[str, bool]]

    @property
    def suggested_reason(self) -> str:
        result = self.result
        block = result.block.name if result.block_id else _("toàn phong trào")  # type: ignore[attr-defined]
        return _(
            "Dẫn đầu %(block)s: %(score)s điểm, xếp loại %(band)s, nộp đúng hạn, không vi phạm "
            "tiêu chí bắt buộc."
        ) % {
            "block": block,
            "score": result.final_score,  # type: ignore[attr-defined]
            "band": result.get_classification_display(),  # type: ignore[attr-defined]
        }


def leading_units(campaign: Campaign) -> list[Leading]:
    """The units flagged "Dẫn đầu cụm/khối" in the published run, with why."""
    from scoring.models import Result  # votes sits on top of scoring
    from scoring.selectors import exemplary_reasons

    results = Result.objects.filter(
        run__campaign=campaign, run__is_published=True, exemplary=True
    ).select_related("block", "enrolment")
    return [Leading(r, exemplary_reasons(r, campaign)) for r in results]


def leading_candidates(session: CouncilSession) -> list[Leading]:
    """Leading units not yet designated at this session: the prefilled designations."""
    chosen = set(
        session.designations.filter(recipient_kind="collective").values_list(
            "enrolment_id", flat=True
        )
    )
    return [
        lead
        for lead in leading_units(session.campaign)
        if lead.result.enrolment_id not in chosen  # type: ignore[attr-defined]
    ]
