"""Reads for the council pages and documents. No count leaves the database before the close:
the only reads of votes are the closed nominations' snapshots."""

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from campaigns.models import Campaign, CouncilSeat
from campaigns.selectors import council_campaign_ids
from core.documents import spreadsheet_safe
from core.text import fold
from core.workbooks import column_widths
from units.models import Unit, UnitKind, UnitLevel, UnitLink
from units.roles import Role
from units.rules import authority_root_ids, managed_unit_ids, user_unit_ids
from units.selectors import province_of, unit_subtree

from .models import (
    Attendance,
    Award,
    AwardCondition,
    AwardEntry,
    AwardTerm,
    BaseSalary,
    CouncilSession,
    Designation,
    LedgerEvent,
    Nomination,
    Proposal,
    ProposalDocument,
    ProposalEvent,
    ProposalFile,
    ProposalRound,
    ProposalStatus,
    ProvinceRatio,
    Quota,
    RecipientKind,
    SessionStatus,
    VoteReceipt,
    rule_text,
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


@dataclass(frozen=True)
class VoteRule:
    """How the council decides an award on a day: the catalogue's term, or the ratio of the
    province's own regulation where it set one (`province` names it then), with its source."""

    rule: str
    threshold_percent: int
    source: str
    verified: bool
    province: str = ""

    @property
    def label(self) -> str:
        return rule_text(self.rule, self.threshold_percent)


def vote_rule(term: AwardTerm, ratio: ProvinceRatio | None) -> VoteRule:
    """The one rule of which ratio applies: the province's setting in force, else the term's."""
    if ratio is None:
        return VoteRule(
            term.rule, term.threshold_percent, term.threshold_source, term.threshold_verified
        )
    return VoteRule(
        ratio.rule, ratio.threshold_percent, ratio.source, ratio.verified, ratio.authority.name
    )


def campaign_province(campaign: Campaign) -> Unit | None:
    """The province whose regulation the campaign's council follows: the one its authority lies
    in (a commune's province; the province itself)."""
    return province_of(campaign.authority)


def province_ratio_on(
    province: Unit | None, award: Award, day: datetime.date
) -> ProvinceRatio | None:
    """The province's own ratio for the award in force on `day`, or None."""
    if province is None:
        return None
    return (
        ProvinceRatio.objects.filter(authority=province, award=award, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("authority")
        .first()
    )


def vote_rule_on(award: Award, province: Unit | None, day: datetime.date) -> VoteRule | None:
    """How a session of `day` under `province` (`campaign_province`) decides the award: the
    province's setting in force that day, else the catalogue's term; None when the catalogue has
    no term for the award that day. The close, the catalogue page and the export read this."""
    term = award.term_on(day)
    if term is None:
        return None
    return vote_rule(term, province_ratio_on(province, award, day))


def province_ratios() -> QuerySet[ProvinceRatio]:
    """Every province's own ratios, by province, award and date (the catalogue page)."""
    return ProvinceRatio.objects.select_related("authority", "award", "edited_by")


def provinces() -> QuerySet[Unit]:
    return Unit.objects.filter(kind__level=UnitLevel.PROVINCE).order_by("name")


def provinces_of_office(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The provinces whose emulation office the user is (their authority roots; all of them for
    a superuser): where they open proposal rounds."""
    roots = authority_root_ids(user)
    return provinces() if roots is None else provinces().filter(pk__in=roots)


def provinces_kept_by(user: User) -> list[Unit]:
    """The provinces whose own ratios the user sets: those they manage (`units.manage_unit`)."""
    if not user.is_authenticated:
        return []
    units = list(provinces())
    managed = managed_unit_ids(user, [unit.pk for unit in units])
    return [unit for unit in units if unit.pk in managed]


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


def sessions_files_pending(issued_before: datetime.datetime) -> QuerySet[CouncilSession]:
    """Issued sessions whose signed files are still not made, issued before `issued_before`
    (the periodic job makes them when the task queued at the issue was lost or failed for
    good)."""
    return (
        CouncilSession.objects.exclude(decision_number="")
        .filter(Q(decision_file__isnull=True) | Q(minutes_file__isnull=True))
        .filter(decision_document__created_at__lt=issued_before)
        .order_by("pk")
    )


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


def _periods(
    term: AwardTerm, ratios: list[ProvinceRatio]
) -> list[tuple[datetime.date | None, datetime.date | None, VoteRule]]:
    """The term's period cut where the province's own ratios for its award start and end, each
    piece with the rule in force on it (`vote_rule`)."""
    day = datetime.timedelta(days=1)
    start, end = term.valid_from or datetime.date.min, term.valid_to or datetime.date.max
    cuts = {start}
    for ratio in ratios:
        cuts.add(ratio.valid_from)
        if ratio.valid_to is not None and ratio.valid_to < datetime.date.max - day:
            cuts.add(ratio.valid_to + day)
    starts = sorted(cut for cut in cuts if start <= cut <= end)
    pieces = []
    for index, first in enumerate(starts):
        last = starts[index + 1] - day if index + 1 < len(starts) else end
        in_force = next((r for r in ratios if r.covers(first)), None)
        pieces.append(
            (
                None if first == datetime.date.min else first,
                None if last == datetime.date.max else last,
                vote_rule(term, in_force),
            )
        )
    return pieces


def catalogue_export_rows(province: Unit | None = None) -> list[dict[str, str]]:
    """One row per award, recipient kind and period, in the columns of DOMAIN.md: the deciding
    level, the multiple, the rule and its threshold, with the sources of all three; verified
    only when both the multiple and the threshold were checked in the text. With a province,
    the catalogue as its councils apply it: a period is cut where the province's own ratio for
    the award starts or ends, and carries that ratio with its source."""
    ratios: dict[int, list[ProvinceRatio]] = defaultdict(list)
    if province is not None:
        for ratio in province_ratios().filter(authority=province):
            ratios[ratio.award_id].append(ratio)
    rows = []
    for term in catalogue_terms():
        for valid_from, valid_to, rule in _periods(term, ratios[term.award_id]):
            rows += _export_rows(term, valid_from, valid_to, rule)
    return rows


def _export_rows(
    term: AwardTerm,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    rule: VoteRule,
) -> list[dict[str, str]]:
    award = term.award
    ratio_source = f"{rule.province}: {rule.source}" if rule.province else rule.source
    source = "; ".join(
        f"{label}: {text}"
        for label, text in (
            (_("Thẩm quyền"), term.level_source),
            (_("Tỷ lệ"), ratio_source),
            (_("Mức thưởng"), term.multiple_source),
        )
        if text
    )
    rows = []
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
                "valid_from": valid_from.isoformat() if valid_from else "",
                "valid_to": valid_to.isoformat() if valid_to else "",
                "multiple": "" if multiple is None else f"{multiple.normalize():f}",
                "vote_rule": EXPORT_RULE[rule.rule],
                "threshold_percent": str(rule.threshold_percent),
                "source": source,
                "verified": "true" if term.multiple_verified and rule.verified else "false",
            }
        )
    return rows


def catalogue_csv(province: Unit | None = None) -> str:
    """The catalogue as CSV text, header first (`manage.py export_catalogue`, the download);
    with a province, as its councils apply it (`catalogue_export_rows`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(catalogue_export_rows(province))
    return buffer.getvalue()


# The award ledger ---------------------------------------------------------------------------------


def ledger_within(root_ids: Iterable[int] | None) -> QuerySet[AwardEntry]:
    """The ledger an authority reads: the entries its subtree decided and those its subtree's
    units received (a province reads its communes' too; a commune its own subtree only); every
    entry for None (a superuser)."""
    entries = AwardEntry.objects.select_related("authority", "unit", "award", "campaign")
    if root_ids is None:
        return entries
    inside = unit_subtree(root_ids).values("pk")
    return entries.filter(Q(authority__in=inside) | Q(unit__in=inside))


def ledger_of(user: User | AnonymousUser) -> QuerySet[AwardEntry]:
    """The ledger the user may read: their authorities' (`units.rules.authority_root_ids`)."""
    return ledger_within(authority_root_ids(user))


def ledger_search(entries: QuerySet[AwardEntry], text: str) -> QuerySet[AwardEntry]:
    """Entries whose names, unit, award or number contain `text`, without diacritics."""
    folded = fold(text)
    return entries.filter(search_text__contains=folded) if folded else entries


def unit_awards(unit: Unit) -> QuerySet[AwardEntry]:
    """What the unit and its people and households received, across campaigns and years."""
    return (
        AwardEntry.objects.filter(unit=unit)
        .select_related("authority", "award", "campaign")
        .order_by("-year", "-decision_date", "recipient_kind", "person_name", "pk")
    )


def person_awards(person: User) -> QuerySet[AwardEntry]:
    """What a person with an account received: entries naming them (their full name, without
    diacritics) at one of the units they belong to."""
    name = fold(person.get_full_name())
    if not name:
        return AwardEntry.objects.none()
    units = person.memberships.values("unit_id")  # type: ignore[attr-defined]
    candidates = AwardEntry.objects.filter(unit__in=units).exclude(recipient_kind="collective")
    return (
        candidates.filter(search_text__startswith=name + " |")
        .select_related("authority", "award", "unit")
        .order_by("-year", "-decision_date", "pk")
    )


def entry_search_text(
    *, person_name: str, unit_name: str, award_name: str, decision_number: str, signer: str
) -> str:
    """What the ledger search reads: the person first (a person's page matches on it)."""
    return " | ".join(
        fold(part) for part in (person_name, unit_name, award_name, decision_number, signer)
    )[:800]


LEDGER_COLUMNS = [
    ("year", _("Năm")),
    ("recipient_kind", _("Đối tượng")),
    ("person_name", _("Họ tên")),
    ("unit_code", _("Mã đơn vị")),
    ("unit_name", _("Đơn vị")),
    ("award_code", _("Mã danh hiệu")),
    ("award_name", _("Danh hiệu, hình thức")),
    ("decision_number", _("Số quyết định")),
    ("decision_date", _("Ngày quyết định")),
    ("signer", _("Người ký")),
    ("authority", _("Cơ quan quyết định")),
    ("amount", _("Tiền thưởng (đồng)")),
    ("source", _("Nguồn")),
]
# Widths in characters; None for a number (the export makes no query to measure them).
LEDGER_WIDTHS = [None, 12, 30, 16, 45, 12, 50, 18, 14, 28, 40, None, 20]


def ledger_export(entries: QuerySet[AwardEntry], target: Any) -> None:
    """The entries as .xlsx, header first, the columns sized so that names are not cut off."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Sổ khen thưởng"))
    headers = [str(label) for _name, label in LEDGER_COLUMNS]
    column_widths(sheet, headers, LEDGER_WIDTHS)
    sheet.append(headers)
    kinds, sources = dict(RecipientKind.choices), dict(AwardEntry.Source.choices)
    for entry in entries.iterator(chunk_size=2000):
        sheet.append(
            [
                entry.year,
                str(kinds[entry.recipient_kind]),
                spreadsheet_safe(entry.person_name),
                entry.unit.code,
                spreadsheet_safe(entry.unit_name),
                entry.award.code,
                spreadsheet_safe(entry.award_name),
                spreadsheet_safe(entry.decision_number),
                entry.decision_date,
                spreadsheet_safe(entry.signer),
                spreadsheet_safe(entry.authority.name),
                entry.amount,
                str(sources[entry.source]),
            ]
        )
    book.save(target)


# Conditions on earlier awards -------------------------------------------------------------------

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
CONDITION_LABELS = {MET: _("đạt"), NOT_MET: _("không đạt"), NO_DATA: _("chưa đủ dữ liệu")}


@dataclass(frozen=True)
class ConditionCheck:
    """One condition of a nomination's award, read in the ledger: its verdict, the years it
    needed and the entries it read."""

    condition: AwardCondition
    verdict: str
    years: list[int]
    entries: list[AwardEntry]
    covered: tuple[int, int] | None  # the first and last year the ledger holds here

    @property
    def label(self) -> str:
        return str(CONDITION_LABELS[self.verdict])


def nomination_year(session: CouncilSession) -> int:
    """The year a session's nominations are for: the year it meets."""
    return session.held_on.year


def ledger_years(authority: Unit | None) -> tuple[int, int] | None:
    """The first and last year of the ledger the authority reads; None when it holds nothing."""
    if authority is None:
        return None
    entries = ledger_within([authority.pk]).order_by()
    years = entries.aggregate(first=Min("year"), last=Max("year"))
    if years["first"] is None:
        return None
    return years["first"], years["last"]


@dataclass(frozen=True)
class Recipient:
    """Who a condition is checked for: a unit, or a person or household of it."""

    award: Award
    unit_id: int
    recipient_kind: str
    person_name: str


def unit_lineages(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each unit with the units it came from (mergers, splits, renames, step by step back): an
    award to thị trấn Kiên Lương counts for xã Kiên Lương."""
    lineages = {unit_id: {unit_id} for unit_id in unit_ids}
    came_from: dict[int, set[int]] = defaultdict(set)
    frontier = set(lineages)
    while frontier:
        links = UnitLink.objects.filter(successor_id__in=frontier).values_list(
            "successor_id", "predecessor_id"
        )
        frontier = set()
        for successor, predecessor in links:
            if predecessor not in came_from[successor]:
                came_from[successor].add(predecessor)
                frontier.add(predecessor)
    for unit_id, lineage in lineages.items():
        todo = [unit_id]
        while todo:
            for predecessor in came_from.get(todo.pop(), ()):
                if predecessor not in lineage:
                    lineage.add(predecessor)
                    todo.append(predecessor)
    return lineages


def conditions_checks(
    session: CouncilSession, recipients: list[Recipient]
) -> list[list[ConditionCheck]]:
    """For each recipient, each condition of its award in force on the session's date, checked
    in the ledger: "đạt" when the required award is there for every year needed (at the unit
    or a unit it came from), "chưa đủ dữ liệu" when a year needed lies outside the years the
    authority's ledger holds, "không đạt" otherwise. A few queries for all of them."""
    awards = {recipient.award.pk for recipient in recipients}
    conditions: dict[int, list[AwardCondition]] = defaultdict(list)
    for condition in AwardCondition.objects.filter(award__in=awards).select_related("required"):
        if condition.covers(session.held_on):
            conditions[condition.award_id].append(condition)
    if not conditions:
        return [[] for _recipient in recipients]
    covered = ledger_years(session.campaign.authority)
    lineages = unit_lineages({recipient.unit_id for recipient in recipients})
    entries = list(
        AwardEntry.objects.filter(
            unit__in=set().union(*lineages.values()),
            award__in={c.required_id for found in conditions.values() for c in found},
        ).select_related("authority")
    )
    year = nomination_year(session)
    return [
        [
            _condition_check(condition, recipient, entries, lineages, year, covered)
            for condition in conditions.get(recipient.award.pk, [])
        ]
        for recipient in recipients
    ]


def _condition_check(
    condition: AwardCondition,
    recipient: Recipient,
    entries: list[AwardEntry],
    lineages: dict[int, set[int]],
    year: int,
    covered: tuple[int, int] | None,
) -> ConditionCheck:
    years = condition.years_needed(year)
    name = fold(recipient.person_name)
    read = [
        entry
        for entry in entries
        if entry.award_id == condition.required_id
        and entry.year in years
        and entry.unit_id in lineages[recipient.unit_id]
        and entry.recipient_kind == recipient.recipient_kind
        and fold(entry.person_name) == name
    ]
    if {entry.year for entry in read} >= set(years):
        verdict = MET
    elif covered is None or min(years) < covered[0] or max(years) > covered[1]:
        verdict = NO_DATA
    else:
        verdict = NOT_MET
    return ConditionCheck(condition, verdict, years, read, covered)


def conditions_check(
    *,
    session: CouncilSession,
    award: Award,
    unit: Unit,
    recipient_kind: str,
    person_name: str,
) -> list[ConditionCheck]:
    """The conditions of one recipient's award (`conditions_checks`): the nomination service."""
    return conditions_checks(session, [Recipient(award, unit.pk, recipient_kind, person_name)])[0]


def conditions_of(nomination: Nomination) -> list[ConditionCheck]:
    """The conditions of a nomination's award, checked in the ledger."""
    return conditions_of_session(nomination.session, [nomination])[nomination.pk]


def conditions_of_session(
    session: CouncilSession, nominations: list[Nomination]
) -> dict[int, list[ConditionCheck]]:
    """The session page: each nomination's conditions, all read at once."""
    recipients = [
        Recipient(n.award, n.enrolment.unit_id, n.recipient_kind, n.person_name)
        for n in nominations
    ]
    checks = conditions_checks(session, recipients)
    return {n.pk: found for n, found in zip(nominations, checks, strict=True)}


def ledger_units(entries: QuerySet[AwardEntry]) -> QuerySet[Unit]:
    """The units the entries name, for the ledger's unit filter."""
    return Unit.objects.filter(pk__in=entries.values("unit")).order_by("name")


def ledger_events(root_ids: Iterable[int] | None, limit: int = 20) -> QuerySet[LedgerEvent]:
    """The newest lines of the ledger's history of the authorities in these subtrees (every
    authority's for None)."""
    events = LedgerEvent.objects.select_related("actor").order_by("-at", "-pk")
    if root_ids is not None:
        events = events.filter(authority__in=unit_subtree(root_ids).values("pk"))
    return events[:limit]


def award_conditions() -> QuerySet[AwardCondition]:
    """The catalogue's conditions on earlier awards, with their awards (the catalogue page)."""
    return AwardCondition.objects.select_related("award", "required")


# Proposals to the province ------------------------------------------------------------------------


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


def proposal_rows(proposals: QuerySet[Proposal]) -> list[tuple[Proposal, list["AwardChecklist"]]]:
    """The inbox's rows, each file with its checklist per award, read in a fixed number of
    queries whatever the number of files (their uploads and nominees at once)."""
    found = list(proposals.prefetch_related("files"))
    nominees: dict[int, list[Nomination]] = defaultdict(list)
    for nomination in (
        Nomination.objects.filter(
            session__in=[proposal.session_id for proposal in found], passed=True, proposed=True
        )
        .select_related("enrolment__unit", "award", "session")
        .order_by("pk")
    ):
        nominees[nomination.session_id].append(nomination)
    return [
        (
            proposal,
            proposal_checklist(
                proposal, proposal_documents(proposal, nominees[proposal.session_id])
            ),
        )
        for proposal in found
    ]


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
