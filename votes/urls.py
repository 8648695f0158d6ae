from django.urls import path

from . import views

app_name = "votes"
urlpatterns = [
    # Before the campaign's pages: "catalogue", "salaries" and "ledger" are no second segment of
    # theirs.
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/terms/<int:pk>/", views.AwardTermEditView.as_view(), name="award_edit"),
    path(
        "catalogue/terms/<int:pk>/new-period/",
        views.AwardTermStartView.as_view(),
        name="award_term_start",
    ),
    path("catalogue/catalogue.csv", views.CatalogueDownloadView.as_view(), name="catalogue_csv"),
    path("catalogue/salaries/", views.BaseSalaryView.as_view(), name="base_salary"),
    path(
        "catalogue/provinces/<int:pk>/ratios/",
        views.ProvinceRatioView.as_view(),
        name="province_ratio",
    ),
    path("ledger/", views.LedgerListView.as_view(), name="ledger"),
    path("ledger/export.xlsx", views.LedgerExportView.as_view(), name="ledger_export"),
    path("ledger/import/", views.LedgerImportView.as_view(), name="ledger_import"),
    path("ledger/units/<int:pk>/", views.LedgerUnitView.as_view(), name="ledger_unit"),
    path("proposals/", views.ProposalListView.as_view(), name="proposals"),
    path("proposals/rounds/", views.ProposalRoundsView.as_view(), name="proposal_rounds"),
    path("proposals/<int:pk>/", views.ProposalView.as_view(), name="proposal"),
    path(
        "proposals/<int:pk>/files/<slug:doc>",
        views.ProposalDocumentView.as_view(),
        name="proposal_file",
    ),
    path(
        "proposals/<int:pk>/<str:action>/",
        views.ProposalActionView.as_view(),
        name="proposal_action",
    ),
    path("<str:code>/commended/", views.CommendedView.as_view(), name="commended"),
    path("<str:code>/sessions/", views.SessionListView.as_view(), name="sessions"),
    path("<str:code>/sessions/<int:pk>/", views.SessionView.as_view(), name="session"),
    path("<str:code>/sessions/<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path(
        "<str:code>/sessions/<int:pk>/document.<str:fmt>",
        views.SessionDocumentView.as_view(),
        name="document",
    ),
    path(
        "<str:code>/sessions/<int:pk>/files/<slug:doc>.<str:fmt>",
        views.SessionDocumentView.as_view(),
        name="file",
    ),
    path(
        "<str:code>/sessions/<int:pk>/nominations/<int:nomination>/bao-cao-thanh-tich.docx",
        views.ReportView.as_view(),
        name="report",
    ),
    path("<str:code>/quotas/", views.QuotaView.as_view(), name="quotas"),
    path(
        "<str:code>/sessions/<int:pk>/<str:action>/",
        views.SessionActionView.as_view(),
        name="action",
    ),
]
