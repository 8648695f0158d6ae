"""The organisation: unit kinds, the unit hierarchy, memberships and emulation blocks.

The hierarchy is data: a new kind of unit needs no code. Each kind has a level (tỉnh; xã, phường,
đặc khu; huyện and thị trấn only until 30 June 2025, `valid_until`). A merger, a split or a rename
keeps the old unit, closed by `valid_to`, and records a `UnitLink` from it to each successor with
the day the change took effect; `Unit.successor` keeps the main successor for the units workbook.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from core.text import fold


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức")


class UnitKindQuerySet(models.QuerySet["UnitKind"]):
    def current(self, day: datetime.date | None = None):  # type: ignore[no-untyped-def]
        """The kinds a unit may have on `day` (today by default): not those abolished before."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class UnitKind(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    level = models.CharField(
        _("cấp"), max_length=16, choices=UnitLevel.choices, default=UnitLevel.ORGANISATION
    )
    valid_until = models.DateField(
        _("tồn tại đến"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng loại đơn vị này còn tồn tại (huyện, thị trấn: 30/6/2025)."),
    )

    objects = UnitKindQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")

    def __str__(self) -> str:
        return self.name

    @property
    def is_historical(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class UnitQuerySet(TreeQuerySet):
    def active_on(self, day):  # type: ignore[no-untyped-def]
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def valid_during(self, starts_on: datetime.date, ends_on: datetime.date):  # type: ignore[no-untyped-def]
        """Units in existence on at least one day of [starts_on, ends_on]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=ends_on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=starts_on)
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
        verbose_name=_("đơn vị kế thừa chính"),
        help_text=_("Giữ cho tệp Excel; lịch sử đầy đủ là các liên kết kế thừa."),
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

    def valid_during(self, starts_on: datetime.date, ends_on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= ends_on) and (
            self.valid_to is None or self.valid_to >= starts_on
        )


class UnitLink(models.Model):
    """One step of a unit's history: `predecessor` went on as (or into) `successor` from
    `effective_on`. A merger has several links to one successor, a split several from one
    predecessor."""

    class Kind(models.TextChoices):
        MERGER = "merger", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        RENAME = "rename", _("Đổi tên")

    predecessor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="successor_links",
        verbose_name=_("đơn vị trước"),
    )
    successor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="predecessor_links",
        verbose_name=_("đơn vị sau"),
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    effective_on = models.DateField(_("có hiệu lực từ"))
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("liên kết kế thừa")
        verbose_name_plural = _("liên kết kế thừa")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_link_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="unit_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


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


class UnitEvent(models.Model):
    """A unit's history: who created or changed it, when, from which value to which."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo đơn vị")
        UPDATE = "update", _("Sửa đơn vị")
        CLOSE = "close", _("Kết thúc hiệu lực")
        LINK = "link", _("Ghi liên kết kế thừa")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    subject = models.CharField(max_length=255, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lịch sử đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.subject}"


class PersonEvent(models.Model):
    """A person's history: their account and their roles per unit, who changed them and when.
    A person is never deleted (they are deactivated), so their history stays."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo tài khoản")
        UPDATE = "update", _("Sửa tài khoản")
        INVITE = "invite", _("Gửi lời mời đặt mật khẩu")
        DEACTIVATE = "deactivate", _("Khóa tài khoản")
        REACTIVATE = "reactivate", _("Mở lại tài khoản")
        ROLE_SET = "role_set", _("Giao vai trò")
        ROLE_REMOVE = "role_remove", _("Bỏ vai trò")
        ROLE_MOVE = "role_move", _("Chuyển vai trò sang đơn vị kế thừa")
        COUNCIL = "council", _("Thành viên Hội đồng thi đua")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="person_events"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="person_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    subject = models.CharField(max_length=255, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lịch sử người dùng")
        verbose_name_plural = _("lịch sử người dùng")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.subject}"
