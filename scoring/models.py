"""Scoring runs and their results: one complete, deterministic snapshot per run."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Band, Campaign, Enrolment
from core import documents
from core.uploads import generated_upload_to
from units.models import Block, Unit


def _percent(done: int, total: int, *, finished: bool) -> int:
    """A job's progress bar: 100 only once finished, never 100 before (99 at most)."""
    if finished:
        return 100
    return min(99, 100 * done // total) if total else 0


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    SUCCEEDED = "succeeded", _("Hoàn tất")
    FAILED = "failed", _("Lỗi")


class ScoringRun(models.Model):
    """One complete, deterministic computation of a campaign's results.

    Results are written under the run; publishing points the campaign's public pages at it.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scoring_runs")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life of any step (start, plan, a chunk's claim and end, the finish's start,
    # a watchdog dispatch).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Dispatches of the plan by the watchdog; once planned (reset to 0), starts of the finish.
    attempts = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0)
    # Recounted from the done chunk rows at each chunk's end: a cache for the progress bar.
    chunks_done = models.PositiveIntegerField(default=0)
    # What every chunk computes with (engine.Inputs as JSON), fixed by the plan.
    inputs = models.JSONField(default=dict, blank=True)
    inputs_summary = models.JSONField(default=dict, blank=True)
    # What the rankings page draws of the whole run, written when it finishes
    # (`selectors.run_tallies`): the score histogram, each block's count and sum, its blocks.
    tallies = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    is_published = models.BooleanField(default=False)
    # Started while the council had not yet accepted every submitted assessment: a preview.
    is_provisional = models.BooleanField(_("tạm tính"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lượt chấm điểm")
        verbose_name_plural = _("lượt chấm điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_campaign",
                violation_error_message=_("Phong trào đang có một lượt chấm điểm chưa xong."),
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(is_published=True),
                name="one_published_run_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} #{self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        """Percent of the chunks computed; 100 once finished."""
        return _percent(
            self.chunks_done, self.chunks_total, finished=self.status == RunStatus.SUCCEEDED
        )

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def waits_for_queue(self) -> bool:
        """Queued and no worker has taken it yet: the task queue is down or not consumed (since
        it was started: the watchdog's sending it again does not make it any less late)."""
        if self.status != RunStatus.QUEUED:
            return False
        grace = datetime.timedelta(seconds=settings.SCORING_QUEUE_GRACE_SECONDS)
        return self.created_at is not None and timezone.now() - self.created_at > grace


class ChunkStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    DONE = "done", _("Xong")


class ScoringChunk(models.Model):
    """One slice of a run (enrolment ids lo..hi), done once whatever the redeliveries.

    A worker claims it (queued → running, attempts + 1) and marks it done in the transaction that
    writes its results, only if its claim still holds (that transaction holds the row until the
    results are written); the watchdog puts back a running chunk no transaction holds, claimed
    more than SCORING_LOST_SECONDS ago: its worker vanished.
    """

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="chunks")
    lo = models.BigIntegerField()
    hi = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=ChunkStatus.choices, default=ChunkStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "lo"]
        verbose_name = _("phần việc chấm điểm")
        verbose_name_plural = _("phần việc chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["run", "lo"], name="scoring_chunk_unique_range"),
            models.CheckConstraint(condition=Q(lo__lte=F("hi")), name="scoring_chunk_lo_le_hi"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"#{self.run_id} [{self.lo}..{self.hi}] ({self.status})"


class Classification(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc")
    GOOD = "good", _("Hoàn thành tốt")
    PASS = "pass", _("Hoàn thành")
    FAIL = "fail", _("Không hoàn thành")
    NOT_ASSESSED = "not_assessed", _("Chưa đánh giá")


class Result(models.Model):
    """One enrolled unit's outcome in a run: the export's columns and what the reasons need."""

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="results")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    block = models.ForeignKey(  # indexed by (block, run) below
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    unit_code = models.CharField(max_length=32)
    unit_name = models.CharField(max_length=255)
    block_code = models.CharField(max_length=32, blank=True)
    self_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    block_rank = models.PositiveIntegerField(null=True, blank=True)
    classification = models.CharField(max_length=16, choices=Classification.choices)
    exemplary = models.BooleanField(default=False)
    critical_shortfall = models.BooleanField(default=False)
    on_time = models.BooleanField(default=False)
    # Each criterion's final score as the run computed it, {criterion id: hundredths × the run's
    # L} (`engine.Inputs.lcm`), so a unit's page reads the run's snapshot, not today's data.
    criteria = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["rank", "unit_name"]
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        constraints = [
            models.UniqueConstraint(fields=["run", "enrolment"], name="result_unique_unit"),
        ]
        indexes = [
            models.Index(fields=["run", "final_score"]),
            # The rankings page's order (rank, nulls last as PostgreSQL sorts them by default):
            # a page of 50 reads 50 rows, not the whole run.
            models.Index(fields=["run", "rank", "unit_name"], name="result_run_rank"),
            # The blocks of a run (the rankings' block filter) and a block's results: one index
            # in place of the block's own, so a run writes no more index entries than before.
            models.Index(fields=["block", "run"], name="result_block_run"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.final_score}"

    @property
    def band_by_score(self) -> Band | None:
        """The band the final score reaches by the run's bounds alone (lower bound inclusive),
        None for a unit without a score. The engine's SQL classifies by the same bounds and then
        the caps; this reads `run.inputs`, so a list of one run's results costs no query per row."""
        inputs = self.run.inputs
        if self.final_score is None or "pass_h" not in inputs:  # no score, or a run not planned
            return None
        hundredths = int(self.final_score * 100)
        for band, bound in [
            (Band.EXCELLENT, "excellent_h"),
            (Band.GOOD, "good_h"),
            (Band.PASS, "pass_h"),
        ]:
            if hundredths >= inputs[bound]:
                return band
        return Band.FAIL

    @property
    def band_lowered(self) -> bool:
        """A rule of the campaign (a critical criterion missed, a criterion at 0) put the unit
        below the band its score reaches; the unit's page says which."""
        band = self.band_by_score
        return band is not None and band != self.classification


class BlockCriterionTotal(models.Model):
    """A block's sum of one criterion's final scores over its assessed units in a run (hundredths
    × the run's L), written when the run finishes: the unit page's block averages."""

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="block_totals")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")
    criterion_id = models.BigIntegerField()
    total_l = models.BigIntegerField()
    units = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("tổng tiêu chí của khối")
        verbose_name_plural = _("tổng tiêu chí của khối")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "block", "criterion_id"], name="block_criterion_total_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.run_id} {self.block_id}/{self.criterion_id}"


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo tệp")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class ExportJob(models.Model):
    """A results file (PDF or .xlsx) a task builds off the request, for one run.

    The file is written from the run asked for, so a run superseded meanwhile still gives what was
    asked; the page polls the progress and then offers the file, served through an access-checked
    view. Files and records older than a week are removed by celery beat.
    """

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("định dạng"), max_length=8, choices=ExportFormat.choices)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # Claims by a worker; a job whose worker vanished this many times fails with the reason.
    attempts = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=generated_upload_to, max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life: the request, a dispatch, a worker's claim, every few hundred rows.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp kết quả")
        verbose_name_plural = _("tệp kết quả")
        indexes = [
            models.Index(fields=["status", "heartbeat_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.run_id} {self.format} ({self.status})"

    @property
    def original_name(self) -> str:
        """The name the browser saves it under: the campaign code and the format."""
        return f"ket-qua-{self.run.campaign.code}.{self.format}"

    @property
    def content_type(self) -> str:
        return documents.PDF if self.format == ExportFormat.PDF else documents.XLSX

    @property
    def progress(self) -> int:
        """Percent of the rows written; 100 once the file is there."""
        return _percent(self.rows_done, self.rows_total, finished=self.status == ExportStatus.DONE)

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def waits_for_queue(self) -> bool:
        """Queued and no worker has taken it yet: the task queue is down or not consumed."""
        if self.status != ExportStatus.QUEUED:
            return False
        since = self.heartbeat_at or self.created_at
        grace = datetime.timedelta(seconds=settings.SCORING_QUEUE_GRACE_SECONDS)
        return since is not None and timezone.now() - since > grace
