"""The calendar: a campaign's status follows its window's dates (`Campaign.calendar_status`),
moved by whichever door touches the campaign first. The selectors that load a campaign for a page
call it (`selectors.campaign_get`), so no page needs to; services re-exports it for the rest."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.history import history_record

from .models import Campaign, CampaignEvent, CampaignStatus

# The subject of a status line the calendar wrote: the window it followed, so the history says
# which dates moved the campaign even after they change ("calendar:2026-10-01:2026-10-31").
CALENDAR_SUBJECT = "calendar"


def campaign_window_advance(*, campaign: Campaign, today: datetime.date | None = None) -> bool:
    """Move the campaign to the status its window's dates call for (`Campaign.calendar_status`),
    whichever door touches it first: celery beat, a page, a command, an edit, an import. No
    query when the stored status already agrees (the pages call it on every load); otherwise a
    conditional UPDATE, so two doors at once move it once, and one history line. The calendar
    acts, not whoever opened the page: the line has no actor. True when it moved the campaign."""
    today = today or timezone.localdate()
    if campaign.calendar_status(today) == campaign.status:
        return False
    return _window_move(campaign=campaign, today=today)


@transaction.atomic
def _window_move(*, campaign: Campaign, today: datetime.date) -> bool:
    old, new = campaign.status, campaign.calendar_status(today)
    if not Campaign.objects.filter(pk=campaign.pk, status=old).update(status=new):
        campaign.refresh_from_db(fields=["status"])  # another door moved it first
        return False
    campaign.status = new
    window = f"{campaign.window_opens_on.isoformat()}:{campaign.window_closes_on.isoformat()}"
    history_record(
        CampaignEvent,
        campaign=campaign,
        actor=None,
        action="status",
        subject=f"{CALENDAR_SUBJECT}:{window}",
        old=old,
        new=new,
    )
    return True


def campaigns_advance_windows(*, today: datetime.date) -> int:
    """Every campaign whose window's dates call for another status (celery beat); the pages and
    commands move the campaigns they touch the same way, so beat is not needed for the calendar."""
    due = Campaign.objects.filter(  # those `Campaign.calendar_status` would move, and no other
        Q(status=CampaignStatus.LAUNCHED, window_opens_on__lte=today)
        | Q(status=CampaignStatus.WINDOW_OPEN, window_closes_on__lt=today)
    ).only("pk", "status", "window_opens_on", "window_closes_on")
    return sum(campaign_window_advance(campaign=campaign, today=today) for campaign in due)
