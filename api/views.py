"""The read-only API for other systems (token per client, scoped to its authority's subtree),
its schema and documentation, and the manager's page that hands out and revokes the tokens."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.models import Campaign
from core.confirm import is_confirmed
from core.mixins import InvalidFormStatusMixin
from scoring.models import Result
from units.mixins import ManagerRequiredMixin
from units.models import Unit
from units.rules import authority_root_ids, may_manage_unit
from votes.models import AwardEntry

from . import selectors
from .authentication import ClientTokenAuthentication, IsClient, client_of
from .forms import ApiClientForm
from .models import ApiClient
from .pagination import Pages
from .serializers import (
    AwardSerializer,
    CampaignSerializer,
    LedgerEntrySerializer,
    ResultSerializer,
)
from .services import api_client_create, api_client_revoke
from .throttling import ClientRateThrottle

CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Campaign code"
)
CAMPAIGN = OpenApiParameter(
    "campaign", OpenApiTypes.STR, description="Only the awards of this campaign (its code)"
)
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Only the entries of this year")
UNIT = OpenApiParameter(
    "unit",
    OpenApiTypes.STR,
    description="Only the entries of this unit (its code); a unit outside the authority: 404",
)


@method_decorator(login_not_required, name="dispatch")
class ClientAPIView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Answers only a client's token (no session), within its budget of requests."""

    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [IsClient]
    throttle_classes = [ClientRateThrottle]
    pagination_class = Pages

    @property
    def client(self) -> ApiClient:
        return client_of(self.request)


class CampaignListView(ClientAPIView, generics.ListAPIView):  # type: ignore[type-arg]
    """The campaigns of the authority and the units under it (drafts left out)."""

    serializer_class = CampaignSerializer

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaigns_for(self.client)


@extend_schema(parameters=[CODE])
class CampaignDetailView(ClientAPIView, generics.RetrieveAPIView):  # type: ignore[type-arg]
    """One campaign; a campaign of another authority answers 404."""

    serializer_class = CampaignSerializer

    def get_object(self) -> Campaign:
        return selectors.campaign_for(self.client, self.kwargs["code"])


@extend_schema(parameters=[CODE])
class ResultListView(ClientAPIView, generics.ListAPIView):  # type: ignore[type-arg]
    """The published results of a campaign in rank order: the columns of the results export.
    Empty until results are published; a later run shows only once it is published."""

    serializer_class = ResultSerializer

    def get_queryset(self) -> QuerySet[Result]:
        return selectors.published_results(selectors.campaign_for(self.client, self.kwargs["code"]))


@extend_schema(parameters=[CAMPAIGN])
class AwardListView(ClientAPIView, generics.ListAPIView):  # type: ignore[type-arg]
    """Awards decided for the authority's campaigns: what the council passed at its closed
    sessions, as the published decision names the recipients; newest session first."""

    serializer_class = AwardSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        code = request.query_params.get("campaign")
        campaign = selectors.campaign_for(self.client, code) if code else None
        page = self.paginate_queryset(selectors.awards_for(self.client, campaign))
        records = [selectors.award_record(nomination) for nomination in page or []]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)


@extend_schema(parameters=[YEAR, UNIT])
class LedgerListView(ClientAPIView, generics.ListAPIView):  # type: ignore[type-arg]
    """The award ledger of the authority's subtree: every award decided by it or received by its
    units, from the portal's decisions and from past years' papers; newest year first."""

    serializer_class = LedgerEntrySerializer

    def get_queryset(self) -> QuerySet[AwardEntry]:
        params = self.request.query_params
        year, unit = params.get("year", ""), params.get("unit", "")
        if year and not (year.isdigit() and len(year) == 4):
            raise exceptions.ValidationError({"year": "A year, e.g. 2024."})
        return selectors.ledger_for(
            self.client,
            year=int(year) if year else None,
            unit=selectors.unit_for(self.client, unit) if unit else None,
        )


@method_decorator(login_not_required, name="dispatch")
class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, public: it describes the API and holds no data."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type] = []


@method_decorator(login_not_required, name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files; its start script is a second request to this
    view (`?script`), so the page runs under the portal's Content-Security-Policy."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type] = []
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


# The manager's page ------------------------------------------------------------------------


class ConnectionsView(ManagerRequiredMixin, TemplateView):
    """The authorities whose tokens the manager hands out; with one, its page straight away."""

    template_name = "api/connections.html"

    def authorities(self) -> QuerySet[Unit]:
        roots = authority_root_ids(self.request.user)
        if roots is None:  # a superuser: the authorities that run campaigns or have clients
            return Unit.objects.filter(campaigns__isnull=False).distinct().order_by("name")
        return Unit.objects.filter(pk__in=roots).order_by("name")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        authorities = list(self.authorities())
        if len(authorities) == 1:
            return redirect("connections:clients", unit=authorities[0].pk)
        return self.render_to_response(self.get_context_data(authorities=authorities))


class AuthorityMixin(ManagerRequiredMixin):
    """The authority in the URL, which the manager must manage (403 otherwise)."""

    kwargs: dict[str, Any]

    def authority(self) -> Unit:
        unit = get_object_or_404(Unit, pk=self.kwargs["unit"])
        if not may_manage_unit(self.request.user, unit):  # type: ignore[attr-defined]
            raise PermissionDenied
        return unit


FRESH_TOKEN = "api_fresh_token"  # noqa: S105 (a session key, not a secret)


class ClientListView(AuthorityMixin, InvalidFormStatusMixin, FormView):  # type: ignore[misc]
    """The authority's client systems: make one (its token shown once), revoke one."""

    template_name = "api/clients.html"
    form_class = ApiClientForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        authority = self.authority()
        fresh = self.request.session.pop(FRESH_TOKEN, None)
        return super().get_context_data(
            authority=authority,
            clients=selectors.clients_of(authority),
            fresh=fresh,
            curl_url=self.request.build_absolute_uri(reverse("api:campaigns")),
            docs_url=reverse("api:docs"),
            **kwargs,
        )

    def form_valid(self, form: ApiClientForm) -> HttpResponse:
        authority = self.authority()
        try:
            client, token = api_client_create(
                actor=self.request.user,  # type: ignore[arg-type]
                authority=authority,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error("name", error.messages)
            return self.form_invalid(form)
        # Shown once, on the page the redirect leads to, then gone from the session.
        self.request.session[FRESH_TOKEN] = {"name": client.name, "token": token}
        messages.success(self.request, _("Đã cấp mã khóa cho hệ thống “%s”.") % client.name)
        return redirect("connections:clients", unit=authority.pk)


class ClientRevokeView(AuthorityMixin, TemplateView):
    """Revoke a client's token, after the question every irreversible step asks."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        authority = self.authority()
        client = get_object_or_404(ApiClient, pk=self.kwargs["pk"], authority=authority)
        back = reverse("connections:clients", kwargs={"unit": authority.pk})
        if not is_confirmed(request):
            return render(
                request,
                "api/confirm.html",
                {
                    "title": _("Thu hồi mã khóa của “%s”") % client.name,
                    "consequence": revoke_consequence(client),
                    "action_url": request.path,
                    "back_url": back,
                    "fields": {},
                },
            )
        api_client_revoke(actor=request.user, client=client)  # type: ignore[arg-type]
        messages.success(request, _("Đã thu hồi mã khóa của hệ thống “%s”.") % client.name)
        return redirect(back)


def revoke_consequence(client: ApiClient) -> str:
    return _(
        "Hệ thống “%(name)s” sẽ không đọc được dữ liệu qua API nữa; muốn kết nối lại phải cấp "
        "mã khóa mới."
    ) % {"name": client.name}
