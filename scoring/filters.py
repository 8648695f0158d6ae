"""Filters of the rankings page (django-filter)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Enrolment
from core.filters import IdChoiceFilter
from core.text import fold
from units.models import Block, Unit, UnitKind

from .models import Classification, Result, ScoringRun
from .selectors import run_block_ids

SORTS = {
    "rank": ("rank", "unit_name"),
    "-final_score": ("-final_score", "unit_name"),
    "final_score": ("final_score", "unit_name"),
    "unit_name": ("unit_name",),
    "block": ("block_code", "block_rank"),
}


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method="search")
    block = IdChoiceFilter(label=_("Khối"), queryset=Block.objects.none())
    kind = IdChoiceFilter(
        label=_("Loại đơn vị"), field_name="unit__kind", queryset=UnitKind.objects.all()
    )
    parent = IdChoiceFilter(
        label=_("Đơn vị cấp trên"), field_name="unit__parent", queryset=Unit.objects.none()
    )
    classification = django_filters.ChoiceFilter(
        label=_("Xếp loại"), choices=Classification.choices
    )
    exemplary = django_filters.BooleanFilter(label=_("Dẫn đầu cụm/khối"))
    sort = django_filters.ChoiceFilter(
        label=_("Sắp xếp"),
        method="order",
        empty_label=_("Theo hạng"),
        choices=[
            ("rank", _("Theo hạng")),
            ("-final_score", _("Điểm cao trước")),
            ("final_score", _("Điểm thấp trước")),
            ("unit_name", _("Tên đơn vị")),
            ("block", _("Theo khối")),
        ],
    )

    class Meta:
        model = Result
        fields = ["q", "block", "kind", "parent", "classification", "exemplary"]

    def __init__(self, *args: object, run: ScoringRun, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The blocks of the run, kept on it; the parents of its units from the campaign's
        # enrolments, the narrower table (a run has every unit enrolled before the window
        # opened; none is enrolled or removed after it).
        self.filters["block"].queryset = Block.objects.filter(  # type: ignore[attr-defined]
            pk__in=run_block_ids(run)
        )
        self.filters["parent"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=Enrolment.objects.filter(campaign_id=run.campaign_id).values("unit__parent_id")
        )

    def search(self, queryset: QuerySet[Result], name: str, value: str) -> QuerySet[Result]:
        return queryset.filter(unit__search_name__contains=fold(value))

    def order(self, queryset: QuerySet[Result], name: str, value: str) -> QuerySet[Result]:
        return queryset.order_by(*SORTS.get(value, SORTS["rank"]))
