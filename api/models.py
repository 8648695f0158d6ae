"""Client systems that read the authority's published data through the API. A client holds one
token; the portal keeps only its SHA-256 (the token is shown once, when it is made)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import HistoryEvent
from units.models import Unit


class ApiClient(models.Model):
    """A system of another body (a province's database, a newsroom) allowed to read what the
    authority publishes, within the authority's subtree, until it is revoked."""

    authority = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan cấp quyền")
    )
    name = models.CharField(_("tên hệ thống"), max_length=120)
    token_prefix = models.CharField(_("đầu mã khóa"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hệ thống kết nối")
        verbose_name_plural = _("hệ thống kết nối")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiClientEvent(HistoryEvent):
    """One line of a client's history: who made it, who revoked it, when (oldest first). The
    actions need no subject nor values, so this history keeps none."""

    class Action(models.TextChoices):
        CREATE = "create", _("cấp mã khóa")
        REVOKE = "revoke", _("thu hồi mã khóa")

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = None  # type: ignore[assignment]
    old_value = None  # type: ignore[assignment]
    new_value = None  # type: ignore[assignment]

    class Meta(HistoryEvent.Meta):
        ordering = ["at", "pk"]
        verbose_name = _("lịch sử hệ thống kết nối")
        verbose_name_plural = _("lịch sử hệ thống kết nối")

    def __str__(self) -> str:
        return f"{self.client}: {self.get_action_display()}"
