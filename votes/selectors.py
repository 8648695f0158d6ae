"""Reads for the council pages and documents. No count leaves the database before the close:
the only reads of votes are the closed nominations' snapshots."""

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CouncilSeat
from campaigns.selectors import council_campaign_ids
from units.models import Unit, UnitKind, UnitLevel
from units.roles import Role
from units.rules import authority_root_ids, user_unit_ids
from units.selectors import unit_subtree

from .models import (
    Attendance,
    Award,
    AwardTerm,
    BaseSalary,
    CouncilSession,
    Designation,
    Nomination,
    Proposal,
    ProposalDocument,
    ProposalEvent,
    ProposalFile,
    ProposalRound,
    ProposalStatus,
    Quota,
    SessionStatus,
    VoteReceipt,
)


def base_salary_on(day: datetime.date) -> BaseSalary:
    """The mức lương cơ sở in force on `day` (the services and the documents read it)."""
    salary = BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if salary is None:
        raise ValidationError(
            _("Chưa có mức lương cơ sở áp dụng ngày %(day)s.") % {"day": f"{day:%d/%m/%Y}"},
            code="no_base_salary",
        )
    return salary


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
    """The awards a nomination of the campaign may name: with a term in force on some day of the
    campaign's dates, at a level that exists then (`award_levels_during`), and not of a level
    below its authority's on its last day (the service refuses both)."""
    starts, ends = campaign.starts_on, campaign.ends_on
    awards = Award.objects.filter(
        Q(terms__valid_from__isnull=True) | Q(terms__valid_from__lte=ends),
        Q(terms__valid_to__isnull=True) | Q(terms__valid_to__gte=starts),
        terms__level__in=award_levels_during(starts, ends),
    ).distinct()
    level = authority_level(campaign)  # once, not once per award
    if level is None:
        return awards
    terms = [(award.pk, award.term_on(ends)) for award in awards.prefetch_related("terms")]
    below = [pk for pk, term in terms if term is not None and term.decided_at(level) == "below"]
    return awards.exclude(pk__in=below)


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


def award_place(award: Award, campaign: Campaign, day: datetime.date) -> str | None:
    """The one rule of who decides (Luật 06/2022 Điều 80, the catalogue's terms): "own" when the
    campaign's authority decides the award itself on `day` (its decision lists it), "above"
    when the council only proposes it to the level above (the tờ trình carries it, never the
    decision), "below" when it belongs to a lower level; None when the catalogue has no term for
    the award on that day. An authority without a level decides what its council adopts."""
    term = award.term_on(day)
    if term is None:
        return None
    level = authority_level(campaign)
    return "own" if level is None else term.decided_at(level)


def awards_on(day: datetime.date) -> QuerySet[Award]:
    """The awards the catalogue has a term for on `day` (the district's Giấy khen ends with the
    district on 30/6/2025)."""
    return Award.objects.filter(
        Q(terms__valid_from__isnull=True) | Q(terms__valid_from__lte=day),
        Q(terms__valid_to__isnull=True) | Q(terms__valid_to__gte=day),
    ).distinct()


def deciding_level(nomination: Nomination) -> str:
    """The level that decides the nomination's award by the term in force on its session's date
    ("" if the catalogue has none)."""
    term = nomination.award.term_on(nomination.session.held_on)
    return term.level if term else ""


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
    return (
        session.nominations.select_related(
            "enrolment__unit", "award", "session", "origin__session__campaign__authority"
        )
        .prefetch_related("award__terms")
        .order_by("pk")
    )


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

    @property
    def level_label(self) -> str:
        """The deciding level in words, by the term in force on the session's date."""
        level = deciding_level(self.nomination)
        return str(Award.Level(level).label) if level else ""


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
        .prefetch_related("award__terms")
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


def sessions_ahead(user: User, limit: int = 10) -> QuerySet[CouncilSession]:
    """Sessions not yet closed of the campaigns whose council the user sits on, soonest first."""
    return (
        CouncilSession.objects.filter(campaign_id__in=council_campaign_ids(user))
        .exclude(status=SessionStatus.CLOSED)
        .select_related("campaign")
        .order_by("held_on", "pk")[:limit]
    )


def catalogue_terms() -> QuerySet[AwardTerm]:
    """Every award's terms, oldest first within each award (the catalogue page, the export)."""
    return AwardTerm.objects.select_related("award", "edited_by")


# The CSV's words for the catalogue's levels, kinds and rules (../shared/DOMAIN.md).
EXPORT_LEVEL = {
    "commune": "commune",
    "district": "district",
    "province": "province",
    "ministry": "province",
    "prime_minister": "national",
    "president": "national",
}
EXPORT_KIND = {"title": "title", "commendation": "form"}
EXPORT_RULE = {"secret_ballot": "ballot", "majority": "majority"}
CATALOGUE_COLUMNS = [
    "award_code",
    "award_name",
    "kind",
    "recipient",
    "level",
    "valid_from",
    "valid_to",
    "multiple",
    "vote_rule",
    "threshold_percent",
    "source",
    "verified",
]


def catalogue_export_rows() -> list[dict[str, str]]:
    """One row per award, recipient kind and period, in the columns of DOMAIN.md: the deciding
    level, the multiple, the rule and its threshold, with the sources of all three; verified
    only when both the multiple and the threshold were checked in the text."""
    rows = []
    for term in catalogue_terms():
        award = term.award
        for recipient in ("collective", "individual", "household"):
            if not award.allows(recipient):
                continue
            multiple = term.multiple_for(recipient)
            rows.append(
                {
                    "award_code": award.code,
                    "award_name": award.name,
                    "kind": EXPORT_KIND[award.kind],
                    "recipient": recipient,
                    "level": EXPORT_LEVEL[term.level],
                    "valid_from": term.valid_from.isoformat() if term.valid_from else "",
                    "valid_to": term.valid_to.isoformat() if term.valid_to else "",
                    "multiple": "" if multiple is None else f"{multiple.normalize():f}",
                    "vote_rule": EXPORT_RULE[term.rule],
                    "threshold_percent": str(term.threshold_percent),
                    "source": "; ".join(
                        f"{label}: {text}"
                        for label, text in (
                            (_("Thẩm quyền"), term.level_source),
                            (_("Tỷ lệ"), term.threshold_source),
                            (_("Mức thưởng"), term.multiple_source),
                        )
                        if text
                    ),
                    "verified": "true"
                    if term.multiple_verified and term.threshold_verified
                    else "false",
                }
            )
    return rows


def catalogue_csv() -> str:
    """The catalogue as CSV text, header first (`manage.py export_catalogue`, the download)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(catalogue_export_rows())
    return buffer.getvalue()


# Proposals to the province ------------------------------------------------------------------------


def province_of(unit: Unit | None) -> Unit | None:
    """The province a unit lies in (itself if it is one): where its proposals go."""
    while unit is not None:
        if getattr(unit.kind, "level", "") == UnitLevel.PROVINCE:
            return unit
        unit = unit.parent
    return None


def officers_of(unit_ids: Iterable[int]) -> QuerySet[User]:
    """The active campaign managers (cán bộ phụ trách thi đua) who are members of these units:
    whom a proposal's notices reach."""
    return User.objects.filter(
        memberships__unit_id__in=list(unit_ids),
        groups__name=Role.CAMPAIGN_MANAGER,
        is_active=True,
    ).distinct()


def proposals_for(user: User | AnonymousUser) -> QuerySet[Proposal]:
    """The proposals the user reads: their own authority's (a commune's officer, every status),
    and those sent to a province in their subtree (the province's emulation office: not the
    communes' drafts); every one for a superuser, none for anyone else."""
    found = Proposal.objects.select_related(
        "session__campaign__authority", "province", "round", "province_session__campaign"
    )
    roots = authority_root_ids(user)
    if roots is None:
        return found
    if not roots:
        return found.none()
    own = Q(session__campaign__authority_id__in=user_unit_ids(user))
    received = Q(province__in=unit_subtree(roots).values("pk")) & ~Q(status=ProposalStatus.DRAFT)
    return found.filter(own | received)


def proposal_inbox(
    user: User | AnonymousUser, *, round_id: int | None = None, status: str = ""
) -> QuerySet[Proposal]:
    """The list page: the user's proposals, filtered by round and status, newest first."""
    found = proposals_for(user)
    if round_id is not None:
        found = found.filter(round_id=round_id)
    if status:
        found = found.filter(status=status)
    return found.order_by("-sent_at", "-created_at", "-pk")


def rounds_for(user: User | AnonymousUser) -> QuerySet[ProposalRound]:
    """The rounds of the provinces in the user's subtree (for the province's office), or of the
    province their own authority lies in (for a commune, whose proposals go there)."""
    roots = authority_root_ids(user)
    rounds = ProposalRound.objects.select_related("authority")
    if roots is None:
        return rounds
    provinces = {
        province.pk
        for province in (
            province_of(unit) for unit in Unit.objects.filter(pk__in=roots).select_related("kind")
        )
        if province is not None
    }
    return rounds.filter(
        Q(authority__in=unit_subtree(roots).values("pk")) | Q(authority_id__in=provinces)
    )


def rounds_of(province: Unit) -> QuerySet[ProposalRound]:
    return ProposalRound.objects.filter(authority=province)


def proposal_nominations(session: CouncilSession) -> list[Nomination]:
    """What a closed commune session passed as a proposal to the level above: the proposal's
    nominees, in the session's order."""
    return [n for n in nominations_of(session) if n.passed and n.proposed]


def proposal_events(proposal: Proposal) -> QuerySet[ProposalEvent]:
    return proposal.events.select_related("actor")


def province_sessions_open(province: Unit) -> QuerySet[CouncilSession]:
    """The sessions in preparation of the province's own campaigns: where a proposal is put."""
    return (
        CouncilSession.objects.filter(campaign__authority=province, status=SessionStatus.PLANNED)
        .select_related("campaign")
        .order_by("held_on", "pk")
    )


@dataclass(frozen=True)
class ProposalDoc:
    """One document of a proposal's file: generated from the session unless an edited version
    was uploaded; `missing` when neither exists (a báo cáo thành tích the portal cannot write:
    an annual award's, or one with no achievements noted)."""

    key: str
    label: str
    extension: str
    upload: ProposalFile | None = None
    nomination: Nomination | None = None
    generated: bool = True

    @property
    def present(self) -> bool:
        return self.upload is not None or self.generated


def report_generated(nomination: Nomination) -> bool:
    """The portal writes a nominee's báo cáo thành tích itself only on the form for a campaign
    award (votes/documents.py), and only from the achievements the nomination notes."""
    return nomination.award.period == Award.Period.CAMPAIGN and bool(
        nomination.achievements.strip()
    )


def report_key(nomination: Nomination) -> str:
    return f"bao-cao-{nomination.pk}"


def proposal_documents(
    proposal: Proposal, nominations: list[Nomination] | None = None
) -> list[ProposalDoc]:
    """The file: the tờ trình, the biên bản with the vote count, the danh sách trích ngang,
    then each nominee's báo cáo thành tích."""
    if nominations is None:
        nominations = proposal_nominations(proposal.session)
    uploads = {f.document: f for f in proposal.files.all()}
    docs = [
        ProposalDoc(key.value, str(key.label), ext, uploads.get(key.value))
        for key, ext in (
            (ProposalDocument.SUBMISSION, "docx"),
            (ProposalDocument.TALLY, "docx"),
            (ProposalDocument.LIST, "xlsx"),
        )
    ]
    for nomination in nominations:
        key = report_key(nomination)
        docs.append(
            ProposalDoc(
                key,
                _("Báo cáo thành tích: %(nominee)s") % {"nominee": nomination.nominee},
                "docx",
                uploads.get(key),
                nomination,
                report_generated(nomination),
            )
        )
    return docs


@dataclass(frozen=True)
class AwardChecklist:
    """Thành phần hồ sơ of one award of a proposal: each document and whether it is present."""

    award: str
    nominees: list[str]
    rows: list[tuple[str, bool]]

    @property
    def complete(self) -> bool:
        return all(present for _label, present in self.rows)


def proposal_checklist(
    proposal: Proposal, docs: list[ProposalDoc] | None = None
) -> list[AwardChecklist]:
    """Per award: the documents every award's file needs (tờ trình, biên bản, danh sách) and
    each of its nominees' báo cáo thành tích, present or missing."""
    docs = proposal_documents(proposal) if docs is None else docs
    common = [(doc.label, doc.present) for doc in docs if doc.nomination is None]
    awards: dict[str, list[ProposalDoc]] = defaultdict(list)
    for doc in docs:
        if doc.nomination is not None:
            awards[doc.nomination.award_name or doc.nomination.award.name].append(doc)
    return [
        AwardChecklist(
            award,
            [doc.nomination.nominee for doc in reports if doc.nomination is not None],
            common + [(doc.label, doc.present) for doc in reports],
        )
        for award, reports in awards.items()
    ]
