from django.urls import path

from . import views

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
    path("<int:pk>/register/", views.DocumentRegisterView.as_view(), name="register"),
    path(
        "<int:pk>/register/<int:document>/withdraw/",
        views.DocumentWithdrawView.as_view(),
        name="document_withdraw",
    ),
    path("sign-ins/", views.SignInEventListView.as_view(), name="sign_in_events"),
]
