"""View mixins for every page about one campaign, in this app and the apps above it."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.mixins import INVALID_FORM_STATUS, InvalidFormStatusMixin

from . import selectors
from .models import Campaign

VIEW_PERM = "campaigns.view_campaign_detail"
MANAGE_PERM = "campaigns.manage_campaign"


def refusal(error: ValidationError | PermissionDenied) -> str:
    """One readable sentence from a service's refusal."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Bạn không có quyền thực hiện thao tác này.")


def refused_form(error: ValidationError | PermissionDenied) -> forms.Form:
    """A refusal with no field of the page to show it beside (a button of a list, a stale page):
    a form that carries only its message, for the summary at the top of the page shown again."""
    form = forms.Form(data={})
    form.add_error(None, refusal(error))
    return form


def refusal_beside(
    form: forms.Form, error: ValidationError | PermissionDenied, fields: dict[str, str]
) -> None:
    """A service's refusal on the form shown again: each message whose code `fields` maps to a
    field of the form beside that field, the others at the form's top."""
    if isinstance(error, PermissionDenied) or not hasattr(error, "error_list"):
        form.add_error(None, refusal(error))
        return
    for item in error.error_list:
        form.add_error(fields.get(item.code or ""), item)


class CampaignMixin:
    """Loads the campaign named in the URL and checks the permission the page needs."""

    permission = VIEW_PERM
    request: HttpRequest
    campaign: Campaign

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = selectors.campaign_get(kwargs["code"])
        if campaign is None:
            raise Http404
        if not request.user.has_perm(self.permission, campaign):
            raise PermissionDenied
        self.campaign = campaign
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["campaign"] = self.campaign
        context["can_manage"] = self.request.user.has_perm(MANAGE_PERM, self.campaign)
        context["can_see_rankings"] = self.request.user.has_perm(
            "scoring.view_rankings", self.campaign
        )
        return context

    def shown_again(self, **context: Any) -> HttpResponse:
        """The page (a TemplateView's) again, with a refused form or a refusal: 422."""
        page = self.get_context_data(**context)
        return self.render_to_response(page, status=INVALID_FORM_STATUS)  # type: ignore[attr-defined]

    def back(self, anchor: str = "detail") -> HttpResponse:
        return redirect(f"campaigns:{anchor}", code=self.campaign.code)


class ServiceFormMixin(InvalidFormStatusMixin, CampaignMixin):
    """A form page whose valid form calls one service; a refusal shows on the form (422)."""

    success_message = ""
    success_page = "detail"

    def call_service(self, form: Any) -> object:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.call_service(form)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)  # type: ignore[attr-defined]
        if self.success_message:
            messages.success(self.request, self.success_message)
        return self.back(self.success_page)
