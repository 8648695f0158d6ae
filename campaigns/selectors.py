"""Reads of campaigns, scoped to what the user may see."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from units.models import Block, Unit
from units.roles import Role
from units.rules import user_role_names, user_unit_ids
from units.selectors import blocks_within, unit_subtree

from .calendar import campaign_window_advance, campaigns_advance_windows
from .models import (
    Campaign,
    CampaignEvent,
    CampaignStatus,
    Checklist,
    CouncilSeat,
    Criterion,
    CriterionKind,
    Enrolment,
    Registration,
)
from .rules import can_manage_campaign, sits_on_council


def campaigns_for_user(user: User | AnonymousUser) -> QuerySet[Campaign]:
    """Campaigns the user takes part in: as manager, as an enrolled unit, or on the council."""
    campaigns = Campaign.objects.select_related("authority", "authority__kind")
    if not user.is_authenticated:
        return campaigns.none()
    if user.is_superuser:  # type: ignore[union-attr]
        return campaigns
    unit_ids = user_unit_ids(user)
    scope = Q(pk__in=council_campaign_ids(user)) | Q(enrolments__unit_id__in=unit_ids)
    if Role.CAMPAIGN_MANAGER in user_role_names(user):
        scope |= Q(authority__in=unit_subtree(unit_ids).values("pk"))
    return campaigns.filter(pk__in=Campaign.objects.filter(scope).values("pk"))


def campaign_get(code: str) -> Campaign | None:
    """The campaign for its pages, in the status its window's dates call for today (the calendar
    moves it here, without beat: no query when the status already agrees)."""
    campaign = (
        Campaign.objects.select_related("authority", "authority__kind", "checklist")
        .filter(code=code)
        .first()
    )
    if campaign is not None:
        campaign_window_advance(campaign=campaign)
    return campaign


@dataclass(frozen=True)
class CriterionRow:
    """A criterion in tree order, with its depth and whether it is a section."""

    criterion: Criterion
    depth: int
    is_section: bool


def checklist_rows(checklist: Checklist | None) -> list[CriterionRow]:
    """The checklist in tree order (parents before children, siblings by order), one query."""
    if checklist is None:
        return []
    criteria = list(checklist.criteria.order_by("order", "pk"))
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    rows: list[CriterionRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for criterion in children.get(parent_id, []):
            rows.append(CriterionRow(criterion, depth, bool(children.get(criterion.pk))))
            walk(criterion.pk, depth + 1)

    walk(None, 0)
    return rows


def checklist_base_maximum(rows: list[CriterionRow]) -> Decimal:
    """Sum of the max of every scored points and yes_no criterion (docs/domain.md)."""
    return sum(
        (
            row.criterion.max_points
            for row in rows
            if not row.is_section
            and row.criterion.kind in (CriterionKind.POINTS, CriterionKind.YES_NO)
        ),
        Decimal(0),
    )


def checklist_sources(campaign: Campaign) -> QuerySet[Checklist]:
    """What a campaign's checklist may be copied from: a template, or the checklist of another
    campaign of the same authority; never the campaign's current checklist."""
    same_authority = Q(campaign__authority_id=campaign.authority_id, campaign__isnull=False)
    sources = Checklist.objects.filter(Q(is_template=True) | same_authority)
    if campaign.authority_id is None:
        sources = Checklist.objects.filter(is_template=True)
    if campaign.checklist_id is not None:
        sources = sources.exclude(pk=campaign.checklist_id)
    return sources.select_related("campaign").order_by("-is_template", "name")


def enrolment_blocks(campaign: Campaign) -> QuerySet[Block]:
    """The blocks a campaign may enrol: those whose units all lie under its authority."""
    if campaign.authority_id is None:
        return Block.objects.none()
    return blocks_within([campaign.authority_id]).order_by("code")


@dataclass(frozen=True)
class ReasonScope:
    """Whose return and reopen reasons a user may read in one campaign: every unit's (the
    campaign's managers and council), or only those of the user's own units."""

    every_unit: bool
    own_codes: frozenset[str]

    def covers(self, unit_code: str) -> bool:
        return self.every_unit or unit_code in self.own_codes


def reason_scope(campaign: Campaign, user: User | AnonymousUser) -> ReasonScope:
    """The one rule for reading units' reasons, shared by the history and enrolments pages."""
    if user.is_superuser or can_manage_campaign(user, campaign) or sits_on_council(user, campaign):
        return ReasonScope(every_unit=True, own_codes=frozenset())
    codes = Unit.objects.filter(pk__in=user_unit_ids(user)).values_list("code", flat=True)
    return ReasonScope(every_unit=False, own_codes=frozenset(codes))


def campaign_history(
    campaign: Campaign, user: User | AnonymousUser, limit: int = 500
) -> list[CampaignEvent]:
    """The latest events; a unit's reason (a return, a reopening) shows only where
    `reason_scope` covers that unit, other reasons (the campaign's own) show to every reader."""
    events = list(campaign.events.select_related("actor")[:limit])
    scope = reason_scope(campaign, user)
    if scope.every_unit:
        return events
    subjects = {event.subject for event in events if event.reason and event.subject}
    unit_codes = set(Unit.objects.filter(code__in=subjects).values_list("code", flat=True))
    for event in events:
        if event.subject in unit_codes and not scope.covers(event.subject):
            event.reason = ""  # shown, never saved
    return events


def enrolments_for_user(
    campaign: Campaign, user: User | AnonymousUser, rows: Iterable[Enrolment] | None = None
) -> list[Enrolment]:
    """The enrolments page's rows (`rows`, e.g. one page, else every enrolment): a reopening
    reason shows only where `reason_scope` covers it."""
    enrolments = list(enrolment_list(campaign) if rows is None else rows)
    scope = reason_scope(campaign, user)
    for enrolment in enrolments:
        if not scope.covers(enrolment.unit.code):
            enrolment.reopen_reason = ""  # shown, never saved
    return enrolments


def page_of(rows: QuerySet[Any], number: str | None, per_page: int) -> "Page[Any]":
    """One page of `rows` (ordered, maybe filtered), for lists of thousands: the page's ids come
    from a narrow query (the joins that the order and the filters need), and only those rows are
    read whole, with their related rows and annotations, rather than sorted along with all (a row
    deleted in between is left out)."""
    ids = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    shown = rows.order_by().in_bulk(list(ids))
    return Page([shown[pk] for pk in ids if pk in shown], ids.number, ids.paginator)


def enrolment_list(campaign: Campaign) -> QuerySet[Enrolment]:
    return campaign.enrolments.select_related(
        "unit", "unit__kind", "block", "registration"
    ).order_by("block__code", "unit__name")


def enrolment_candidates(campaign: Campaign) -> QuerySet[Unit]:
    """Units under the campaign's authority, valid during the campaign's dates (a 2019 campaign
    enrols its 2019 units), that are not enrolled yet."""
    if campaign.authority_id is None:
        units = Unit.objects.all()
    else:
        units = Unit.objects.filter(pk__in=unit_subtree([campaign.authority_id]).values("pk"))
    return (
        units.valid_during(campaign.starts_on, campaign.ends_on)  # type: ignore[attr-defined]
        .exclude(enrolments__campaign=campaign)
        .select_related("kind")
        .order_by("name")
    )


def registration_progress(campaign: Campaign) -> dict[str, int]:
    """How many enrolled units have not started, sent, been accepted or returned."""
    counts = dict(
        campaign.enrolments.values_list("registration__status").annotate(n=Count("pk")).order_by()
    )
    progress = {status: counts.get(status, 0) for status in Registration.Status.values}
    progress["not_started"] = counts.get(None, 0) + progress.pop(Registration.Status.DRAFT)
    return progress


def enrolment_for_user(campaign: Campaign, user: User) -> Enrolment | None:
    """The enrolment of one of the user's units in this campaign, if any."""
    return (
        enrolment_list(campaign).filter(unit_id__in=user_unit_ids(user)).first()
        if user.is_authenticated
        else None
    )


def enrolled_units(campaign: Campaign) -> QuerySet[Unit]:
    return Unit.objects.filter(enrolments__campaign=campaign).order_by("name")


# Council -----------------------------------------------------------------------------------------

ROLE_ORDER: list[str] = [
    CouncilSeat.Role.CHAIR,
    CouncilSeat.Role.VICE_CHAIR,
    CouncilSeat.Role.MEMBER,
    CouncilSeat.Role.SECRETARY,
]


def council_campaign_ids(user: User) -> QuerySet[CouncilSeat, Any]:
    """Ids of the campaigns whose council the user sits on, as it stands (a subquery)."""
    return CouncilSeat.objects.current().filter(user=user).values("campaign_id")  # type: ignore[attr-defined]


def council_members(campaign: Campaign) -> QuerySet[User]:
    """The people on the campaign's council as it stands, each once."""
    seated = campaign.council_seats.current().values("user_id")  # type: ignore[attr-defined]
    return User.objects.filter(pk__in=seated)


def council_candidates(campaign: Campaign) -> QuerySet[User]:
    """Who may sit on the campaign's council: active accounts of a unit under its authority, or
    of no unit at all (a council account, as the workbook's `review_scores` makes). Never an
    account of another authority's units only. The one rule behind the page and the services."""
    users = User.objects.filter(is_active=True)
    if campaign.authority_id is not None:
        inside = unit_subtree([campaign.authority_id]).values("pk")
        users = users.filter(Q(memberships__unit__in=inside) | Q(memberships__isnull=True))
    return users.distinct().order_by("first_name", "last_name", "username")


def council_list(campaign: Campaign) -> list[CouncilSeat]:
    """The council as it stands (seats not ended), chair first, then by name."""
    seats = campaign.council_seats.current().select_related("user")  # type: ignore[attr-defined]
    return sorted(seats, key=lambda s: (ROLE_ORDER.index(s.role), s.name.lower(), s.pk))


def council_past(campaign: Campaign) -> QuerySet[CouncilSeat]:
    """Seats that ended: who sat, in which role, until when (latest first)."""
    return (
        campaign.council_seats.exclude(pk__in=campaign.council_seats.current().values("pk"))  # type: ignore[attr-defined]
        .select_related("user")
        .order_by("-valid_to", "-pk")
    )


def council_sources(campaign: Campaign) -> QuerySet[Campaign]:
    """Other campaigns of the same authority with a council to copy."""
    if campaign.authority_id is None:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(authority_id=campaign.authority_id, council_seats__valid_to=None)
        .exclude(pk=campaign.pk)
        .distinct()
        .order_by("-starts_on", "code")
    )


# The home page ---------------------------------------------------------------------------------

# A campaign is under way from its draft until it closes.
UNDER_WAY = [
    CampaignStatus.DRAFT,
    CampaignStatus.LAUNCHED,
    CampaignStatus.WINDOW_OPEN,
    CampaignStatus.WINDOW_CLOSED,
    CampaignStatus.UNDER_REVIEW,
    CampaignStatus.SCORED,
    CampaignStatus.PUBLISHED,
]


def campaigns_for_user_today(
    user: User | AnonymousUser, today: datetime.date
) -> QuerySet[Campaign]:
    """`campaigns_for_user` after the calendar moved every campaign whose window's dates call for
    it (without beat: one query when none is due)."""
    campaigns_advance_windows(today=today)
    return campaigns_for_user(user)


def campaigns_under_way(user: User | AnonymousUser) -> QuerySet[Campaign]:
    """The campaigns the user manages (their authority's, or any for a superuser) not yet closed."""
    managed = campaigns_for_user(user).filter(status__in=UNDER_WAY)
    if not user.is_superuser:  # type: ignore[union-attr]
        managed = managed.filter(authority__in=unit_subtree(user_unit_ids(user)).values("pk"))
    return Campaign.objects.filter(pk__in=managed.values("pk"))


def campaign_next_step(campaign: Campaign) -> str:
    """The manager's next step in a campaign's life (docs/domain.md, "Life of a campaign")."""
    steps = {
        CampaignStatus.DRAFT: _("Soạn bộ tiêu chí, thêm đơn vị rồi phát động."),
        CampaignStatus.LAUNCHED: _("Mở tự chấm điểm cho các đơn vị."),
        CampaignStatus.WINDOW_OPEN: _("Theo dõi tiến độ; đóng tự chấm điểm khi hết hạn."),
        CampaignStatus.WINDOW_CLOSED: _("Bắt đầu thẩm định."),
        CampaignStatus.UNDER_REVIEW: _("Chờ Hội đồng thẩm định xong, rồi tính điểm."),
        CampaignStatus.SCORED: _("Xem kết quả và công bố."),
        CampaignStatus.PUBLISHED: _("Họp Hội đồng xét khen thưởng, rồi kết thúc phong trào."),
    }
    return str(steps.get(campaign.status, ""))  # type: ignore[call-overload]


def campaign_deadline(campaign: Campaign) -> datetime.date:
    """The date that matters now: the window's opening, its close, or the campaign's end."""
    if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED):
        return campaign.window_opens_on
    if campaign.status == CampaignStatus.WINDOW_OPEN:
        return campaign.window_closes_on
    return campaign.ends_on
