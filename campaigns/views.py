from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from units.roles import Role
from units.rules import user_unit_ids
from units.selectors import unit_subtree

from . import services
from .filters import CampaignFilter
from .forms import CampaignForm
from .models import Campaign, Checklist
from .selectors import campaigns_for_user


class ManagerRequiredMixin(UserPassesTestMixin):
    def test_func(self) -> bool:
        user = self.request.user  # type: ignore[attr-defined]
        return user.is_superuser or user.groups.filter(name=Role.CAMPAIGN_MANAGER).exists()


class CampaignListView(FilterView):
    filterset_class = CampaignFilter
    template_name = "campaigns/campaign_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Campaign]:
        return campaigns_for_user(self.request.user)


class CampaignDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "campaigns.view_campaign_detail"
    template_name = "campaigns/campaign_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.select_related("authority", "checklist")


class CampaignCreateView(ManagerRequiredMixin, FormView):
    form_class = CampaignForm
    template_name = "campaigns/campaign_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if not self.request.user.is_superuser:
            kwargs["authorities"] = unit_subtree(user_unit_ids(self.request.user)).select_related(
                "kind"
            )
        return kwargs

    def form_valid(self, form: CampaignForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        try:
            campaign = services.campaign_create(actor=self.request.user, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tạo phong trào “%s”.") % campaign.title)
        return redirect("campaigns:detail", code=campaign.code)


class ChecklistTemplateListView(ManagerRequiredMixin, ListView):
    template_name = "campaigns/checklist_template_list.html"

    def get_queryset(self) -> QuerySet[Checklist]:
        return Checklist.objects.filter(is_template=True)


def get_campaign(code: str) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("authority", "checklist"), code=code)
