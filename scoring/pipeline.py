"""A run's work in three steps: plan, chunk, finish. The steps never enqueue: `tasks.py` chains
them on the workers, and `execute` runs them one after the other in this process."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CampaignStatus
from campaigns.services import campaign_set_status

from . import engine
from .models import Result, RunStatus, ScoringRun
from .services import scoring_run_check, scoring_run_fail


@dataclass(frozen=True)
class Plan:
    chunks: list[tuple[int, int]]
    message: dict[str, Any]


def plan(run_id: int, chunk_size: int | None = None) -> Plan | None:
    """Claim the run and split it into chunks; None when it has finished already."""
    run = ScoringRun.objects.select_related("campaign").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return None  # finished already: a redelivered message does nothing
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
    return Plan(chunks=chunks, message=inputs.as_message())


def _chunk_compute(run_id: int, lo: int, hi: int, message: dict[str, Any]) -> bool:
    """One chunk's results; True for whoever finished the last chunk (it ranks the run)."""
    if not ScoringRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists():
        return False
    inputs = engine.Inputs.from_message(message)
    with transaction.atomic():
        engine.compute_chunk(run_id=run_id, inputs=inputs, lo=lo, hi=hi)
        ScoringRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1)
    return ScoringRun.objects.filter(
        pk=run_id, status=RunStatus.RUNNING, chunks_done__gte=F("chunks_total")
    ).exists()


def chunk(run_id: int, lo: int, hi: int, message: dict[str, Any]) -> bool:
    """One chunk; any error fails the whole run (and drops what it wrote)."""
    try:
        return _chunk_compute(run_id, lo, hi, message)
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


def finish(run_id: int, message: dict[str, Any]) -> None:
    try:
        _run_finish(run_id, message)
    except Exception as error:
        scoring_run_fail(run_id, error)
        raise


def execute(run_id: int, chunk_size: int | None = None) -> None:
    """The whole run in this process: plan, every chunk, finish (tests, benchmarks, the demo)."""
    planned = plan(run_id, chunk_size)
    if planned is None:
        return
    for lo, hi in planned.chunks:
        if chunk(run_id, lo, hi, planned.message):
            finish(run_id, planned.message)
