"""Self-assessments, evidence and council reviews (scoring runs and results build on these)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Criterion, Enrolment
from units.models import Block, Unit
from units.uploads import StoredFile


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Assessment(models.Model):
    """A unit's self-assessment in one campaign. `version` guards against silent overwrites."""

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="assessment",
        verbose_name=_("đơn vị tham gia"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("nộp lần đầu lúc"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("nộp gần nhất lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    review_stage = models.PositiveSmallIntegerField(_("vòng thẩm định"), default=1)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản tự chấm điểm")
        verbose_name_plural = _("bản tự chấm điểm")

    def __str__(self) -> str:
        return str(self.enrolment)

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(
        _("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("giải trình"), blank=True)

    class Meta:
        verbose_name = _("điểm tự chấm")
        verbose_name_plural = _("điểm tự chấm")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="item_unique_criterion"
            ),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="item_self_score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.criterion_id}"


class Evidence(StoredFile):
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="evidence")

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")


class ReviewAssignment(models.Model):
    """A council member reviews the units of a block, or one unit, at one stage."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    block = models.ForeignKey(
        Block, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    stage = models.PositiveSmallIntegerField(_("vòng"), default=1)

    class Meta:
        verbose_name = _("phân công thẩm định")
        verbose_name_plural = _("phân công thẩm định")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True, block__isnull=False)
                | Q(unit__isnull=False, block__isnull=True),
                name="assignment_unit_or_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.unit or self.block} ({self.stage})"


class ReviewItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_items"
    )
    stage = models.PositiveSmallIntegerField(_("vòng"), default=1)
    score = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm thẩm định")
        verbose_name_plural = _("điểm thẩm định")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion", "reviewer", "stage"], name="review_item_unique"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="review_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.score}"


class AssessmentEvent(models.Model):
    """Every change of a score or a status: who, when, the old and the new value."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=40)
    criterion = models.ForeignKey(
        Criterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    # The assessment version this change produced: a refused concurrent save lists the changes
    # made after the version its form was loaded at.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lịch sử chấm điểm")
        verbose_name_plural = _("lịch sử chấm điểm")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.field}"

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return str(_("hệ thống"))
        return self.actor.get_full_name() or self.actor.username

    @property
    def field_label(self) -> str:
        return str(EVENT_FIELDS.get(self.field, self.field))

    @property
    def old_display(self) -> str:
        return _value_label(self.field, self.old_value)

    @property
    def new_display(self) -> str:
        return _value_label(self.field, self.new_value)


EVENT_FIELDS = {
    "self_score": _("điểm tự chấm"),
    "note": _("giải trình"),
    "review_score": _("điểm thẩm định"),
    "status": _("trạng thái"),
    "evidence": _("minh chứng"),
    "review_stage": _("vòng thẩm định"),
}


def _value_label(field: str, value: str) -> str:
    if field == "status" and value in AssessmentStatus.values:
        return str(AssessmentStatus(value).label)
    return value or "—"


class Notification(models.Model):
    """A message in a user's in-portal list; e-mailed by a Celery task after the commit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=255, blank=True)
    # Reminders and notices sent by the schedule carry a key, so running it twice sends once.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at"])]

    def __str__(self) -> str:
        return self.subject


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
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    inputs_summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    is_published = models.BooleanField(default=False)
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
        if self.status == RunStatus.SUCCEEDED:
            return 100
        if not self.chunks_total:
            return 0
        return min(99, 100 * self.chunks_done // self.chunks_total)

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


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
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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

    class Meta:
        ordering = ["rank", "unit_name"]
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        constraints = [
            models.UniqueConstraint(fields=["run", "enrolment"], name="result_unique_unit"),
        ]
        indexes = [models.Index(fields=["run", "final_score"])]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.final_score}"
