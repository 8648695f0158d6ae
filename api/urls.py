"""The API under /api/ (a client's token, no session: a middleware asking signed-in users for
more, such as a second factor, must let /api/ through) and the manager's page under
/connections/."""

from django.urls import path

from . import views

api_patterns = [
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<str:code>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<str:code>/results/", views.ResultListView.as_view(), name="results"),
    path("awards/", views.AwardListView.as_view(), name="awards"),
    path("ledger/", views.LedgerListView.as_view(), name="ledger"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]

page_patterns = [
    path("", views.ConnectionsView.as_view(), name="list"),
    path("<int:unit>/", views.ClientListView.as_view(), name="clients"),
    path("<int:unit>/<int:pk>/revoke/", views.ClientRevokeView.as_view(), name="revoke"),
]
