"""Council sessions and secret-ballot votes on commendation proposals (Law 06/2022/QH15).

Secrecy: a VoteReceipt records THAT a member voted on a nomination; a Ballot records WHAT was
voted. Nothing links the two: ballots have random primary keys and no author and no time.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Enrolment

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Title(models.Model):
    """A commendation title and what it takes: its vote threshold and its reward."""

    name = models.CharField(_("danh hiệu"), max_length=120, unique=True)
    threshold_percent = models.DecimalField(
        _("tỷ lệ phiếu đồng ý tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=PERCENT,
    )
    reward_multiple = models.DecimalField(
        _("mức thưởng (lần mức lương cơ sở)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("danh hiệu")
        verbose_name_plural = _("danh hiệu")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=0, threshold_percent__lte=100),
                name="title_threshold_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Chuẩn bị")
    VOTING = "voting", _("Đang biểu quyết")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilSession(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("ngày họp"))
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    quorum_percent = models.DecimalField(
        _("tỷ lệ có mặt tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
        validators=PERCENT,
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("phiên họp hội đồng")
        verbose_name_plural = _("phiên họp hội đồng")

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.held_on:%d/%m/%Y}"


class Attendance(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user} ({'có mặt' if self.present else 'vắng'})"


class Nomination(models.Model):
    session = models.ForeignKey(
        CouncilSession, on_delete=models.CASCADE, related_name="nominations"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="+")
    final_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment", "title"], name="nomination_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.unit} — {self.title}"


class VoteReceipt(models.Model):
    """That a member voted on a nomination (no choice, no time)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "user"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.nomination_id}"


class Choice(models.TextChoices):
    YES = "yes", _("Đồng ý")
    NO = "no", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")


class Ballot(models.Model):
    """What was voted (no member, no time; a random key so order reveals nothing)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("phiếu")
        verbose_name_plural = _("phiếu")

    def __str__(self) -> str:
        return self.get_choice_display()
