"""Reads for the API, every one scoped to the client's authority subtree. What is public is read
through the rule of the app that owns it: the published run (scoring), the nominations passed at
closed sessions (votes)."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from campaigns.models import Campaign, CampaignStatus
from scoring.models import Result, ScoringRun
from scoring.selectors import published_run, result_list
from units.models import Unit
from units.selectors import unit_subtree
from votes.models import AwardEntry, Nomination
from votes.selectors import deciding_level, ledger_within, passed_nominations

from .models import ApiClient
from .services import token_hash


def client_by_token(token: str) -> ApiClient | None:
    """The client the token belongs to, if it has not been revoked."""
    return (
        ApiClient.objects.select_related("authority")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )


def clients_of(authority: Unit) -> QuerySet[ApiClient]:
    return ApiClient.objects.filter(authority=authority).select_related("created_by")


def campaigns_for(client: ApiClient) -> QuerySet[Campaign]:
    """The campaigns the client's authority or a unit under it runs, drafts left out, each
    with `published_at`, when its results were published (None before)."""
    published = ScoringRun.objects.filter(campaign=OuterRef("pk"), is_published=True)
    return (
        Campaign.objects.filter(authority__in=unit_subtree([client.authority_id]).values("pk"))
        .exclude(status=CampaignStatus.DRAFT)
        .annotate(published_at=Subquery(published.values("published_at")[:1]))
        .order_by("-starts_on", "code")
    )


def campaign_for(client: ApiClient, code: str) -> Campaign:
    """One campaign of the client's subtree; another authority's answers 404, as a missing one."""
    if "\x00" in code:  # PostgreSQL refuses NUL in text: no campaign has it
        raise Http404
    campaign = campaigns_for(client).filter(code=code).first()
    if campaign is None:
        raise Http404
    return campaign


def published_results(campaign: Campaign) -> QuerySet[Result]:
    """The published run's results in rank order; none before results are published."""
    run = published_run(campaign)
    return result_list(run) if run is not None else Result.objects.none()


@dataclass(frozen=True)
class AwardRecord:
    """One award as the API gives it: what the published decision shows. Today a nomination
    passed at a closed council session; the award ledger will give the same fields."""

    id: str
    campaign: str
    year: int
    recipient_kind: str
    recipient: str
    unit_code: str
    unit_name: str
    award: str
    award_kind: str
    award_level: str
    proposed_to_higher_level: bool
    session_held_on: datetime.date
    decided_on: datetime.date | None
    decision_number: str


def awards_for(client: ApiClient, campaign: Campaign | None = None) -> QuerySet[Nomination]:
    """What the council passed at closed sessions of the client's campaigns (or of one)."""
    campaigns = campaigns_for(client)
    if campaign is not None:
        campaigns = campaigns.filter(pk=campaign.pk)
    return passed_nominations(campaigns)


def award_record(nomination: Nomination) -> AwardRecord:
    session, unit = nomination.session, nomination.enrolment.unit
    return AwardRecord(
        id=f"nomination-{nomination.pk}",
        campaign=session.campaign.code,
        year=session.held_on.year,
        recipient_kind=nomination.recipient_kind,
        recipient=nomination.nominee,
        unit_code=unit.code,
        unit_name=unit.name,
        award=nomination.award_name or nomination.award.name,
        award_kind=nomination.award.kind,
        award_level=deciding_level(nomination),
        proposed_to_higher_level=nomination.proposed,
        session_held_on=session.held_on,
        decided_on=session.decided_on,
        decision_number=session.decision_number,
    )


def ledger_for(
    client: ApiClient, *, year: int | None = None, unit: Unit | None = None
) -> QuerySet[AwardEntry]:
    """The award ledger the client's authority reads (`votes.selectors.ledger_within`): what
    its subtree decided and what its units received; one year's, one unit's when asked."""
    entries = ledger_within([client.authority_id]).order_by("-year", "-decision_date", "pk")
    if year is not None:
        entries = entries.filter(year=year)
    return entries if unit is None else entries.filter(unit=unit)


def unit_for(client: ApiClient, code: str) -> Unit:
    """A unit of the client's subtree by code; another authority's answers 404, as a missing one."""
    if "\x00" in code:
        raise Http404
    unit = unit_subtree([client.authority_id]).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit
