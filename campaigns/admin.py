from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Campaign,
    CampaignAttachment,
    CampaignEvent,
    Checklist,
    Conference,
    ConferenceFile,
    CouncilSeat,
    Criterion,
    Enrolment,
    Registration,
)


class CouncilSeatInline(admin.TabularInline):
    model = CouncilSeat
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "authority", "status", "starts_on", "window_closes_on"]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["authority"]
    raw_id_fields = ["checklist"]
    readonly_fields = ["status", "launched_at", "created_at"]
    inlines = [CouncilSeatInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = [
        "code",
        "title",
        "parent",
        "kind",
        "max_points",
        "critical",
        "evidence_required",
        "order",
    ]
    raw_id_fields = ["parent"]

    def _editable(self, obj: Checklist | None) -> bool:
        return obj is None or not obj.is_frozen

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "version", "is_template", "frozen_at"]
    list_filter = ["is_template"]
    readonly_fields = ["frozen_at"]
    inlines = [CriterionInline]

    def has_change_permission(self, request: HttpRequest, obj: Checklist | None = None) -> bool:
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Checklist | None = None) -> bool:
        return (obj is None or not obj.is_frozen) and super().has_delete_permission(request, obj)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "checklist", "kind", "max_points", "critical"]
    list_filter = ["kind", "critical"]
    search_fields = ["code", "title"]
    raw_id_fields = ["checklist", "parent"]

    def has_change_permission(self, request: HttpRequest, obj: Criterion | None = None) -> bool:
        frozen = obj is not None and obj.checklist.is_frozen
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Criterion | None = None) -> bool:
        frozen = obj is not None and obj.checklist.is_frozen
        return not frozen and super().has_delete_permission(request, obj)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "unit", "block", "reopened_until"]
    list_filter = ["campaign"]
    autocomplete_fields = ["unit", "block"]
    list_select_related = ["campaign", "unit", "block"]


class ConferenceFileInline(admin.TabularInline):
    model = ConferenceFile
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "sha256"]


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["campaign", "kind", "held_at", "venue", "chair"]
    list_filter = ["kind"]
    autocomplete_fields = ["attending_units"]
    inlines = [ConferenceFileInline]


@admin.register(CampaignAttachment)
class CampaignAttachmentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "kind", "title", "original_name", "size"]
    readonly_fields = ["original_name", "content_type", "size", "sha256"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "status", "sent_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["enrolment"]


@admin.register(CampaignEvent)
class CampaignEventAdmin(admin.ModelAdmin):
    list_display = ["at", "campaign", "actor", "action", "subject", "old_value", "new_value"]
    list_filter = ["action"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
