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
