from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import IdChoiceFilter
from core.text import fold
from units.models import Block

from .models import Campaign, CampaignStatus, Enrolment, Registration


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên hoặc mã"), method="search")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=CampaignStatus.choices)

    class Meta:
        model = Campaign
        fields = ["q", "status"]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return queryset.filter(
            Q(title__icontains=value.strip())
            | Q(code__icontains=value.strip())
            | Q(authority__search_name__contains=fold(value))
        )


class EnrolledUnitFilter(django_filters.FilterSet):
    """A campaign's enrolled units by name (without diacritics) and block."""

    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method="search")
    block = IdChoiceFilter(label=_("Khối thi đua"), queryset=Block.objects.none())

    class Meta:
        model = Enrolment
        fields = ["q", "block"]

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["block"].queryset = (
            Block.objects.filter(enrolments__campaign=campaign).distinct().order_by("code")
        )

    def search(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        return queryset.filter(unit__search_name__contains=fold(value))


class EnrolmentFilter(EnrolledUnitFilter):
    """The units page: also whether the unit's window was reopened."""

    reopened = django_filters.BooleanFilter(
        label=_("Đã mở lại tự chấm điểm"),
        field_name="reopened_until",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Enrolment
        fields = ["q", "block", "reopened"]


NOT_STARTED = "not_started"


class RegistrationFilter(EnrolledUnitFilter):
    """The registrations page: by name, block and the registration's state."""

    status = django_filters.ChoiceFilter(
        label=_("Trạng thái đăng ký"),
        choices=[
            (NOT_STARTED, _("Chưa đăng ký")),
            (Registration.Status.SENT, _("Chờ xử lý")),
            (Registration.Status.ACCEPTED, _("Đã chấp nhận")),
            (Registration.Status.RETURNED, _("Bị trả lại")),
        ],
        method="by_status",
    )

    class Meta:
        model = Enrolment
        fields = ["q", "block", "status"]

    def by_status(
        self, queryset: QuerySet[Enrolment], name: str, value: str
    ) -> QuerySet[Enrolment]:
        if value == NOT_STARTED:
            return queryset.filter(
                Q(registration__isnull=True) | Q(registration__status=Registration.Status.DRAFT)
            )
        return queryset.filter(registration__status=value)
