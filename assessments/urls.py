"""URLs of self-assessment, review, progress and the campaign workbook import."""

from django.urls import path

from . import import_views, views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.MyAssessmentsView.as_view(), name="my_assessments"),
    path("assessments/<int:enrolment_id>/", views.AssessmentView.as_view(), name="assessment"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("reviews/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("campaigns/<str:code>/progress/", views.ProgressView.as_view(), name="progress"),
    path(
        "campaigns/<str:code>/reviewers/",
        views.ReviewAssignmentView.as_view(),
        name="assignments",
    ),
    path("campaigns/import/", import_views.CampaignImportView.as_view(), name="import_campaign"),
    path(
        "campaigns/import/template.xlsx",
        import_views.ImportTemplateView.as_view(),
        name="import_template",
    ),
]
