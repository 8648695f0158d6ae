"""Filters of the award ledger (django-filter): search without diacritics, year, award,
recipient kind and unit."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import IdChoiceFilter
from units.models import Unit

from .models import Award, AwardEntry, RecipientKind
from .selectors import ledger_search


class LedgerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm (tên, đơn vị, danh hiệu, số quyết định)"), method="search"
    )
    year = django_filters.NumberFilter(label=_("Năm"), min_value=1900, max_value=2999)
    award = IdChoiceFilter(label=_("Danh hiệu, hình thức"), queryset=Award.objects.all())
    recipient_kind = django_filters.ChoiceFilter(
        label=_("Đối tượng"), choices=RecipientKind.choices
    )
    unit = IdChoiceFilter(label=_("Đơn vị"), queryset=Unit.objects.none())

    class Meta:
        model = AwardEntry
        fields = ["q", "year", "award", "recipient_kind", "unit"]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units

    def search(self, queryset: QuerySet[AwardEntry], name: str, value: str) -> QuerySet[AwardEntry]:
        return ledger_search(queryset, value)
