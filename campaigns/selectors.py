"""Reads of campaigns, scoped to what the user may see."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from units.roles import Role
from units.rules import user_unit_ids
from units.selectors import unit_subtree

from .models import Campaign


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
