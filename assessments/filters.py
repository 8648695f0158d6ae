"""Filters of the progress page (django-filter): by state, block, lateness and name."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Enrolment
from core.filters import IdChoiceFilter
from core.text import fold
from units.models import Block

from .selectors import PROGRESS_LABELS


class ProgressFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=list(PROGRESS_LABELS.items()), method="by_state"
    )
    block = IdChoiceFilter(label=_("Khối"), queryset=Block.objects.none())
    late = django_filters.BooleanFilter(label=_("Nộp muộn / quá hạn"))

    class Meta:
        model = Enrolment
        fields = ["q", "state", "block", "late"]

    def __init__(self, *args: object, campaign: Campaign, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        blocks = Block.objects.filter(enrolments__campaign=campaign).distinct().order_by("name")
        self.filters["block"].queryset = blocks

    def search(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        return queryset.filter(unit__search_name__contains=fold(value))

    def by_state(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        return queryset.filter(state=value)
