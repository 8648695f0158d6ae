import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from core.mixins import InvalidFormStatusMixin
from core.workbooks import XLSX_CONTENT_TYPE

from .exchange import units_export
from .filters import UnitFilter
from .forms import BlockForm, UnitsImportForm
from .mixins import ManagerRequiredMixin
from .models import Block, Unit
from .rules import authority_root_ids
from .selectors import (
    block_list,
    unit_detail,
    unit_events,
    unit_history,
    unit_list,
    unit_subtree,
)
from .services import block_create, block_update, units_import


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


class UnitDetailView(PermissionRequiredMixin, TemplateView):
    """A unit, its place in the hierarchy and its history: what it came from and went on as."""

    permission_required = "units.view_unit_tree"
    template_name = "units/unit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            unit = unit_detail(self.kwargs["pk"])
        except Unit.DoesNotExist:
            raise Http404 from None
        context["unit"] = unit
        context["predecessor_links"], context["successor_links"] = unit_history(unit)
        # Who changed the unit: for the managers of its authority only.
        may_manage = self.request.user.has_perm("units.manage_unit", unit)
        context["events"] = unit_events(unit) if may_manage else None
        return context


class UnitExportView(ManagerRequiredMixin, View):
    """The units the tree page shows for the same filters (all of them, unpaginated), as .xlsx,
    within the manager's authority (`units.rules.authority_root_ids`; a superuser gets all)."""

    def get(self, request: HttpRequest) -> FileResponse:
        roots = authority_root_ids(request.user)
        scope = Unit.objects.all()
        if roots is not None:
            scope = scope.filter(pk__in=unit_subtree(roots).values("pk"))
        filterset = UnitFilter(request.GET, queryset=scope)
        units = filterset.qs if filterset.is_valid() else Unit.objects.none()  # as the tree page
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        units_export(units, target)
        target.seek(0)
        return FileResponse(
            target, as_attachment=True, filename="don-vi.xlsx", content_type=XLSX_CONTENT_TYPE
        )


class UnitImportView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Create or update units from an .xlsx `units` sheet; a bad cell refuses the whole file."""

    form_class = UnitsImportForm
    template_name = "units/unit_import.html"

    def form_valid(self, form: UnitsImportForm) -> HttpResponse:
        try:
            summary = units_import(actor=self.request.user, workbook_file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã nhập: %(created)s đơn vị mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            },
        )
        if summary.kinds_created:
            messages.info(
                self.request,
                _("Đã thêm %(n)s loại đơn vị mới theo tệp.") % {"n": summary.kinds_created},
            )
        return redirect("units:tree")


class BlockListView(ManagerRequiredMixin, TemplateView):
    template_name = "units/block_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["blocks"] = block_list(root_ids=authority_root_ids(self.request.user))
        return context


class BlockFormView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Create a block (no pk) or change its name, year, head unit and members."""

    form_class = BlockForm
    template_name = "units/block_form.html"

    def block(self) -> Block | None:
        """The block in the URL, only if it lies within the manager's authority."""
        pk = self.kwargs.get("pk")
        blocks = block_list(root_ids=authority_root_ids(self.request.user))
        return get_object_or_404(blocks, pk=pk) if pk else None

    def get_form_kwargs(self) -> dict[str, Any]:
        roots = authority_root_ids(self.request.user)
        units = Unit.objects.filter(valid_to__isnull=True)
        if roots is not None:
            units = units.filter(pk__in=unit_subtree(roots).values("pk"))
        return {
            **super().get_form_kwargs(),
            "instance": self.block(),
            "units": units.select_related("kind").order_by("name"),
        }

    def form_valid(self, form: BlockForm) -> HttpResponse:
        data, block = form.cleaned_data, self.block()
        try:
            if block is None:
                block_create(
                    actor=self.request.user,
                    code=data["code"],
                    name=data["name"],
                    members=data["members"],
                    head_unit=data["head_unit"],
                    year=data["year"],
                )
            else:
                block_update(
                    actor=self.request.user,
                    block=block,
                    name=data["name"],
                    members=data["members"],
                    head_unit=data["head_unit"],
                    year=data["year"],
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu khối thi đua."))
        return redirect("units:blocks")
