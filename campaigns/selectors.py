"""Reads of campaigns, scoped to what the user may see."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet

from units.models import Unit
from units.roles import Role
from units.rules import user_unit_ids
from units.selectors import unit_subtree

from .models import Campaign, Checklist, Criterion, CriterionKind, Enrolment, Registration


def campaigns_for_user(user: User | AnonymousUser) -> QuerySet[Campaign]:
    """Campaigns the user takes part in: as manager, as an enrolled unit, or on the council."""
    campaigns = Campaign.objects.select_related("authority", "authority__kind")
    if not user.is_authenticated:
        return campaigns.none()
    if user.is_superuser:  # type: ignore[union-attr]
        return campaigns
    unit_ids = user_unit_ids(user)
    scope = Q(council_seats__user=user) | Q(enrolments__unit_id__in=unit_ids)
    if user.groups.filter(name=Role.CAMPAIGN_MANAGER).exists():  # type: ignore[union-attr]
        scope |= Q(authority__in=unit_subtree(unit_ids).values("pk"))
    return campaigns.filter(pk__in=Campaign.objects.filter(scope).values("pk"))


def campaign_get(code: str) -> Campaign | None:
    return (
        Campaign.objects.select_related("authority", "authority__kind", "checklist")
        .filter(code=code)
        .first()
    )


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
    """Sum of the max of every scored points and yes_no criterion (DOMAIN.md)."""
    return sum(
        (
            row.criterion.max_points
            for row in rows
            if not row.is_section
            and row.criterion.kind in (CriterionKind.POINTS, CriterionKind.YES_NO)
        ),
        Decimal(0),
    )


def enrolment_list(campaign: Campaign) -> QuerySet[Enrolment]:
    return campaign.enrolments.select_related(
        "unit", "unit__kind", "block", "registration"
    ).order_by("block__code", "unit__name")


def enrolment_candidates(campaign: Campaign) -> QuerySet[Unit]:
    """Active units under the campaign's authority that are not enrolled yet."""
    if campaign.authority_id is None:
        units = Unit.objects.all()
    else:
        units = Unit.objects.filter(pk__in=unit_subtree([campaign.authority_id]).values("pk"))
    return (
        units.filter(valid_to__isnull=True)
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
