from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from . import services
from .models import Notification


class NotificationListView(TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notifications"] = Notification.objects.filter(user=self.request.user)[:100]
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        services.notifications_mark_read(actor=request.user)
        return redirect("notifications:list")
