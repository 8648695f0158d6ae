import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import IdChoiceFilter

from .models import Unit, UnitKind


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên hoặc mã"), method="search")
    kind = IdChoiceFilter(label=_("Loại"), queryset=UnitKind.objects.all())
    active = django_filters.BooleanFilter(
        label=_("Còn hiệu lực"), field_name="valid_to", lookup_expr="isnull"
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "active"]

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.search(value)  # type: ignore[attr-defined]
