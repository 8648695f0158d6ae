from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django_filters.views import FilterView

from .filters import UnitFilter
from .models import Unit
from .selectors import unit_list


class UnitTreeView(PermissionRequiredMixin, FilterView):
    """The unit hierarchy, in tree order, searchable without diacritics."""

    permission_required = "units.view_unit_tree"
    filterset_class = UnitFilter
    template_name = "units/unit_tree.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        return context
