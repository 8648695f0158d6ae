from typing import Any

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import IdChoiceFilter

from .models import Membership, Unit, UnitKind
from .selectors import person_search


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


class PersonFilter(django_filters.FilterSet):
    """The people page's filters; the name is searched without diacritics."""

    q = django_filters.CharFilter(label=_("Tìm theo tên, tên đăng nhập, thư"), method="search")
    unit = IdChoiceFilter(
        label=_("Đơn vị"), queryset=Unit.objects.none(), field_name="memberships__unit"
    )
    role = django_filters.ChoiceFilter(
        label=_("Vai trò"), choices=Membership.Role.choices, field_name="memberships__role"
    )
    active = django_filters.BooleanFilter(label=_("Đang hoạt động"), field_name="is_active")

    class Meta:
        model = User
        fields = ["q", "unit", "role", "active"]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units  # type: ignore[attr-defined]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return person_search(queryset, value)

    def filter_queryset(self, queryset: QuerySet[User]) -> QuerySet[User]:
        return super().filter_queryset(queryset).distinct()
