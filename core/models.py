"""The record of sign-ins: each password sign-in, refusal, lockout and second step, and each
change of a person's two-factor set-up (core/services.py writes them)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInEvent(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Đăng nhập bằng mật khẩu")
        FAILED = "failed", _("Sai tên đăng nhập hoặc mật khẩu")
        LOCKED_OUT = "locked_out", _("Bị khóa tạm thời")
        VERIFIED = "verified", _("Xác thực hai bước")
        RECOVERY_CODE_USED = "recovery_code_used", _("Xác thực bằng mã dự phòng")
        CODE_REFUSED = "code_refused", _("Sai mã xác thực")
        TWO_FACTOR_ON = "two_factor_on", _("Bật xác thực hai bước")
        TWO_FACTOR_OFF = "two_factor_off", _("Tắt xác thực hai bước")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Tạo lại mã dự phòng")
        TWO_FACTOR_RESET = "two_factor_reset", _("Quản trị viên gỡ xác thực hai bước")

    # Null when the name typed matches no account; kept (SET_NULL) when an account is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("tài khoản"),
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    kind = models.CharField(_("sự kiện"), max_length=32, choices=Kind.choices)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sự kiện đăng nhập")
        verbose_name_plural = _("nhật ký đăng nhập")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="sign_in_user_at")]

    def __str__(self) -> str:
        return f"{self.username} — {self.get_kind_display()}"


class HistoryEvent(models.Model):
    """The shape every history shares: who (`actor`, empty for the system) did what (`action`)
    to which part (`subject`), when, from which value to which. Each app's history adds the row
    it belongs to (a campaign, a unit, a person); core/history.py writes the lines."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    subject = models.CharField(max_length=255, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.subject}"

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return str(_("hệ thống"))
        return self.actor.get_full_name() or self.actor.username
