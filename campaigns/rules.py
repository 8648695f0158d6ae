"""Object-level rules about campaigns: who manages one, who sits on its council."""

import rules
from django.contrib.auth.models import User
from django.db.models import Q

from core.twofactor import TWO_FACTOR_REQUIRED_RULE
from units.rules import (
    is_campaign_manager,
    is_unit_head,
    is_unit_or_below,
    user_head_unit_ids,
    user_unit_ids,
)

from .models import Campaign, CampaignStatus, CouncilSeat, Enrolment

# Units register until the self-assessment window closes.
REGISTRATION_OPEN = (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED, CampaignStatus.WINDOW_OPEN)


def registration_is_open(campaign: Campaign) -> bool:
    """The campaign takes its units' registrations (the service refuses one otherwise)."""
    return campaign.status in REGISTRATION_OPEN


def registration_open_q(campaign: str = "") -> Q:
    """`registration_is_open` as a filter; `campaign` is the path to the campaign ("campaign__"
    from an enrolment)."""
    return Q(**{f"{campaign}status__in": REGISTRATION_OPEN})


@rules.predicate
def is_campaign_authority_officer(user: User, campaign: Campaign) -> bool:
    """The campaign's authority is one of the user's units or lies under one."""
    if campaign.authority_id is None:
        return False
    return is_unit_or_below(campaign.authority_id, user_unit_ids(user))


@rules.predicate
def sits_on_council(user: User, campaign: Campaign) -> bool:
    """A member of the council of this campaign, as it stands (a seat not ended)."""
    return campaign.council_seats.current().filter(user=user).exists()  # type: ignore[attr-defined]


@rules.predicate
def is_enrolled_unit_member(user: User, campaign: Campaign) -> bool:
    return campaign.enrolments.filter(unit_id__in=user_unit_ids(user)).exists()


can_manage_campaign = is_campaign_manager & is_campaign_authority_officer

rules.add_perm("campaigns.manage_campaign", can_manage_campaign)
rules.add_perm(
    "campaigns.view_campaign_detail",
    can_manage_campaign | sits_on_council | is_enrolled_unit_member,
)


@rules.predicate
def is_head_of_enrolled_unit(user: User, enrolment: Enrolment) -> bool:
    return enrolment.unit_id in user_head_unit_ids(user)


@rules.predicate
def is_member_of_enrolled_unit(user: User, enrolment: Enrolment) -> bool:
    return enrolment.unit_id in user_unit_ids(user)


rules.add_perm("campaigns.register_unit", is_unit_head & is_head_of_enrolled_unit)
rules.add_perm(
    "campaigns.view_enrolment",
    is_member_of_enrolled_unit
    | rules.predicate(lambda user, e: can_manage_campaign(user, e.campaign)),
)


# Council offices that hold the session and sign its papers (chair, secretary).
COUNCIL_OFFICES = (CouncilSeat.Role.CHAIR, CouncilSeat.Role.SECRETARY)


@rules.predicate
def holds_council_office(user: User) -> bool:
    """The user chairs, or is the secretary of, a campaign's council."""
    return CouncilSeat.objects.filter(user_id=user.pk, role__in=COUNCIL_OFFICES).exists()


# Who may not use the portal with a password alone when OTP_REQUIRED_FOR_OFFICERS is on
# (core.twofactor asks this rule; core cannot know the roles).
rules.add_rule(
    TWO_FACTOR_REQUIRED_RULE,
    rules.is_authenticated & (rules.is_superuser | is_campaign_manager | holds_council_office),
)
