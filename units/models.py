"""The organisation: unit kinds, the unit hierarchy, memberships and emulation blocks.

The hierarchy is data: a new kind of unit needs no code. Each kind has a level (tỉnh; xã, phường,
đặc khu; huyện and thị trấn only until 30 June 2025, `valid_until`). A merger, a split or a rename
keeps the old unit, closed by `valid_to`, and records a `UnitLink` from it to each successor with
the day the change took effect; `Unit.successor` keeps the main successor for the units workbook.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from core.models import HistoryEvent
from core.text import fold
from core.uploads import StoredFile


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


def validate_document_code(value: str) -> None:
    """The short name in a document's number: capitals (Đ too), digits and hyphens, as in UBND or
    HĐTĐKT; never a space or a slash, which would break "12/QĐ-UBND"."""
    if not value or value != value.upper() or not all(c.isalnum() or c == "-" for c in value):
        raise ValidationError(
            _("Chỉ dùng chữ in hoa, chữ số và dấu gạch nối, ví dụ UBND."), code="document_code"
        )


class AuthorityProfile(models.Model):
    """How an authority (a unit that launches campaigns: a province, a commune, a district before
    July 2025) heads and signs its documents, after Nghị định 30/2020/NĐ-CP, Phụ lục I: the
    issuing body under its parent body with a rule line, its short name in the number
    ("Số: 12/QĐ-UBND"), the place in the date line, and who signs."""

    authority = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="profile", verbose_name=_("cơ quan")
    )
    parent_body = models.CharField(
        _("tên cơ quan, tổ chức chủ quản"),
        max_length=200,
        blank=True,
        help_text=_(
            "Dòng trên tên cơ quan ban hành, viết hoa, ví dụ “UBND TỈNH AN GIANG” trên “SỞ NỘI "
            "VỤ”. Ủy ban nhân dân không có cơ quan chủ quản: để trống."
        ),
    )
    issuing_body = models.CharField(
        _("tên cơ quan ban hành"),
        max_length=200,
        help_text=_(
            "Viết hoa, in đậm trên văn bản, có đường kẻ bên dưới. Xuống dòng ở chỗ muốn ngắt, "
            "ví dụ “ỦY BAN NHÂN DÂN” rồi “XÃ KIÊN LƯƠNG”; hoặc một dòng “ỦY BAN NHÂN DÂN "
            "HUYỆN KIÊN LƯƠNG”."
        ),
    )
    name = models.CharField(
        _("tên cơ quan trong câu văn"),
        max_length=200,
        help_text=_(
            "Viết thường như trong câu, ví dụ “Ủy ban nhân dân xã Kiên Lương”: dùng ở dòng "
            "“Kính gửi: Chủ tịch Ủy ban nhân dân xã Kiên Lương” và ở quỹ thi đua, khen thưởng."
        ),
    )
    code = models.CharField(
        _("chữ viết tắt tên cơ quan"),
        max_length=20,
        validators=[validate_document_code],
        help_text=_(
            "Đứng sau loại văn bản trong số, ký hiệu: UBND cho “Số: 12/QĐ-UBND”. Chỉ chữ "
            "in hoa, chữ số và dấu gạch nối."
        ),
    )
    place_name = models.CharField(
        _("địa danh"),
        max_length=120,
        help_text=_(
            "Ghi ở dòng ngày tháng: “Kiên Lương, ngày 05 tháng 6 năm 2026”. Tên riêng của đơn "
            "vị hành chính nơi cơ quan đóng trụ sở, không ghi “xã”, “huyện”."
        ),
    )
    head_title = models.CharField(
        _("chức danh người đứng đầu"),
        max_length=60,
        default="Chủ tịch",
        help_text=_(
            "Ví dụ “Chủ tịch”. Cấp phó ký thay người đứng đầu: “KT. CHỦ TỊCH” trên “PHÓ CHỦ TỊCH”."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ cơ quan")
        verbose_name_plural = _("hồ sơ cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(issuing_body="") & ~Q(code="") & ~Q(place_name=""),
                name="authority_profile_heads_its_documents",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def issuing_lines(self) -> list[str]:
        return [line.strip() for line in self.issuing_body.splitlines() if line.strip()]

    @property
    def issuing_one_line(self) -> str:
        """The issuing body on one line, as a council names its authority above itself."""
        return " ".join(self.issuing_lines)

    def signer_list(self) -> list["AuthoritySigner"]:
        """The head first, then the deputies; none for a profile not yet recorded."""
        return list(self.signers.all()) if self.pk else []

    @property
    def head(self) -> "AuthoritySigner | None":
        return next((s for s in self.signer_list() if not s.is_deputy), None)

    def reference(self, number: int | None, doc_type: str, issuer_code: str = "") -> str:
        """The number and sign of a document: "12/QĐ-UBND" ("3/BB-HĐTĐKT" for a body of the
        authority, such as its council, that signs with its own short name); a blank to fill in
        by hand when the number is not yet given."""
        return f"{number if number else '      '}/{doc_type}-{issuer_code or self.code}"


class AuthoritySigner(models.Model):
    """A person who signs for the authority: its head, or a deputy who signs for the head."""

    class Post(models.TextChoices):
        HEAD = "head", _("Người đứng đầu")
        DEPUTY = "deputy", _("Cấp phó")

    profile = models.ForeignKey(AuthorityProfile, on_delete=models.CASCADE, related_name="signers")
    post = models.CharField(_("chức vụ"), max_length=16, choices=Post.choices)
    full_name = models.CharField(_("họ và tên"), max_length=160)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("người ký")
        verbose_name_plural = _("người ký")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(post="head"), name="authority_has_one_head"
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="signer_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.full_name}"

    @property
    def is_deputy(self) -> bool:
        return self.post == self.Post.DEPUTY

    @property
    def title(self) -> str:
        """ "Chủ tịch" or "Phó Chủ tịch", from the profile's head title."""
        head = self.profile.head_title
        return f"Phó {head}" if self.is_deputy else head


class DocumentType(models.TextChoices):
    """Kinds of document and their abbreviation in the number (Nghị định 30/2020, Phụ lục III)."""

    DECISION = "QĐ", _("Quyết định")
    PROPOSAL = "TTr", _("Tờ trình")
    MINUTES = "BB", _("Biên bản")
    PLAN = "KH", _("Kế hoạch")
    REPORT = "BC", _("Báo cáo")
    NOTICE = "TB", _("Thông báo")


class IssuedDocument(models.Model):
    """One line of the authority's document register (sổ đăng ký văn bản đi): numbers run from 1
    each year and document type, in the order documents are issued, and are never given twice,
    not even when a document is withdrawn (the line stays, marked)."""

    authority = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    doc_type = models.CharField(_("loại văn bản"), max_length=8, choices=DocumentType.choices)
    number = models.PositiveIntegerField(_("số"))
    reference = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    subject = models.CharField(_("trích yếu"), max_length=400)
    signer_name = models.CharField(_("người ký"), max_length=160, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=80, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cấp số"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    withdraw_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)

    class Meta:
        ordering = ["-year", "doc_type", "-number"]
        verbose_name = _("văn bản đã cấp số")
        verbose_name_plural = _("sổ đăng ký văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "doc_type", "number"],
                name="document_number_given_once",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"


class AuthorityCertificate(models.Model):
    """The authority's digital certificate (a PKCS#12 file the manager uploads): its key signs the
    PDFs the authority issues. The file's password is kept sealed under a key derived from
    SECRET_KEY (core/signing.py), never in clear."""

    authority = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="certificate", verbose_name=_("cơ quan")
    )
    pkcs12 = models.BinaryField(_("tệp PKCS#12"))
    sealed_password = models.TextField(_("mật khẩu (đã mã hóa)"))
    subject = models.CharField(_("chủ thể"), max_length=300)
    issuer = models.CharField(_("tổ chức cấp"), max_length=300)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_to = models.DateTimeField(_("hiệu lực đến"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")

    def __str__(self) -> str:
        return self.subject


class PublishedFile(models.Model):
    """An issued document's PDF as the authority published it: the verification mark stamped,
    signed with the authority's certificate when it has one, and kept byte for byte with its
    SHA-256, so anyone holding a copy can check it at the short address (/v/<code>)."""

    authority = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="published_files", verbose_name=_("cơ quan")
    )
    document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("văn bản trong sổ"),
    )
    code = models.CharField(_("mã tra cứu"), max_length=16, unique=True)
    title = models.CharField(_("tên văn bản"), max_length=200)
    reference = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    signer_name = models.CharField(_("người ký"), max_length=160, blank=True)
    certificate_subject = models.CharField(_("ký số bởi"), max_length=300, blank=True)
    certificate_fingerprint = models.CharField(max_length=64, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField("SHA-256", max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp văn bản đã ban hành")
        verbose_name_plural = _("tệp văn bản đã ban hành")

    def __str__(self) -> str:
        return f"{self.reference or self.title} ({self.code})"

    @property
    def signed(self) -> bool:
        return bool(self.certificate_fingerprint)


class AuthorityEvent(HistoryEvent):
    """The history of an authority's profile and register: who changed what, from what to what."""

    authority = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="authority_events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử hồ sơ cơ quan")
        verbose_name_plural = _("lịch sử hồ sơ cơ quan")

    def __str__(self) -> str:
        return f"{self.authority} {self.action} {self.subject}"


class UnitEvent(HistoryEvent):
    """A unit's history: who created or changed it, when, from which value to which."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo đơn vị")
        UPDATE = "update", _("Sửa đơn vị")
        CLOSE = "close", _("Kết thúc hiệu lực")
        LINK = "link", _("Ghi liên kết kế thừa")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")


class PersonEvent(HistoryEvent):
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
    action = models.CharField(max_length=16, choices=Action.choices)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử người dùng")
        verbose_name_plural = _("lịch sử người dùng")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.subject}"


class DocumentTemplate(StoredFile):
    """An authority's own Word template (docxtpl tags) for one kind of document, used in place of
    the built-in one. Every upload is kept; the newest one still `active` is in force; going back
    to the built-in template deactivates them (`units.services.document_template_*`)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Quyết định khen thưởng")
        PROPOSAL = "proposal", _("Tờ trình đề nghị khen thưởng")
        TALLY = "tally", _("Biên bản kiểm phiếu")
        REPORT = "report", _("Báo cáo thành tích")

    authority = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="document_templates", verbose_name=_("cơ quan")
    )
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=Kind.choices)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("mẫu văn bản của cơ quan")
        verbose_name_plural = _("mẫu văn bản của cơ quan")
