"""Scoring runs: start one, compute it in chunks (in parallel on real workers), rank, publish.

A run is a snapshot: its inputs summary is taken before and after the computation, and a run
whose inputs changed meanwhile fails instead of showing a mix. Results are written under the
run; the public pages read only the published run, switched in one transaction.
"""

import logging
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from campaigns.services import campaign_event_record, campaign_set_status, require_manager

from . import engine
from .models import Result, RunStatus, ScoringRun

logger = logging.getLogger(__name__)

SCORABLE = (
    CampaignStatus.WINDOW_CLOSED,
    CampaignStatus.UNDER_REVIEW,
    CampaignStatus.SCORED,
    CampaignStatus.PUBLISHED,
    CampaignStatus.WINDOW_OPEN,
    CampaignStatus.LAUNCHED,
)


def scoring_run_check(campaign: Campaign) -> None:
    """Refuse, with a clear message, a campaign that cannot be scored."""
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
    scoring_run_check(campaign)
    try:
        with transaction.atomic():
            run = ScoringRun.objects.create(campaign=campaign, created_by=actor)
            campaign_event_record(campaign=campaign, actor=actor, action="scoring_run", new=run.pk)
    except IntegrityError:
        raise ValidationError(
            _("Phong trào đang có một lượt chấm điểm chưa xong; vui lòng chờ."), code="busy"
        ) from None
    from .tasks import scoring_run_task

    chunk_size = settings.SCORING_CHUNK_SIZE  # decided here, so every worker splits alike
    transaction.on_commit(lambda: scoring_run_task.delay(run.pk, chunk_size), robust=True)
    return run


def scoring_run_execute(run_id: int, chunk_size: int | None = None) -> None:
    """Claim the run, plan its chunks and hand them out (or compute them here when eager)."""
    from .tasks import scoring_chunk_task

    run = ScoringRun.objects.select_related("campaign").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return  # finished already: a redelivered message does nothing
    try:
        scoring_run_check(run.campaign)
        inputs = engine.inputs_for(run.campaign)
        chunks = engine.enrolment_ranges(run.campaign_id, chunk_size or settings.SCORING_CHUNK_SIZE)
        with transaction.atomic():
            Result.objects.filter(run=run).delete()  # a restarted run starts clean
            ScoringRun.objects.filter(pk=run.pk).update(
                status=RunStatus.RUNNING,
                started_at=timezone.now(),
                chunks_total=len(chunks),
                chunks_done=0,
                inputs_summary=engine.inputs_summary(inputs),
                error="",
            )
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise
    for lo, hi in chunks:
        scoring_chunk_task.delay(run_id, lo, hi, inputs.as_message())


def _chunk_compute(run_id: int, lo: int, hi: int, message: dict[str, Any]) -> None:
    """One chunk's results; whoever finishes the last chunk ranks the run."""
    if not ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists():
        return
    inputs = engine.Inputs.from_message(message)
    with transaction.atomic():
        engine.compute_chunk(run_id=run_id, inputs=inputs, lo=lo, hi=hi)
        ScoringRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1)
    last = ScoringRun.objects.filter(
        pk=run_id, status=RunStatus.RUNNING, chunks_done__gte=F("chunks_total")
    ).exists()
    if last:
        from .tasks import scoring_finish_task

        scoring_finish_task.delay(run_id, message)


def scoring_chunk_compute(run_id: int, lo: int, hi: int, message: dict[str, Any]) -> None:
    """One chunk; any error fails the whole run (and drops what it wrote)."""
    try:
        _chunk_compute(run_id, lo, hi, message)
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise


def _run_finish(run_id: int, message: dict[str, Any]) -> None:
    """Rank and flag, then check the inputs did not move while the chunks ran."""
    run = ScoringRun.objects.select_related("campaign").get(pk=run_id)
    inputs = engine.Inputs.from_message(message)
    with transaction.atomic():
        claimed = (
            ScoringRun.objects.select_for_update()
            .filter(pk=run_id, status=RunStatus.RUNNING)
            .first()
        )
        if claimed is None:
            return
        if engine.inputs_summary(inputs) != claimed.inputs_summary:
            raise ValidationError(
                _("Dữ liệu chấm điểm thay đổi trong khi tính; hãy chạy lại."), code="moved"
            )
        engine.rank_run(run_id=run_id, inputs=inputs)
        ScoringRun.objects.filter(pk=run_id).update(
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now(),
            chunks_done=F("chunks_total"),
        )
        if run.campaign.status in (CampaignStatus.WINDOW_CLOSED, CampaignStatus.UNDER_REVIEW):
            campaign_set_status(
                actor=None,
                campaign=run.campaign,
                new=CampaignStatus.SCORED,
                allowed_from=[run.campaign.status],
            )


def scoring_run_finish(run_id: int, message: dict[str, Any]) -> None:
    try:
        _run_finish(run_id, message)
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise


def scoring_run_fail(run_id: int, error: BaseException) -> None:
    """Mark the run failed with its error and drop whatever half it wrote."""
    message = " ".join(error.messages) if isinstance(error, ValidationError) else repr(error)
    with transaction.atomic():
        Result.objects.filter(run_id=run_id).delete()
        ScoringRun.objects.filter(
            pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).update(status=RunStatus.FAILED, error=message[:2000], finished_at=timezone.now())
    logger.warning("scoring run %s failed: %s", run_id, message)


@transaction.atomic
def scoring_run_publish(*, actor: User | None, run: ScoringRun) -> ScoringRun:
    """Switch the campaign's public results to this run, all at once."""
    campaign = run.campaign
    require_manager(actor, campaign)
    run = ScoringRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        raise ValidationError(_("Chỉ công bố được lượt chấm điểm đã hoàn tất."), code="not_done")
    ScoringRun.objects.filter(campaign=campaign, is_published=True).exclude(pk=run.pk).update(
        is_published=False
    )
    run.is_published = True
    run.published_at = timezone.now()
    run.save(update_fields=["is_published", "published_at"])
    if campaign.status != CampaignStatus.PUBLISHED:
        campaign_set_status(
            actor=actor, campaign=campaign, new=CampaignStatus.PUBLISHED, allowed_from=SCORABLE
        )
    campaign_event_record(campaign=campaign, actor=actor, action="publish", new=run.pk)
    return run


def scoring_runs_compare(older: ScoringRun, newer: ScoringRun) -> list[dict[str, Any]]:
    """Who moved between two runs, and by how much (one query per run)."""
    before = {r.enrolment_id: r for r in older.results.all()}
    moves = []
    for result in newer.results.order_by("rank", "unit_name"):
        old = before.get(result.enrolment_id)
        old_score = old.final_score if old else None
        if old is None or old.rank != result.rank or old_score != result.final_score:
            delta = (
                result.final_score - old_score
                if result.final_score is not None and old_score is not None
                else None
            )
            moves.append(
                {
                    "unit": result.unit_name,
                    "old_rank": old.rank if old else None,
                    "new_rank": result.rank,
                    "old_score": old_score,
                    "new_score": result.final_score,
                    "delta": delta,
                }
            )
    return moves


def inputs_as_dict(inputs: engine.Inputs) -> dict[str, object]:
    return {k: str(v) for k, v in asdict(inputs).items()}
