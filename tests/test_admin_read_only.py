"""The admin shows what the services own but never changes it: a change there would skip the
authority check, the history row and the notice that the service writes."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client

from core.admin import ReadOnlyAdmin

pytestmark = pytest.mark.django_db

# Reference data with its sources (unit kinds): an administrator keeps these up to date. The award
# catalogue and the base salaries are edited on the catalogue page, through services that record
# each change and its source. Memberships go through units.people, like the rest.
EDITABLE = {
    "units.unitkind",
    "votes.title",
}
DOMAIN_APPS = {"units", "campaigns", "assessments", "scoring", "votes", "notifications", "api"}


def domain_admins() -> list[tuple[str, admin.ModelAdmin]]:
    return [
        (model._meta.label_lower, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS and model._meta.label_lower not in EDITABLE
    ]


def test_every_service_owned_model_is_read_only_in_the_admin() -> None:
    editable = [
        label
        for label, model_admin in domain_admins()
        if not isinstance(model_admin, ReadOnlyAdmin)
    ]
    assert editable == []


def test_a_superuser_can_read_but_not_add_change_or_delete(rf: object) -> None:
    root = User.objects.create_superuser("root", "root@example.invalid", "pw")
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = root
    for label, model_admin in domain_admins():
        assert model_admin.has_view_permission(request), label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label


def test_posting_to_an_admin_add_page_is_refused(client: Client) -> None:
    root = User.objects.create_superuser("root", "root@example.invalid", "pw")
    client.force_login(root)
    response = client.post("/admin/campaigns/campaign/add/", {"code": "X", "title": "X"})
    assert response.status_code == 403
