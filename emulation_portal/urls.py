"""Root URLs: accounts, language switch, the admin, each app's pages, and the error pages."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language

from api.urls import api_patterns, page_patterns
from core.twofactor import always_allowed
from units.views import VerifyView

from . import views

health = always_allowed(login_not_required(views.PortalHealthView.as_view()))
# Browsers ask for /favicon.ico by themselves; whitenoise serves the file under its static name.
favicon = always_allowed(
    login_not_required(RedirectView.as_view(url=lazy(static_url, str)("favicon.ico")))
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("guide/", views.GuideView.as_view(), name="guide"),
    path("guide/<slug:role>/", views.GuideView.as_view(), name="guide_role"),
    path("healthz/", health, name="health"),
    # The address load balancers were first given; answers the same, without a redirect.
    path("healthz", health),
    path("favicon.ico", favicon),
    path("accounts/", include("core.accounts")),  # Django's account pages; refused: 422
    path("i18n/setlang/", always_allowed(login_not_required(set_language)), name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The short address an issued document prints under its QR code: public, no sign-in.
    path("v/<slug:code>", always_allowed(login_not_required(VerifyView.as_view())), name="verify"),
    path("units/", include("units.urls")),
    # These come first: "campaigns/import/" must not be read as a campaign code.
    path("", include("assessments.urls")),
    path("", include("scoring.urls")),
    path("", include("notifications.urls")),
    path("council/", include("votes.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("api/", include((api_patterns, "api"))),
    path("connections/", include((page_patterns, "connections"))),
]

handler400 = "emulation_portal.views.bad_request"
handler403 = "emulation_portal.views.permission_denied"
handler404 = "emulation_portal.views.page_not_found"
handler500 = "emulation_portal.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
