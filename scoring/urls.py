"""URLs of scoring runs, rankings, exports and the public results."""

from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("campaigns/<str:code>/scoring/", views.RunListView.as_view(), name="runs"),
    path(
        "campaigns/<str:code>/scoring/<int:pk>/progress/",
        views.RunProgressView.as_view(),
        name="run_progress",
    ),
    path(
        "campaigns/<str:code>/scoring/<int:pk>/publish/",
        views.RunPublishView.as_view(),
        name="run_publish",
    ),
    path(
        "campaigns/<str:code>/scoring/<int:pk>/cancel/",
        views.RunCancelView.as_view(),
        name="run_cancel",
    ),
    path("campaigns/<str:code>/scoring/compare/", views.RunCompareView.as_view(), name="compare"),
    path("campaigns/<str:code>/rankings/", views.RankingsView.as_view(), name="rankings"),
    path(
        "campaigns/<str:code>/rankings/<int:enrolment_id>/",
        views.UnitResultView.as_view(),
        name="unit_result",
    ),
    path(
        "campaigns/<str:code>/results.<str:fmt>",
        views.ExportView.as_view(),
        name="export",
    ),
    path(
        "campaigns/<str:code>/exports/<int:pk>/",
        views.ExportJobView.as_view(),
        name="export_job",
    ),
    path(
        "campaigns/<str:code>/exports/<int:pk>/progress/",
        views.ExportJobProgressView.as_view(),
        name="export_progress",
    ),
    path(
        "campaigns/<str:code>/exports/<int:pk>/file/",
        views.ExportJobFileView.as_view(),
        name="export_file",
    ),
    path("public/", views.PublicCampaignListView.as_view(), name="public_list"),
    path("public/<str:code>/", views.PublicResultsView.as_view(), name="public_results"),
]
