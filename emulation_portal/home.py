"""What each role has to do next, for the home page, composed of the apps' selectors (each rule
lives with its app: may write in `assessments.rules`, registration open in `campaigns.rules`).
Each read is one query whatever the number of campaigns or units (tests/test_home.py)."""

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from assessments.selectors import (
    DueItem,
    campaigns_with_assessment_counts,
    review_queue,
    unit_due_items,
)
from campaigns.selectors import campaign_deadline, campaign_next_step, campaigns_under_way
from votes.selectors import sessions_ahead


def managed_campaigns(user: User | AnonymousUser, limit: int = 20) -> list[Any]:
    """The manager's campaigns under way with their counts, next step and deadline."""
    managed = list(campaigns_with_assessment_counts(campaigns_under_way(user))[:limit])
    for campaign in managed:
        campaign.next_step = campaign_next_step(campaign)
        campaign.deadline = campaign_deadline(campaign)
    return managed


def due_items(user: User | AnonymousUser, today: datetime.date) -> list[DueItem]:
    return unit_due_items(user, today) if user.is_authenticated else []  # type: ignore[arg-type]


def council_queue(user: User | AnonymousUser) -> list[Any]:
    return review_queue(user) if user.is_authenticated else []  # type: ignore[arg-type]


def council_sessions(user: User | AnonymousUser) -> list[Any]:
    return list(sessions_ahead(user)) if user.is_authenticated else []  # type: ignore[arg-type]
