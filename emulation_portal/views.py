"""The home page for each role, a health check for load balancers, and the error pages."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.generic import TemplateView
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from campaigns.selectors import campaigns_for_user

from .celery import app as celery_app


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["campaigns"] = campaigns_for_user(self.request.user)[:20]
        return context


class PortalHealthView(HealthCheckView):
    """For load balancers and monitoring: 200 when every check passes, 500 otherwise.

    The database and the file storage always; with a broker, Redis and a live Celery worker too
    (without one, tasks run in the web process and there is no worker to ask). Answers JSON
    unless text is asked for: the library's HTML page carries an inline style the CSP refuses.
    """

    def get_checks(self) -> Iterator[HealthCheck]:
        yield Database()
        yield Storage()
        broker = settings.CELERY_BROKER_URL
        if broker.startswith(("redis://", "rediss://")):
            yield Redis(client_factory=lambda: RedisClient.from_url(broker))
        if broker and not settings.CELERY_TASK_ALWAYS_EAGER:
            yield Ping(app=celery_app)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        return self.render_to_response_json(kwargs.get("status", 200))


# Django refuses these bodies while reading the form (DATA_UPLOAD_MAX_* settings).
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, TOO_LARGE):
        return request_too_large(request)
    return render(request, "400.html", status=400)


def request_too_large(request: HttpRequest, limit: int | None = None) -> HttpResponse:
    return render(request, "413.html", {"limit": limit}, status=413)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(loader.get_template("500.html").render(), status=500)
