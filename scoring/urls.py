from django.urls import path

from . import views
from .assessment_urls import urlpatterns as assessment_patterns
from .result_urls import urlpatterns as result_patterns

app_name = "scoring"
urlpatterns: list = [  # type: ignore[type-arg]
    path("campaigns/import/", views.CampaignImportView.as_view(), name="import_campaign"),
    path(
        "campaigns/import/template.xlsx",
        views.ImportTemplateView.as_view(),
        name="import_template",
    ),
    *assessment_patterns,
    *result_patterns,
]
