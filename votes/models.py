"""Council sessions, the award catalogue and secret-ballot votes (Law 06/2022/QH15).

Secrecy (docs/domain-law.md, "Phiếu kín"): a VoteReceipt records THAT a member voted on a
nomination, written when they vote. What they chose goes into the nomination's SealedBox, a
row of three counters updated in place, so no row per vote exists while voting is open. At the
close one transaction writes a Ballot per vote in a fixed order (nomination, choice) that depends
on the counts alone, and deletes the boxes: no column, key, row order or transaction id pairs a
ballot with a receipt.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CouncilSeat, Enrolment
from core.models import HistoryEvent
from core.uploads import StoredFile
from units.models import Block, Unit

MULTIPLE = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True}


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")


def recipient_label(kind: str, person_name: str, position: str, enrolment: Enrolment) -> str:
    """Who is proposed, as the documents write it: the unit, or the person with their post and
    unit, or the household and its unit."""
    unit = enrolment.unit.name
    if kind == RecipientKind.COLLECTIVE:
        return unit
    if kind == RecipientKind.HOUSEHOLD:
        return str(_("Hộ gia đình %(name)s, %(unit)s")) % {"name": person_name, "unit": unit}
    post = f", {position}" if position else ""
    return f"{person_name}{post}, {unit}"


class Award(models.Model):
    """A danh hiệu thi đua or a hình thức khen thưởng, with the rule that decides it and its
    reward; every number carries its legal source and whether it was checked in the text."""

    class Kind(models.TextChoices):
        TITLE = "title", _("Danh hiệu thi đua")
        COMMENDATION = "commendation", _("Hình thức khen thưởng")

    class Level(models.TextChoices):
        COMMUNE = "commune", _("Cấp xã (xã, phường, đặc khu)")
        DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")
        PROVINCE = "province", _("Cấp tỉnh")
        MINISTRY = "ministry", _("Bộ, ban, ngành trung ương")
        PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
        PRESIDENT = "president", _("Chủ tịch nước")

    # Levels compared by rank: a ministry stands beside a province.
    RANK = {
        "commune": 1,
        "district": 2,
        "province": 3,
        "ministry": 3,
        "prime_minister": 4,
        "president": 5,
    }

    class Period(models.TextChoices):
        ANNUAL = "annual", _("Hằng năm")
        CAMPAIGN = "campaign", _("Theo đợt, chuyên đề")

    class Rule(models.TextChoices):
        SECRET_BALLOT = "secret_ballot", _("Bỏ phiếu kín, tỷ lệ trên tổng số thành viên")
        MAJORITY = "majority", _("Biểu quyết quá bán tổng số thành viên")

    code = models.CharField(_("mã"), max_length=40, blank=True)
    name = models.CharField(_("tên"), max_length=160, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    for_collective = models.BooleanField(_("tặng tập thể"), default=False)
    for_individual = models.BooleanField(_("tặng cá nhân"), default=False)
    for_household = models.BooleanField(_("tặng hộ gia đình"), default=False)
    period = models.CharField(_("thời điểm xét"), max_length=16, choices=Period.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh hiệu, hình thức khen thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(for_collective=True) | Q(for_individual=True) | Q(for_household=True),
                name="award_has_a_recipient_kind",
            ),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="award_code_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def allows(self, recipient_kind: str) -> bool:
        return bool(getattr(self, f"for_{recipient_kind}", False))

    def term_on(self, day: datetime.date) -> "AwardTerm | None":
        """The term in force on `day` (the texts a session of that date applies), or None."""
        return next((term for term in self.terms.all() if term.covers(day)), None)


def rule_text(rule: str, threshold_percent: int) -> str:
    """How the council decides, in words ("Bỏ phiếu kín, đạt từ 90% …")."""
    if rule == Award.Rule.SECRET_BALLOT:
        return str(_("Bỏ phiếu kín, đạt từ %(p)s%% tổng số thành viên trở lên")) % {
            "p": threshold_percent
        }
    return str(_("Biểu quyết, trên %(p)s%% tổng số thành viên")) % {"p": threshold_percent}


class AwardTerm(models.Model):
    """What the law said about an award for a period: who decides it, how the council votes on
    it and the reward multiples, each with its source (article, clause, where it was read and
    whether it was checked in the text itself). A session applies the term in force on its date;
    `valid_to` is the last day (empty: still in force), `valid_from` empty: since before the
    oldest text the catalogue records."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="terms")
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)
    texts = models.CharField(_("văn bản áp dụng"), max_length=160, blank=True)
    level = models.CharField(_("cấp quyết định"), max_length=16, choices=Award.Level.choices)
    highest_level = models.CharField(
        _("đến cấp"),
        max_length=16,
        choices=Award.Level.choices,
        blank=True,
        help_text=_("Cấp cao nhất cũng quyết định tặng (để trống: chỉ cấp quyết định)."),
    )
    level_source = models.CharField(_("căn cứ thẩm quyền"), max_length=255, blank=True)
    rule = models.CharField(_("cách xét"), max_length=16, choices=Award.Rule.choices)
    threshold_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ đồng ý (% tổng số thành viên)"), default=50
    )
    threshold_source = models.CharField(_("căn cứ tỷ lệ"), max_length=255, blank=True)
    threshold_verified = models.BooleanField(_("tỷ lệ đã đối chiếu văn bản"), default=False)
    multiple_collective = models.DecimalField(_("hệ số thưởng tập thể"), **MULTIPLE)
    multiple_individual = models.DecimalField(_("hệ số thưởng cá nhân"), **MULTIPLE)
    multiple_household = models.DecimalField(_("hệ số thưởng hộ gia đình"), **MULTIPLE)
    multiple_source = models.CharField(_("căn cứ mức thưởng"), max_length=255, blank=True)
    multiple_verified = models.BooleanField(_("mức thưởng đã đối chiếu văn bản"), default=False)
    # Set by `award_term_update`: a term the province's emulation office edited is theirs, and
    # the data migrations (votes/catalogue.py) no longer write over it.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("sửa lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["award__order", "award__name", F("valid_from").asc(nulls_first=True)]
        verbose_name = _("mức, tỷ lệ theo thời kỳ")
        verbose_name_plural = _("mức, tỷ lệ theo thời kỳ")
        constraints = [
            models.UniqueConstraint(fields=["award", "valid_from"], name="award_term_once"),
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(valid_from__isnull=True),
                name="award_term_one_open_start",
            ),
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=1, threshold_percent__lte=100),
                name="award_term_threshold_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=F("valid_to")),
                name="award_term_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} ({self.period_label})"

    def covers(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def period_label(self) -> str:
        start = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{start} – {end}"

    def decided_at(self, level: str) -> str:
        """ "own" if an authority of `level` decides this award, "above" if it may only propose
        it to the level above, "below" if the award belongs to a lower level."""
        rank = Award.RANK[level]
        if rank < Award.RANK[self.level]:
            return "above"
        if rank > Award.RANK[self.highest_level or self.level]:
            return "below"
        return "own"

    @property
    def rule_label(self) -> str:
        return rule_text(self.rule, self.threshold_percent)

    def multiple_for(self, recipient_kind: str) -> Decimal | None:
        value: Decimal | None = getattr(self, f"multiple_{recipient_kind}", None)
        return value


class ProvinceRatio(models.Model):
    """The ratio a province's own regulation (quy chế thi đua, khen thưởng) sets for an award, for
    its council and the councils of the units under it (NĐ 152/2025 Điều 6 khoản 2 điểm đ, e
    leave their rules to the province; LAW.md W3-W5): in force from `valid_from` to `valid_to`
    (the last day; empty: still in force), with its source (the regulation's number, article,
    clause). A session applies the setting of the province nearest above its campaign's
    authority in force on its date; without one, the catalogue's term (`selectors.vote_rule_on`)."""

    authority = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="award_ratios", verbose_name=_("tỉnh")
    )
    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="+", verbose_name=_("danh hiệu, hình thức")
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)
    rule = models.CharField(_("cách xét"), max_length=16, choices=Award.Rule.choices)
    threshold_percent = models.PositiveSmallIntegerField(_("tỷ lệ đồng ý (% tổng số thành viên)"))
    source = models.CharField(
        _("căn cứ"),
        max_length=255,
        help_text=_(
            "Số văn bản của tỉnh, điều, khoản, ví dụ “Quyết định 12/2025/QĐ-UBND, Điều 9 khoản 2”."
        ),
    )
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("sửa lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["authority__name", "award__order", "valid_from"]
        verbose_name = _("tỷ lệ biểu quyết do tỉnh quy định")
        verbose_name_plural = _("tỷ lệ biểu quyết do tỉnh quy định")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "award", "valid_from"], name="province_ratio_once"
            ),
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=1, threshold_percent__lte=100),
                name="province_ratio_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="province_ratio_period_in_order",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="province_ratio_has_a_source"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} · {self.award} ({self.period_label})"

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def period_label(self) -> str:
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.valid_from:%d/%m/%Y} – {end}"

    @property
    def rule_label(self) -> str:
        return rule_text(self.rule, self.threshold_percent)


class BaseSalary(models.Model):
    """Mức lương cơ sở in force from `valid_from` until the next row's date."""

    amount = models.PositiveIntegerField(_("mức lương cơ sở (đồng)"))
    valid_from = models.DateField(_("áp dụng từ"), unique=True)
    source = models.CharField(_("căn cứ"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    # Set by `base_salary_set`: the data migrations no longer write over an edited row.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("sửa lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")

    def __str__(self) -> str:
        return f"{self.amount:,} đ từ {self.valid_from:%d/%m/%Y}".replace(",", ".")


class CatalogueEvent(HistoryEvent):
    """The history of the reference data (awards, base salaries): who changed which number, from
    what to what, and the legal source they gave for it. `action` is "award_update" or
    "base_salary_set"; `subject` (required) the award's name or the salary's first day."""

    subject = models.CharField(max_length=255)
    field = models.CharField(max_length=40)
    source = models.CharField(_("căn cứ"), max_length=255)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử danh mục khen thưởng")
        verbose_name_plural = _("lịch sử danh mục khen thưởng")

    @property
    def field_label(self) -> str:
        """The changed field in words ("hệ số thưởng cá nhân")."""
        model = {"base_salary_set": BaseSalary, "province_ratio_set": ProvinceRatio}.get(
            self.action, AwardTerm
        )
        try:
            return str(model._meta.get_field(self.field).verbose_name)  # type: ignore[union-attr]
        except FieldDoesNotExist:
            return self.field


class Quota(models.Model):
    """At most `limit` nominations of the campaign for units of a block (cụm, khối), for one
    award or (award empty) for all awards together; nominations that failed do not count."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="award_quotas")
    block = models.ForeignKey(
        Block, on_delete=models.CASCADE, related_name="+", verbose_name=_("cụm, khối")
    )
    award = models.ForeignKey(
        Award,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("danh hiệu, hình thức"),
    )
    limit = models.PositiveSmallIntegerField(_("số lượng tối đa"))
    # The decision that sets the number (`quota_set` requires it; empty on quotas set before).
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        ordering = ["block__name", "award__order"]
        verbose_name = _("chỉ tiêu khen thưởng")
        verbose_name_plural = _("chỉ tiêu khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "block", "award"],
                condition=Q(award__isnull=False),
                name="quota_once_per_award",
            ),
            models.UniqueConstraint(
                fields=["campaign", "block"],
                condition=Q(award__isnull=True),
                name="quota_once_for_all_awards",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block}: {self.limit}"


# The council's short name in its documents' numbers ("Số: 3/BB-HĐTĐKT").
COUNCIL_CODE = "HĐTĐKT"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Chuẩn bị")
    VOTING = "voting", _("Đang biểu quyết")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilSession(models.Model):
    """A meeting of the Hội đồng Thi đua - Khen thưởng. The quorum is the fraction in force
    when the session was created; the member count is fixed when voting opens."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("giờ họp"), null=True, blank=True)
    venue = models.CharField(_("địa điểm họp"), max_length=255, blank=True)
    place_name = models.CharField(_("địa danh ghi trên văn bản"), max_length=120, blank=True)
    considers_awards = models.BooleanField(_("xét khen thưởng"), default=True)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    quorum_numerator = models.PositiveSmallIntegerField(default=2)
    quorum_denominator = models.PositiveSmallIntegerField(default=3)
    member_count = models.PositiveSmallIntegerField(_("tổng số thành viên"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(
        _("số thành viên có mặt"), null=True, blank=True
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    # The minutes' number, from the authority's register when the decision is issued.
    minutes_number = models.CharField(_("số biên bản"), max_length=40, blank=True)
    signer_post = models.CharField(_("chức vụ người ký"), max_length=160, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=160, blank=True)
    # Their lines in the authority's register, written when the decision is issued.
    decision_document = models.ForeignKey(
        "units.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_document = models.ForeignKey(
        "units.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The decision's and the minutes' PDFs as issued (signed, with their verification mark):
    # made after the issue is committed (`services.session_files_publish`), empty until then.
    decision_file = models.OneToOneField(
        "units.PublishedFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_file = models.OneToOneField(
        "units.PublishedFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("phiên họp hội đồng")
        verbose_name_plural = _("phiên họp hội đồng")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="session_quorum_is_a_fraction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.held_on:%d/%m/%Y}"

    @property
    def files_pending(self) -> bool:
        """Issued, its signed PDFs not yet made (being made, or to be made again)."""
        return bool(self.decision_number) and not (self.decision_file_id and self.minutes_file_id)


class Attendance(models.Model):
    """Thành phần tham dự: one row per council member, frozen when voting opens."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        max_length=16, choices=CouncilSeat.Role.choices, default=CouncilSeat.Role.MEMBER
    )
    present = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user} ({'có mặt' if self.present else 'vắng'})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


class Nomination(models.Model):
    """A proposal put to the vote: a unit (tập thể), a person or a household of an enrolled
    unit, for an award. The fields after `achievements` are written once, at the close."""

    session = models.ForeignKey(
        CouncilSession, on_delete=models.CASCADE, related_name="nominations"
    )
    recipient_kind = models.CharField(
        _("đối tượng"),
        max_length=16,
        choices=RecipientKind.choices,
        default=RecipientKind.COLLECTIVE,
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("họ tên cá nhân, chủ hộ"), max_length=160, blank=True)
    position = models.CharField(_("chức vụ"), max_length=160, blank=True)
    address = models.CharField(
        _("địa chỉ (nơi cư trú)"),
        max_length=255,
        blank=True,
        help_text=_("Của hộ gia đình: ghi ở báo cáo thành tích."),
    )
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    final_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    achievements = models.TextField(_("thành tích"), blank=True)
    proposed = models.BooleanField(
        _("đề nghị cấp trên khen thưởng"),
        default=False,
        help_text=_("Danh hiệu, hình thức thuộc thẩm quyền cấp trên: Hội đồng xét để đề nghị."),
    )
    # The snapshot taken at the close.
    nominee_label = models.CharField(max_length=400, blank=True)
    award_name = models.CharField(max_length=160, blank=True)
    yes = models.PositiveSmallIntegerField(null=True, blank=True)
    no = models.PositiveSmallIntegerField(null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    multiple = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    base_salary = models.PositiveIntegerField(null=True, blank=True)
    amount = models.PositiveIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    rule_label = models.CharField(max_length=160, blank=True)
    funding_source = models.CharField(_("nguồn kinh phí"), max_length=255, blank=True)
    # Why the council considers it although a condition on earlier awards is not met (the
    # ledger, `selectors.conditions_of`); required then, recorded in the history line.
    condition_reason = models.TextField(_("lý do xét khi chưa đạt điều kiện"), blank=True)
    # On a province's session: the commune's nomination this one carries (its proposal to the
    # province); its enrolment is that of the commune's campaign.
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried",
        verbose_name=_("đề nghị của cấp dưới"),
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment", "award", "recipient_kind", "person_name"],
                name="nomination_once",
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind="collective", person_name="")
                | (~Q(recipient_kind="collective") & ~Q(person_name="")),
                name="nomination_names_a_person_unless_collective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.award_name or self.award}"

    @property
    def nominee(self) -> str:
        """Who is proposed, as the documents write it."""
        if self.nominee_label:
            return self.nominee_label
        return recipient_label(self.recipient_kind, self.person_name, self.position, self.enrolment)


class Designation(models.Model):
    """Điển hình tiên tiến: a unit, a person or a household the council singles out, by its
    judgement and with a reason, to be nurtured and replicated. Leading its cụm/khối (the
    computed flag) makes a unit a natural candidate, not a designation."""

    session = models.ForeignKey(
        CouncilSession, on_delete=models.CASCADE, related_name="designations"
    )
    recipient_kind = models.CharField(
        _("đối tượng"),
        max_length=16,
        choices=RecipientKind.choices,
        default=RecipientKind.COLLECTIVE,
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("họ tên cá nhân, chủ hộ"), max_length=160, blank=True)
    position = models.CharField(_("chức vụ"), max_length=160, blank=True)
    reason = models.TextField(_("lý do"))
    leading = models.BooleanField(_("dẫn đầu cụm/khối"), default=False)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    designated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment", "recipient_kind", "person_name"],
                name="designation_once",
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind="collective", person_name="")
                | (~Q(recipient_kind="collective") & ~Q(person_name="")),
                name="designation_names_a_person_unless_collective",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="designation_has_a_reason"),
        ]

    def __str__(self) -> str:
        return self.nominee

    @property
    def nominee(self) -> str:
        return recipient_label(self.recipient_kind, self.person_name, self.position, self.enrolment)


class VoteReceipt(models.Model):
    """That a member voted on a nomination (no choice, no time)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written = models.BooleanField(_("phiếu bằng văn bản"), default=False)

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


class SealedBox(models.Model):
    """The choices cast on a nomination while voting is open: counters updated in place, read
    only by the close, which turns them into ballots and deletes the box."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    abstain = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return str(_("Hòm phiếu"))


class Ballot(models.Model):
    """What was voted: no member, no time, a random key; written only at the close."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("phiếu")
        verbose_name_plural = _("phiếu")

    def __str__(self) -> str:
        return self.get_choice_display()


# The award ledger ---------------------------------------------------------------------------------


class AwardEntry(models.Model):
    """One award decided: who received it (a unit, or a person or household of a unit), which
    award, for which year, by which decision (number, date, signer) of which authority, and the
    reward. Written by the services only: when a decision of the portal is issued
    (`ledger_record_session`) or from the `awards` sheet of a workbook (`award_entries_import`);
    the same row twice is one entry."""

    class Source(models.TextChoices):
        DECISION = "decision", _("Quyết định trên cổng")
        IMPORT = "import", _("Nhập từ tệp")

    authority = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan quyết định"),
    )
    recipient_kind = models.CharField(_("đối tượng"), max_length=16, choices=RecipientKind.choices)
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
        help_text=_("Tập thể được khen, hoặc đơn vị của cá nhân, hộ gia đình."),
    )
    unit_name = models.CharField(_("tên đơn vị (như trên quyết định)"), max_length=255)
    person_name = models.CharField(_("họ tên cá nhân, chủ hộ"), max_length=160, blank=True)
    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="+", verbose_name=_("danh hiệu, hình thức")
    )
    award_name = models.CharField(
        _("tên danh hiệu, hình thức (như trên quyết định)"), max_length=160
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phong trào"),
    )
    session = models.ForeignKey(
        CouncilSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phiên họp"),
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger_entry"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    amount = models.PositiveIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices)
    # Names, unit, award and number without diacritics ("kien luong" finds "Kiên Lương").
    search_text = models.CharField(max_length=800, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-decision_date", "unit_name", "person_name", "pk"]
        verbose_name = _("khen thưởng đã quyết định")
        verbose_name_plural = _("sổ khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "authority",
                    "recipient_kind",
                    "unit",
                    "person_name",
                    "award",
                    "year",
                    "decision_number",
                ],
                name="award_entry_once",
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind="collective", person_name="")
                | (~Q(recipient_kind="collective") & ~Q(person_name="")),
                name="award_entry_names_a_person_unless_collective",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="award_entry_unit_year")]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.award_name} ({self.year})"

    @property
    def amount_text(self) -> str:
        """ "1.490.000": the reward with dots between thousands; "" when none was recorded."""
        return "" if self.amount is None else f"{self.amount:,}".replace(",", ".")

    @property
    def recipient(self) -> str:
        if self.recipient_kind == RecipientKind.COLLECTIVE:
            return self.unit_name
        if self.recipient_kind == RecipientKind.HOUSEHOLD:
            return str(_("Hộ gia đình %(name)s, %(unit)s")) % {
                "name": self.person_name,
                "unit": self.unit_name,
            }
        return f"{self.person_name}, {self.unit_name}"


class LedgerEvent(HistoryEvent):
    """The ledger's history, per deciding authority: each entry written, by whom, from which
    decision or file. `action` is "ledger_record" (a decision issued) or "ledger_import"."""

    class Action(models.TextChoices):
        RECORD = "ledger_record", _("Ghi theo quyết định ban hành")
        IMPORT = "ledger_import", _("Nhập khen thưởng các năm trước")

    authority = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40, choices=Action.choices)
    entry = models.ForeignKey(
        AwardEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử sổ khen thưởng")
        verbose_name_plural = _("lịch sử sổ khen thưởng")


class AwardCondition(models.Model):
    """A condition of an award on earlier awards of the same recipient, as the law states it
    (data with its source): the required award in the same year, or in each of the N years
    before the year considered. `verified` only when the article was read in the text."""

    class Scope(models.TextChoices):
        SAME_YEAR = "same_year", _("Cùng năm")
        YEARS_BEFORE = "years_before", _("Các năm liên tục liền trước năm xét")

    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("danh hiệu")
    )
    required = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="+", verbose_name=_("cần đạt")
    )
    scope = models.CharField(_("phạm vi"), max_length=16, choices=Scope.choices)
    years = models.PositiveSmallIntegerField(_("số năm"), default=1)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        ordering = ["award__order", "pk"]
        verbose_name = _("điều kiện khen thưởng")
        verbose_name_plural = _("điều kiện khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "required", "scope", "valid_from"], name="award_condition_once"
            ),
            models.CheckConstraint(condition=Q(years__gte=1), name="award_condition_years"),
            models.CheckConstraint(condition=~Q(source=""), name="award_condition_has_a_source"),
        ]

    def __str__(self) -> str:
        return f"{self.award}: {self.label}"

    @property
    def label(self) -> str:
        if self.scope == self.Scope.SAME_YEAR:
            return str(_("đạt “%(award)s” cùng năm")) % {"award": self.required.name}
        return str(_("đạt “%(award)s” %(n)s năm liên tục liền trước")) % {
            "award": self.required.name,
            "n": self.years,
        }

    def covers(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def years_needed(self, year: int) -> list[int]:
        if self.scope == self.Scope.SAME_YEAR:
            return [year]
        return list(range(year - self.years, year))


# Proposals to the province ------------------------------------------------------------------------
# A commune's council adopts awards its chairman cannot decide (Luật 06/2022 Điều 80 khoản 3) as a
# proposal (hồ sơ đề nghị khen thưởng) to its province; the province's emulation office receives
# it in a round (đợt xét) with a deadline, returns it with a reason or puts it on a session of the
# province's council, whose decision comes back to the commune.


class ProposalRound(models.Model):
    """Đợt xét khen thưởng of a province: the proposals of its communes sent by `deadline` (the
    last day) are on time; later ones are marked late, never refused."""

    authority = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="proposal_rounds",
        verbose_name=_("cơ quan xét"),
    )
    name = models.CharField(_("tên đợt xét"), max_length=200)
    deadline = models.DateField(_("hạn nộp hồ sơ"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("đợt xét khen thưởng")
        verbose_name_plural = _("đợt xét khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="proposal_round_name_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.deadline:%d/%m/%Y})"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SENT = "sent", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    SCHEDULED = "scheduled", _("Đưa ra Hội đồng")
    DECIDED = "decided", _("Đã quyết định")


class Proposal(models.Model):
    """Hồ sơ đề nghị khen thưởng: the passed nominations of a closed commune session whose awards
    the level above decides (`Nomination.proposed`), sent to the province. Its file is generated
    from the session (tờ trình, biên bản kiểm phiếu, báo cáo thành tích, danh sách trích ngang);
    each document may be replaced by an edited upload (`ProposalFile`) before it is sent."""

    session = models.OneToOneField(
        CouncilSession, on_delete=models.PROTECT, related_name="proposal"
    )
    province = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("gửi đến")
    )
    round = models.ForeignKey(
        ProposalRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("đợt xét"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    late = models.BooleanField(_("nộp muộn"), default=False)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    province_session = models.ForeignKey(
        CouncilSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_considered",
        verbose_name=_("phiên họp cấp tỉnh"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")

    def __str__(self) -> str:
        return f"{self.session.campaign.authority} · {self.session}"


class ProposalDocument(models.TextChoices):
    """The documents of a proposal's file; a báo cáo thành tích is one per nominee
    ("bao-cao-<nomination id>")."""

    SUBMISSION = "to-trinh", _("Tờ trình đề nghị khen thưởng")
    TALLY = "bien-ban", _("Biên bản họp Hội đồng, kết quả kiểm phiếu")
    LIST = "danh-sach", _("Danh sách trích ngang")


class ProposalFile(StoredFile):
    """An edited version of one document of the file, uploaded by the commune before sending:
    it replaces the generated one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="files")
    document = models.CharField(_("văn bản"), max_length=40)

    class Meta:
        verbose_name = _("tệp hồ sơ đề nghị")
        verbose_name_plural = _("tệp hồ sơ đề nghị")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "document"], name="proposal_file_once")
        ]


class ProposalEvent(HistoryEvent):
    """A proposal's history: created, a document replaced, sent, returned (with the reason),
    scheduled, decided."""

    ACTIONS = {
        "proposal_create": _("Lập hồ sơ"),
        "proposal_file_replace": _("Thay văn bản"),
        "proposal_send": _("Gửi hồ sơ"),
        "proposal_return": _("Trả lại hồ sơ"),
        "proposal_schedule": _("Đưa ra phiên họp Hội đồng cấp tỉnh"),
        "proposal_decide": _("Có quyết định khen thưởng"),
    }

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    reason = models.TextField(_("lý do"), blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("lịch sử hồ sơ đề nghị")
        verbose_name_plural = _("lịch sử hồ sơ đề nghị")

    @property
    def action_label(self) -> str:
        return str(self.ACTIONS.get(self.action, self.action))
