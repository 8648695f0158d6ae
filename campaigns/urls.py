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
    path("<str:code>/edit/", views.CampaignUpdateView.as_view(), name="update"),
    path("<str:code>/history/", views.CampaignHistoryView.as_view(), name="history"),
    path(
        "<str:code>/transition/<str:action>/",
        views.CampaignTransitionView.as_view(),
        name="transition",
    ),
    path("<str:code>/attachments/new/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        "<str:code>/attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path("<str:code>/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path(
        "<str:code>/checklist/criteria/new/",
        views.CriterionSaveView.as_view(),
        name="criterion_add",
    ),
    path(
        "<str:code>/checklist/criteria/<int:pk>/",
        views.CriterionSaveView.as_view(),
        name="criterion_edit",
    ),
    path(
        "<str:code>/checklist/criteria/<int:pk>/delete/",
        views.CriterionDeleteView.as_view(),
        name="criterion_delete",
    ),
    path(
        "<str:code>/checklist/<str:action>/",
        views.ChecklistActionView.as_view(),
        name="checklist_action",
    ),
    path("<str:code>/units/", views.EnrolmentListView.as_view(), name="enrolments"),
    path(
        "<str:code>/units/<int:pk>/remove/",
        views.EnrolmentRemoveView.as_view(),
        name="enrolment_remove",
    ),
    path(
        "<str:code>/units/<int:pk>/reopen/",
        views.EnrolmentReopenView.as_view(),
        name="enrolment_reopen",
    ),
    path(
        "<str:code>/conferences/new/",
        views.ConferenceFormView.as_view(),
        name="conference_add",
    ),
    path(
        "<str:code>/conferences/<int:pk>/",
        views.ConferenceDetailView.as_view(),
        name="conference",
    ),
    path(
        "<str:code>/conferences/<int:pk>/edit/",
        views.ConferenceFormView.as_view(),
        name="conference_edit",
    ),
    path(
        "<str:code>/conferences/<int:pk>/files/",
        views.ConferenceFileAddView.as_view(),
        name="conference_file_add",
    ),
    path(
        "<str:code>/conference-files/<int:pk>/",
        views.ConferenceFileDownloadView.as_view(),
        name="conference_file",
    ),
    path("<str:code>/council/", views.CouncilView.as_view(), name="council"),
    path("<str:code>/council/new/", views.CouncilSeatAddView.as_view(), name="council_add"),
    path("<str:code>/council/copy/", views.CouncilCopyView.as_view(), name="council_copy"),
    path(
        "<str:code>/council/<int:pk>/role/",
        views.CouncilSeatRoleView.as_view(),
        name="council_role",
    ),
    path(
        "<str:code>/council/<int:pk>/remove/",
        views.CouncilSeatRemoveView.as_view(),
        name="council_remove",
    ),
    path("<str:code>/registrations/", views.RegistrationListView.as_view(), name="registrations"),
    path(
        "<str:code>/registrations/send/",
        views.RegistrationSendView.as_view(),
        name="registration_send",
    ),
    path(
        "<str:code>/registrations/<int:pk>/decide/",
        views.RegistrationDecideView.as_view(),
        name="registration_decide",
    ),
    path(
        "<str:code>/registrations/<int:pk>/file/",
        views.RegistrationFileView.as_view(),
        name="registration_file",
    ),
]
