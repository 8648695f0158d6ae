"""The home page for each role, a health check for load balancers, and the error pages."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.generic import TemplateView
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from campaigns.selectors import campaigns_for_user_today

from . import guide, home
from .celery import app as celery_app
from .context_processors import roles as context_roles
from .error_ref import error_ref


class HomeView(TemplateView):
    """Per role, what to do next: the manager's campaigns with their counts, the unit's due items
    with the days left, the council member's review queue and sessions."""

    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = context_roles(self.request)
        today = timezone.localdate()
        context.update(roles)
        context["campaigns"] = campaigns_for_user_today(user, today)[:20]  # the calendar first
        if roles["is_manager"]:
            context["managed"] = home.managed_campaigns(user)
        if roles["is_unit_head"]:
            context["due_items"] = home.due_items(user, today)
        if roles["is_council"]:
            context["review_queue"] = home.council_queue(user)
            context["sessions"] = home.council_sessions(user)
        context["today"] = today
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


def error_page(
    request: HttpRequest, template: str, status: int, context: dict[str, Any] | None = None
) -> HttpResponse:
    """An error page in the portal's layout with this request's reference; Django logs the
    error after this returns, and the log line carries the same reference."""
    return render(request, template, {**(context or {}), "error_ref": error_ref()}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, TOO_LARGE):
        return request_too_large(request)
    return error_page(request, "400.html", 400)


def request_too_large(request: HttpRequest, limit: int | None = None) -> HttpResponse:
    return error_page(request, "413.html", 413, {"limit": limit})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: the layout's navigation reads the database and the
    session, which may be what failed. Never shows the exception."""
    page = loader.get_template("500.html").render({"error_ref": error_ref()})
    return HttpResponse(page, status=500)


class GuideView(TemplateView):
    """The user guide (Hướng dẫn sử dụng) of one role; the other roles' guides a tab away, the
    reader's own first. Without a role in the address, the reader's own role's guide."""

    template_name = "guide.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs.get("role") is None:
            own = guide.own_guides(context_roles(request)["user_roles"])  # type: ignore[arg-type]
            return redirect("guide_role", role=own[0] if own else guide.GUIDES[0].role)
        if kwargs["role"] not in guide.BY_ROLE:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        role_names = context_roles(self.request)["user_roles"]
        context["guide"] = guide.BY_ROLE[kwargs["role"]]
        context["guides"] = guide.guides_for(role_names)  # type: ignore[arg-type]
        context["own"] = guide.own_guides(role_names)  # type: ignore[arg-type]
        return context
