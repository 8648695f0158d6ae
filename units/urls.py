from django.urls import path

from . import people_views, views

app_name = "units"
urlpatterns = [
    path("", views.UnitTreeView.as_view(), name="tree"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
    path("export.xlsx", views.UnitExportView.as_view(), name="export"),
    path("import/", views.UnitImportView.as_view(), name="import"),
    path("blocks/", views.BlockListView.as_view(), name="blocks"),
    path("blocks/new/", views.BlockFormView.as_view(), name="block_add"),
    path("blocks/<int:pk>/", views.BlockFormView.as_view(), name="block_edit"),
    path("authorities/", views.AuthorityListView.as_view(), name="authorities"),
    path("<int:pk>/profile/", views.AuthorityProfileView.as_view(), name="authority_profile"),
    path(
        "<int:pk>/profile/templates/",
        views.DocumentTemplateView.as_view(),
        name="document_templates",
    ),
    path("<int:pk>/register/", views.DocumentRegisterView.as_view(), name="register"),
    path(
        "<int:pk>/register/<int:document>/withdraw/",
        views.DocumentWithdrawView.as_view(),
        name="document_withdraw",
    ),
    path("sign-ins/", views.SignInEventListView.as_view(), name="sign_in_events"),
    path("people/", people_views.PersonListView.as_view(), name="people"),
    path("people/new/", people_views.PersonCreateView.as_view(), name="person_add"),
    path("people/import/", people_views.PeopleImportView.as_view(), name="people_import"),
    path("people/<int:pk>/", people_views.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/edit/", people_views.PersonUpdateView.as_view(), name="person_edit"),
    path("people/<int:pk>/roles/", people_views.PersonRoleView.as_view(), name="person_role"),
    path(
        "people/<int:pk>/roles/<int:membership>/remove/",
        people_views.MembershipRemoveView.as_view(),
        name="person_role_remove",
    ),
    path(
        "people/<int:pk>/<slug:action>/",
        people_views.PersonActionView.as_view(),
        name="person_action",
    ),
]
