"""Scoring runs: start, publish, cancel. Each checks the actor's authority and writes history.

A run is a snapshot: the campaign's scores version (moved by every write to a run's inputs) is
read when it is planned and again at its end, and a run whose inputs changed meanwhile fails
instead of showing a mix.
Results are written under the run; the public pages read only the published run, switched in one
transaction. The work itself is `pipeline.py`; `tasks.py` chains its steps on the workers, and a
watchdog on celery beat keeps a run going when a worker or the broker went away.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from campaigns.services import (
    campaign_event_record,
    campaign_set_status,
    campaign_window_advance,
    require_manager,
)
from core.queue import enqueue_on_commit
from notifications.services import notify
from units.selectors import unit_heads

from . import engine, selectors
from .models import Result, RunStatus, ScoringRun

logger = logging.getLogger(__name__)

# Scoring waits for the window to close (docs/domain.md, "Life of a campaign"); a run made while the
# council is still reviewing is a provisional preview.
SCORABLE = (
    CampaignStatus.WINDOW_CLOSED,
    CampaignStatus.UNDER_REVIEW,
    CampaignStatus.SCORED,
    CampaignStatus.PUBLISHED,
)
PUBLISHABLE = (CampaignStatus.SCORED, CampaignStatus.PUBLISHED)


def scoring_run_check(campaign: Campaign) -> None:
    """Refuse, with the reason and the next step, a campaign that cannot be scored."""
    if campaign.status in (CampaignStatus.LAUNCHED, CampaignStatus.WINDOW_OPEN):
        raise ValidationError(
            _(
                "Chưa thể tính điểm: các đơn vị còn tự chấm điểm đến hết ngày %(day)s. "
                "Hãy đóng tự chấm điểm trước khi tính điểm."
            ),
            params={"day": campaign.window_closes_on.strftime("%d/%m/%Y")},
            code="window_open",
        )
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("Phong trào đã kết thúc: không tính điểm lại được."), code="closed")
    if campaign.status not in SCORABLE:
        raise ValidationError(_("Phong trào chưa phát động: chưa thể chấm điểm."), code="status")
    if engine.base_maximum_cents(campaign) <= 0:
        raise ValidationError(
            _("Không thể chấm điểm: tổng điểm chuẩn của bộ tiêu chí bằng 0."), code="zero_base"
        )
    if not campaign.enrolments.filter(assessment__submitted_at__isnull=False).exists():
        raise ValidationError(
            _("Không thể chấm điểm: chưa đơn vị nào nộp bản tự chấm điểm."), code="no_submissions"
        )


def scoring_run_start(*, actor: User | None, campaign: Campaign) -> ScoringRun:
    """Queue a run and enqueue its task after the commit. A second run while one is under way
    is refused (a unique constraint on the active run, so two clicks cannot interleave)."""
    require_manager(actor, campaign)
    campaign_window_advance(campaign=campaign)  # a window whose last day passed closes first
    scoring_run_check(campaign)
    try:
        with transaction.atomic():
            run = ScoringRun.objects.create(
                campaign=campaign,
                created_by=actor,
                heartbeat_at=timezone.now(),
                is_provisional=selectors.has_unreviewed(campaign),
            )
            campaign_event_record(
                campaign=campaign,
                actor=actor,
                action="scoring_run",
                subject="provisional" if run.is_provisional else "",
                new=selectors.run_number(run),
            )
    except IntegrityError:
        raise ValidationError(
            _("Phong trào đang có một lượt chấm điểm chưa xong; vui lòng chờ."), code="busy"
        ) from None
    chunk_size = settings.SCORING_CHUNK_SIZE  # decided here, so every worker splits alike
    enqueue_on_commit("scoring.tasks.scoring_run_task", run.pk, chunk_size)
    return run


ACTIVE = [RunStatus.QUEUED, RunStatus.RUNNING]


def _lock_active(run_id: int) -> ScoringRun | None:
    """The run, locked FOR UPDATE, if it is still active. The lock waits for the chunks writing
    at this moment (they hold the run FOR KEY SHARE), so their results are there to be dropped,
    and a chunk that starts after it finds the run over."""
    return ScoringRun.objects.select_for_update().filter(pk=run_id, status__in=ACTIVE).first()


def scoring_run_fail(run_id: int, error: BaseException) -> None:
    """Mark an active run failed with its error and drop whatever half it wrote."""
    message = " ".join(error.messages) if isinstance(error, ValidationError) else repr(error)
    with transaction.atomic():
        if _lock_active(run_id) is None:
            return  # over already: a finished run keeps its results
        Result.objects.filter(run_id=run_id).delete()
        ScoringRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=message[:2000], finished_at=timezone.now()
        )
    logger.warning("scoring run %s failed: %s", run_id, message)


def scoring_run_publish_check(run: ScoringRun, *, publish_unreviewed: bool = False) -> None:
    """Refuse to publish before the review is over, unless the manager chose to publish with the
    units not reviewed, which the refusal names."""
    campaign = run.campaign
    if run.status != RunStatus.SUCCEEDED:
        raise ValidationError(_("Chỉ công bố được lượt chấm điểm đã hoàn tất."), code="not_done")
    if campaign.status not in PUBLISHABLE:
        raise ValidationError(
            _("Chưa thể công bố khi phong trào đang ở giai đoạn “%(status)s”."),
            params={"status": campaign.get_status_display()},
            code="status",
        )
    count, names = selectors.unreviewed_named(campaign)
    if count and not publish_unreviewed:
        raise ValidationError(
            _(
                "Chưa thể công bố: còn %(n)s đơn vị chưa được thẩm định xong (%(names)s). "
                "Hãy chờ Hội đồng chấp nhận, hoặc chọn công bố khi còn %(n)s đơn vị chưa thẩm định."
            ),
            params={"n": count, "names": names},
            code="unreviewed",
        )


@transaction.atomic
def scoring_run_publish(
    *,
    actor: User | None,
    run: ScoringRun,
    publish_unreviewed: bool = False,
    published_at: datetime.datetime | None = None,
) -> ScoringRun:
    """Switch the campaign's public results to this run, all at once, and tell the head of every
    enrolled unit. `published_at`: when a round kept on paper was published (its public page
    says that day); now by default, never in the future."""
    campaign = run.campaign
    require_manager(actor, campaign)
    if published_at is not None and published_at > timezone.now():
        raise ValidationError(_("Ngày công bố không thể ở tương lai."), code="future")
    run = ScoringRun.objects.select_for_update().get(pk=run.pk)
    scoring_run_publish_check(run, publish_unreviewed=publish_unreviewed)
    count, names = selectors.unreviewed_named(campaign)
    ScoringRun.objects.filter(campaign=campaign, is_published=True).exclude(pk=run.pk).update(
        is_published=False
    )
    run.is_published = True
    run.published_at = published_at or timezone.now()
    run.save(update_fields=["is_published", "published_at"])
    if campaign.status != CampaignStatus.PUBLISHED:
        campaign_set_status(
            actor=actor, campaign=campaign, new=CampaignStatus.PUBLISHED, allowed_from=PUBLISHABLE
        )
    campaign_event_record(
        campaign=campaign,
        actor=actor,
        action="publish",
        new=selectors.run_number(run),
        reason=_("công bố khi còn %(n)s đơn vị chưa thẩm định: %(names)s")
        % {"n": count, "names": names}
        if count
        else "",
    )
    notify_results_published(run)
    return run


def notify_results_published(run: ScoringRun) -> None:
    """A notice to the head of every enrolled unit: the results are out, with its page."""
    campaign = run.campaign
    notify(
        users=unit_heads(campaign.enrolments.values_list("unit_id", flat=True)),
        subject=_("Đã công bố kết quả: %(title)s") % {"title": campaign.title},
        body=_(
            "Kết quả lần tính điểm thứ %(n)s đã được công bố: điểm, xếp hạng và xếp loại của đơn "
            "vị bạn xem được trên trang kết quả."
        )
        % {"n": selectors.run_number(run)},
        url=reverse("scoring:public_results", args=[campaign.code]),
        dedupe=f"published:{run.pk}",
    )


def scoring_run_cancel(*, actor: User | None, run: ScoringRun, reason: str) -> ScoringRun:
    """Stop an active run (its workers vanished, or it waits on a broker that is down).

    The campaign is free for a new run at once; whatever the run wrote is dropped.
    """
    require_manager(actor, run.campaign)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Hãy nêu lý do hủy lần tính điểm."), code="reason")
    with transaction.atomic():
        locked = _lock_active(run.pk)
        if locked is None:
            raise ValidationError(_("Lần tính điểm này đã kết thúc."), code="not_active")
        ScoringRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=_("Đã hủy: %(reason)s") % {"reason": reason[:1900]},
            finished_at=timezone.now(),
        )
        Result.objects.filter(run_id=run.pk).delete()
        campaign_event_record(
            campaign=run.campaign,
            actor=actor,
            action="scoring_cancel",
            subject=str(selectors.run_number(locked)),
            old=locked.status,
            new=RunStatus.FAILED,
            reason=reason,
        )
    run.refresh_from_db()
    return run
