"""Self-assessments, evidence, review assignments, council reviews and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Criterion, Enrolment
from core.templatetags.vi_formats import points
from core.uploads import StoredFile
from units.models import Block, Unit


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
    # When the first review score was written (the services that write reviews set it): the
    # progress page's "under review" reads it instead of looking for review rows unit by unit.
    review_started_at = models.DateTimeField(_("bắt đầu thẩm định lúc"), null=True, blank=True)
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

    @property
    def was_submitted(self) -> bool:
        """Submitted at least once (returned and accepted included): from then on the council
        and the managers see it; before, it is the unit's working copy (assessments.rules)."""
        return self.submitted_at is not None


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


class CriterionScore(models.Model):
    """What a scoring run reads of one criterion of one assessment, in hundredths of a point: the
    self score, and the sum and count of the review scores at the latest stage that scored it.

    Derived data, kept current in the transaction of every service that writes a score
    (`assessments.tallies.criterion_scores_refresh`), so a run sums ready rows instead of
    aggregating every review; `tallies.criterion_scores_drift` recomputes them for the audit.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="criterion_scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    self_cents = models.BigIntegerField(null=True)
    review_cents = models.BigIntegerField(null=True)
    reviewers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterion_score_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} — {self.criterion_id}"


class AssessmentSubmission(models.Model):
    """One submission of an assessment: when, by whom, and the assessment version it produced
    (the history rows between two submissions' versions are what changed in between)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("lần nộp"))
    at = models.DateTimeField(_("nộp lúc"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("lần nộp")
        verbose_name_plural = _("các lần nộp")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="submission_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} #{self.number}"


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
    "scores_loaded": _("điểm nạp hàng loạt"),
}


SCORE_FIELDS = frozenset({"self_score", "review_score"})


def _value_label(field: str, value: str) -> str:
    """A history value as the page shows it: a status by its label, a score as the form writes
    it (`vi_formats.points`: 8,5 and 7, never 7.00)."""
    if field == "status" and value in AssessmentStatus.values:
        return str(AssessmentStatus(value).label)
    if field in SCORE_FIELDS and value:
        return points(value) or value
    return value or "—"
