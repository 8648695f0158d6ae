"""The organisation: unit kinds, the unit hierarchy, memberships and emulation blocks.

The hierarchy is data: a new kind of unit needs no code, and a merger or a rename keeps the old
unit (closed by `valid_to`) linked to its `successor`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from core.text import fold


class UnitKind(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(TreeQuerySet):
    def active_on(self, day):  # type: ignore[no-untyped-def]
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def search(self, text: str):  # type: ignore[no-untyped-def]
        """Match code or name, ignoring case and Vietnamese diacritics."""
        folded = fold(text)
        return self.filter(Q(search_name__contains=folded) | Q(code__iexact=text.strip()))


class Unit(TreeNode):
    code = models.CharField(
        _("mã"), max_length=32, unique=True, help_text=_("Mã hành chính chính thức nếu có.")
    )
    name = models.CharField(_("tên"), max_length=255)
    search_name = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.ForeignKey(
        UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("loại")
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)

    objects = UnitQuerySet.as_manager(with_tree_fields=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_dates_in_order",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None


class Membership(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Thủ trưởng đơn vị")
        STAFF = "staff", _("Cán bộ đơn vị")
        OFFICER = "officer", _("Cán bộ phụ trách thi đua")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("thành viên đơn vị")
        verbose_name_plural = _("thành viên đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit} ({self.get_role_display()})"


class Block(models.Model):
    """A standing group of comparable units (khối/cụm thi đua) with a rotating head unit."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    head_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_blocks",
        verbose_name=_("đơn vị trưởng khối"),
    )
    members = models.ManyToManyField(
        Unit, through="BlockMember", related_name="blocks", verbose_name=_("đơn vị thành viên")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")

    def __str__(self) -> str:
        return self.name


class BlockMember(models.Model):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="block_memberships")

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        constraints = [
            models.UniqueConstraint(fields=["block", "unit"], name="block_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.block} — {self.unit}"
