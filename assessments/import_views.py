"""The campaign import from an Excel workbook, and its template. Thin: check, validate, call."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from campaigns.mixins import refusal
from campaigns.models import CriterionKind
from core.mixins import InvalidFormStatusMixin
from core.workbooks import XLSX_CONTENT_TYPE
from units.mixins import ManagerRequiredMixin
from units.rules import user_unit_ids
from units.selectors import unit_subtree

from .exchange import campaign_import, workbook_template
from .exchange.sheets import sheet_columns
from .import_forms import CampaignImportForm

TEMPLATE_FILENAME = "mau-nhap-phong-trao.xlsx"


class CampaignImportView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Upload a workbook; a refused one shows why on the form and changes nothing."""

    form_class = CampaignImportForm
    template_name = "assessments/import_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The sheets and their columns, each code beside its Vietnamese name."""
        return {
            **super().get_context_data(**kwargs),
            "sheets": sheet_columns(),
            "criterion_kinds": CriterionKind.choices,
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if not self.request.user.is_superuser:
            units = unit_subtree(user_unit_ids(self.request.user))
            kwargs["authorities"] = units.select_related("kind").order_by("name")
        return kwargs

    def form_valid(self, form: CampaignImportForm) -> HttpResponse:
        authority = form.cleaned_data["authority"]
        try:
            summary = campaign_import(
                workbook_file=form.cleaned_data["workbook"],
                actor=self.request.user,  # type: ignore[arg-type]
                authority_code=authority.code if authority else None,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Đã nhập phong trào “%(code)s”: %(units)s đơn vị, %(criteria)s tiêu chí, "
                "%(assessments)s bản tự chấm điểm, %(reviews)s điểm thẩm định."
            )
            % {
                "code": summary.campaign.code,
                "units": summary.units,
                "criteria": summary.criteria,
                "assessments": summary.assessments,
                "reviews": summary.review_scores,
            },
        )
        return redirect("campaigns:detail", code=summary.campaign.code)


class ImportTemplateView(ManagerRequiredMixin, View):
    """The workbook template, with example rows that import cleanly."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(workbook_template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
        return response
