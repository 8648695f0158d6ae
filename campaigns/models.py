"""Campaigns, their councils, enrolments, conferences, registrations and criteria checklists."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import HistoryEvent
from core.uploads import StoredFile, generated_upload_to
from units.models import Block, Unit


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    WINDOW_OPEN = "window_open", _("Đang tự chấm điểm")
    WINDOW_CLOSED = "window_closed", _("Hết hạn tự chấm điểm")
    UNDER_REVIEW = "under_review", _("Đang thẩm định")
    SCORED = "scored", _("Đã chấm điểm")
    PUBLISHED = "published", _("Đã công bố kết quả")
    CLOSED = "closed", _("Đã kết thúc")


def validity_label(unit: Unit) -> str:
    """When a unit exists, as a reader writes it: "hiệu lực đến 30/06/2025"."""
    starts = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else ""
    ends = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else ""
    if starts and ends:
        return str(_("hiệu lực từ %(starts)s đến %(ends)s") % {"starts": starts, "ends": ends})
    if ends:
        return str(_("hiệu lực đến %(ends)s") % {"ends": ends})
    if starts:
        return str(_("hiệu lực từ %(starts)s") % {"starts": starts})
    return ""


class Band(models.TextChoices):
    """The classification bands of docs/domain.md, best first (the results use the same codes)."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc")
    GOOD = "good", _("Hoàn thành tốt")
    PASS = "pass", _("Hoàn thành")
    FAIL = "fail", _("Không hoàn thành")


BANDS_BEST_FIRST = [Band.EXCELLENT, Band.GOOD, Band.PASS, Band.FAIL]


class ZeroFreeBands(models.IntegerChoices):
    """How many of the top bands a unit with a criterion at 0 may not reach."""

    NONE = 0, _("Không áp dụng")
    TOP_ONE = 1, _("Hoàn thành xuất sắc")
    TOP_TWO = 2, _("Hoàn thành xuất sắc và Hoàn thành tốt")
    TOP_THREE = 3, _("Hoàn thành xuất sắc, Hoàn thành tốt và Hoàn thành")


class UnsubmittedBand(models.TextChoices):
    """The classification of a unit that never submitted its self-assessment."""

    NOT_ASSESSED = "not_assessed", _("Chưa đánh giá")
    FAIL = "fail", _("Không hoàn thành")


CRITICAL_CAP_HELP = _(
    "Xếp loại cao nhất của đơn vị không đạt tiêu chí bắt buộc loại này. Chọn “Hoàn thành xuất "
    "sắc” để không hạ xếp loại (đơn vị vẫn không được dẫn đầu cụm/khối)."
)


# The classification rules (docs/domain.md "Scoring"), each a campaign setting; fixed at launch.
CLASSIFICATION_RULES = [
    "excellent_min",
    "good_min",
    "pass_min",
    "zero_free_bands",
    "critical_points_cap",
    "critical_yes_no_cap",
    "critical_deduction_cap",
    "unsubmitted_band",
    "bonus_limit",
    "deduction_limit",
]


class Campaign(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên phong trào"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    # Empty only for a campaign imported from a workbook that names no authority: until one is
    # set, only administrators manage it.
    authority = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("cơ quan phát động"),
    )
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    window_opens_on = models.DateField(_("mở tự chấm điểm từ"))
    window_closes_on = models.DateField(_("hạn tự chấm điểm"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    checklist = models.ForeignKey(
        "Checklist",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bộ tiêu chí"),
    )
    # Scoring settings (docs/domain.md defaults).
    score_step = models.DecimalField(
        _("bước điểm"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    excellent_min = models.DecimalField(
        _("ngưỡng Hoàn thành xuất sắc"), max_digits=5, decimal_places=2, default=Decimal(90)
    )
    good_min = models.DecimalField(
        _("ngưỡng Hoàn thành tốt"), max_digits=5, decimal_places=2, default=Decimal(80)
    )
    pass_min = models.DecimalField(
        _("ngưỡng Hoàn thành"), max_digits=5, decimal_places=2, default=Decimal(50)
    )
    # Classification rules (docs/domain.md "Scoring rules"; provinces set their own, e.g. Cần Thơ
    # 2025). The defaults change nothing: no extra condition, no limit.
    zero_free_bands = models.PositiveSmallIntegerField(
        _("hạng yêu cầu không có tiêu chí 0 điểm"),
        choices=ZeroFreeBands.choices,
        default=ZeroFreeBands.NONE,
        help_text=_(
            "Đơn vị có một tiêu chí chấm điểm hoặc đạt/không đạt bị 0 điểm không được xếp vào "
            "các hạng này dù đủ điểm, mà xếp vào hạng cao nhất còn lại."
        ),
    )
    unsubmitted_band = models.CharField(
        _("xếp loại đơn vị không nộp bản tự chấm điểm"),
        max_length=16,
        choices=UnsubmittedBand.choices,
        default=UnsubmittedBand.NOT_ASSESSED,
        help_text=_("Đơn vị không nộp bản tự chấm điểm không có điểm và không được xếp hạng."),
    )
    critical_points_cap = models.CharField(
        _("vi phạm tiêu chí bắt buộc chấm điểm: xếp loại tối đa"),
        max_length=16,
        choices=Band.choices,
        default=Band.GOOD,
        help_text=CRITICAL_CAP_HELP,
    )
    critical_yes_no_cap = models.CharField(
        _("vi phạm tiêu chí bắt buộc đạt/không đạt: xếp loại tối đa"),
        max_length=16,
        choices=Band.choices,
        default=Band.GOOD,
        help_text=CRITICAL_CAP_HELP,
    )
    critical_deduction_cap = models.CharField(
        _("vi phạm tiêu chí bắt buộc điểm trừ: xếp loại tối đa"),
        max_length=16,
        choices=Band.choices,
        default=Band.GOOD,
        help_text=CRITICAL_CAP_HELP,
    )
    bonus_limit = models.DecimalField(
        _("tổng điểm thưởng tối đa"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Tổng điểm thưởng được tính không quá số điểm này; để trống nếu không giới hạn."
        ),
    )
    deduction_limit = models.DecimalField(
        _("tổng điểm trừ tối đa"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Tổng điểm trừ được tính không quá số điểm này; để trống nếu không giới hạn."),
    )
    exemplary_per_block = models.PositiveSmallIntegerField(
        _("số điển hình mỗi khối"), default=1, validators=[MinValueValidator(1)]
    )
    review_stages = models.PositiveSmallIntegerField(
        _("số vòng thẩm định"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    # Moved by every write to what a scoring run reads (`campaigns.services.scores_touched`, in
    # the writer's transaction): a run whose campaign moved between its plan and its finish fails.
    scores_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The last day a council session voted on: the seats in force up to it are its record, so a
    # change of the council takes effect the day after at the earliest (`council_fix`).
    council_fixed_through = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_dates_in_order",
                violation_error_message=_("Ngày kết thúc phải không trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(window_closes_on__gte=F("window_opens_on")),
                name="campaign_window_in_order",
                violation_error_message=_("Hạn tự chấm điểm phải không trước ngày mở."),
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__gte=F("good_min"), good_min__gte=F("pass_min")),
                name="campaign_bands_in_order",
                violation_error_message=_("Các ngưỡng xếp loại phải giảm dần."),
            ),
            models.CheckConstraint(
                condition=Q(zero_free_bands__lte=max(ZeroFreeBands.values)),
                name="campaign_zero_free_bands_known",
            ),
            models.CheckConstraint(
                condition=Q(unsubmitted_band__in=UnsubmittedBand.values),
                name="campaign_unsubmitted_band_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    critical_points_cap__in=Band.values,
                    critical_yes_no_cap__in=Band.values,
                    critical_deduction_cap__in=Band.values,
                ),
                name="campaign_critical_caps_known",
            ),
            models.CheckConstraint(
                condition=(Q(bonus_limit__isnull=True) | Q(bonus_limit__gte=0))
                & (Q(deduction_limit__isnull=True) | Q(deduction_limit__gte=0)),
                name="campaign_limits_not_negative",
                violation_error_message=_("Giới hạn điểm thưởng, điểm trừ không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # `scores_version` moves only by its F() update: a full save of an instance read before
        # that update must not write the older number back (a run would miss the edit).
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "scores_version"
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Ngày kết thúc phải không trước ngày bắt đầu.")})
        window = self.window_opens_on and self.window_closes_on
        if window and self.window_closes_on < self.window_opens_on:
            raise ValidationError(
                {"window_closes_on": _("Hạn tự chấm điểm phải không trước ngày mở.")}
            )
        dates = self.starts_on and self.ends_on
        if dates and window:
            self._clean_window()
        if dates and self.authority_id is not None:
            self._clean_authority()

    def _clean_window(self) -> None:
        """The self-assessment window lies inside the campaign's dates."""
        outside = {
            name: _(
                "Thời gian tự chấm điểm phải nằm trong thời gian của phong trào (%(starts)s – "
                "%(ends)s)."
            )
            % {"starts": f"{self.starts_on:%d/%m/%Y}", "ends": f"{self.ends_on:%d/%m/%Y}"}
            for name, out in (
                ("window_opens_on", self.window_opens_on < self.starts_on),
                ("window_closes_on", self.window_closes_on > self.ends_on),
            )
            if out
        }
        if outside:
            raise ValidationError(outside)

    def _clean_authority(self) -> None:
        """The authority exists on at least one day of the campaign (a district that ended on
        30/06/2025 launches no campaign of 2026)."""
        authority = self.authority
        if authority is not None and not authority.valid_during(self.starts_on, self.ends_on):
            raise ValidationError(
                {
                    "authority": _(
                        "“%(unit)s” không còn hoặc chưa có hiệu lực trong thời gian của phong "
                        "trào (%(validity)s)."
                    )
                    % {"unit": authority.name, "validity": validity_label(authority)}
                }
            )

    def calendar_status(self, today: datetime.date) -> str:
        """The status the window's dates call for on `today`: a launched campaign opens on the
        window's first day; an open window, or one that passed wholly before the campaign was
        launched or imported, closes after its last day. Every other status is the managers' to
        change and is kept, and so is a window they opened early or closed early."""
        if self.status not in (CampaignStatus.LAUNCHED, CampaignStatus.WINDOW_OPEN):
            return self.status
        if today > self.window_closes_on:
            return CampaignStatus.WINDOW_CLOSED
        if self.status == CampaignStatus.LAUNCHED and today >= self.window_opens_on:
            return CampaignStatus.WINDOW_OPEN
        return self.status

    @property
    def window_passed_before_launch(self) -> bool:
        """Launched (or imported) after its window's last day: a round kept on paper, whose
        window the portal never opened."""
        launched = self.launched_at
        return launched is not None and timezone.localdate(launched) > self.window_closes_on

    @property
    def is_editable(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    @property
    def zero_criterion_cap(self) -> Band:
        """The best band a unit with a points or yes_no criterion at 0 may reach."""
        return BANDS_BEST_FIRST[self.zero_free_bands]

    def critical_cap(self, kind: str) -> Band:
        """The best band a unit with a shortfall on a critical criterion of `kind` may reach."""
        caps = {
            "points": self.critical_points_cap,
            "yes_no": self.critical_yes_no_cap,
            "deduction": self.critical_deduction_cap,
        }
        return Band(caps[kind])


class CouncilSeatQuerySet(models.QuerySet["CouncilSeat"]):
    def in_force(self, day: datetime.date) -> "CouncilSeatQuerySet":
        """The seats in force on `day`: a session takes its attendance from them."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self, day: datetime.date | None = None) -> "CouncilSeatQuerySet":
        """The council as it stands: seats not ended before `day` (today), future ones too."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class CouncilSeat(models.Model):
    """A member of the campaign's council (Hội đồng thi đua khen thưởng), in a role, from
    `valid_from` (empty: from the start) to `valid_to` (the last day; empty: still sitting). A
    change of role ends one seat and opens another; a removal ends the seat. Seats are changed
    only through `campaigns.services.council_seat_set` and its neighbours."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
        SECRETARY = "secretary", _("Thư ký")
        MEMBER = "member", _("Ủy viên")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="council_seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_seats"
    )
    role = models.CharField(
        _("chức danh"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = CouncilSeatQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=Q(valid_to__isnull=True),
                name="council_seat_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="council_seat_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def with_lateness(self, today: datetime.date) -> "EnrolmentQuerySet":
        """Annotate `late`: the SQL form of `Enrolment.submitted_on_time` (the one rule, kept
        beside it; a test checks that both agree), for lists and counts over many units."""
        closes = F("campaign__window_closes_on")
        deadline = Greatest(closes, Coalesce(F("reopened_until"), closes))
        submitted = F("assessment__submitted_at")
        return self.annotate(
            deadline=deadline,
            submitted_day=TruncDate(submitted, tzinfo=timezone.get_current_timezone()),
        ).annotate(
            late=models.Case(
                models.When(
                    Q(assessment__submitted_at__isnull=False) & Q(submitted_day__gt=F("deadline")),
                    then=models.Value(True),
                ),
                models.When(
                    Q(assessment__submitted_at__isnull=True)
                    & Q(deadline__lt=today)
                    & ~Q(campaign__status="draft"),
                    then=models.Value(True),
                ),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class Enrolment(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="enrolments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrolments")
    block = models.ForeignKey(
        Block,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("khối thi đua"),
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    reopened_until = models.DateField(_("mở lại đến"), null=True, blank=True)
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                name="enrolment_unique_unit",
                violation_error_message=_("Đơn vị đã được đăng ký vào phong trào này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign.code}"

    @property
    def submission_deadline(self) -> datetime.date:
        """The last day a submission counts as on time: the window's close or, for a unit whose
        window was reopened, the reopened date (docs/domain.md, leading unit)."""
        closes = self.campaign.window_closes_on
        return max(closes, self.reopened_until) if self.reopened_until else closes

    def submitted_on_time(self, submitted_at: datetime.datetime | None) -> bool:
        """The one rule for "on time": progress pages, the scoring engine and exports use it."""
        if submitted_at is None:
            return False
        return timezone.localtime(submitted_at).date() <= self.submission_deadline


class ConferenceKind(models.TextChoices):
    LAUNCH = "launch", _("Hội nghị phát động")
    ROLLOUT = "rollout", _("Hội nghị triển khai")
    MIDTERM = "midterm", _("Hội nghị sơ kết")
    FINAL = "final", _("Hội nghị tổng kết")


class Conference(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="conferences")
    kind = models.CharField(_("loại hội nghị"), max_length=16, choices=ConferenceKind.choices)
    held_at = models.DateTimeField(_("thời gian"))
    venue = models.CharField(_("địa điểm"), max_length=255)
    chair = models.CharField(_("chủ trì"), max_length=255)
    attending_units = models.ManyToManyField(
        Unit, blank=True, related_name="conferences", verbose_name=_("đơn vị dự")
    )
    attendees = models.TextField(_("đại biểu tham dự"), blank=True)
    agenda = models.TextField(_("chương trình"), blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)

    class Meta:
        ordering = ["held_at"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.held_at:%d/%m/%Y}"


class ConferenceFile(StoredFile):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Tài liệu")
        PHOTO = "photo", _("Hình ảnh")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tệp hội nghị")
        verbose_name_plural = _("tệp hội nghị")


class CampaignAttachment(StoredFile):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch")
        DECISION = "decision", _("Quyết định")
        OTHER = "other", _("Khác")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.PLAN)
    title = models.CharField(_("tiêu đề"), max_length=255)

    class Meta:
        verbose_name = _("văn bản đính kèm")
        verbose_name_plural = _("văn bản đính kèm")


class Registration(models.Model):
    """A unit's commitment to take part (đăng ký thi đua), accepted or returned by the manager."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SENT = "sent", _("Đã gửi")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        RETURNED = "returned", _("Bị trả lại")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="registration"
    )
    targets = models.TextField(_("chỉ tiêu đăng ký"))
    file = models.FileField(_("bản ký"), upload_to=generated_upload_to, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    reason = models.TextField(_("lý do trả lại"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(reason=""),
                name="registration_returned_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.get_status_display()}"


class Checklist(models.Model):
    """A set of criteria: a reusable template, or a version of one campaign's checklist."""

    name = models.CharField(_("tên"), max_length=255)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="checklists"
    )
    is_template = models.BooleanField(_("là mẫu"), default=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    frozen_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)

    class Meta:
        ordering = ["name", "version"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "version"], name="checklist_unique_campaign_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class FrozenChecklistError(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("Bộ tiêu chí đã khóa khi phát động phong trào: không thể sửa."))


class CriterionQuerySet(models.QuerySet["Criterion"]):
    """Bulk writes refuse to touch a frozen checklist, whoever calls them."""

    def _refuse_if_frozen(self) -> None:
        if self.filter(checklist__frozen_at__isnull=False).exists():
            raise FrozenChecklistError()

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self):  # type: ignore[no-untyped-def]
        self._refuse_if_frozen()
        return super().delete()


class CriterionKind(models.TextChoices):
    POINTS = "points", _("Chấm điểm")
    YES_NO = "yes_no", _("Đạt / không đạt")
    DEDUCTION = "deduction", _("Điểm trừ")
    BONUS = "bonus", _("Điểm thưởng")


# The kinds that make the base maximum, that a unit fills before it submits and that a critical
# criterion must reach in full (docs/domain.md); deductions and the bonus come on top.
SCORED_KINDS = (CriterionKind.POINTS, CriterionKind.YES_NO)


class Criterion(models.Model):
    """A line of the checklist. One with sub-criteria is a section and carries no score."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc mục"),
    )
    code = models.CharField(_("mã"), max_length=32)
    title = models.CharField(_("nội dung tiêu chí"), max_length=500)
    kind = models.CharField(
        _("loại"), max_length=16, choices=CriterionKind.choices, default=CriterionKind.POINTS
    )
    max_points = models.DecimalField(
        _("điểm tối đa"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    critical = models.BooleanField(_("tiêu chí bắt buộc"), default=False)
    evidence_required = models.BooleanField(_("yêu cầu minh chứng"), default=False)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "code"],
                name="criterion_unique_code",
                violation_error_message=_("Mã tiêu chí đã có trong bộ tiêu chí."),
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criterion_max_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    @property
    def kind_label(self) -> str:
        """`get_kind_display()` without rebuilding the choices (a checklist shows it per row)."""
        try:
            return str(CriterionKind(self.kind).label)
        except ValueError:
            return self.kind

    def _refuse_if_frozen(self) -> None:
        if Checklist.objects.filter(pk=self.checklist_id, frozen_at__isnull=False).exists():
            raise FrozenChecklistError()


class CampaignEvent(HistoryEvent):
    """The campaign's history: who changed what, when, from which value to which, and why."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    reason = models.TextField(blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử phong trào")
        verbose_name_plural = _("lịch sử phong trào")
