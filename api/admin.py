from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import ApiClient, ApiClientEvent


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    """Tokens are made and revoked through the services (the manager's page); the admin never
    shows a token's hash."""

    list_display = ["name", "authority", "token_prefix", "created_at", "revoked_at", "last_used_at"]
    exclude = ["token_hash"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [name for name in super().get_readonly_fields(request, obj) if name != "token_hash"]


@admin.register(ApiClientEvent)
class ApiClientEventAdmin(ReadOnlyAdmin):
    list_display = ["client", "action", "actor", "at"]
