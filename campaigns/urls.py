from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignCreateView.as_view(), name="create"),
    path(
        "checklist-templates/",
        views.ChecklistTemplateListView.as_view(),
        name="checklist_templates",
    ),
    path("<str:code>/", views.CampaignDetailView.as_view(), name="detail"),
]
