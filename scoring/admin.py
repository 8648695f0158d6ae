from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentItem,
    Evidence,
    Notification,
    Result,
    ReviewAssignment,
    ReviewItem,
    ScoringRun,
)


class AssessmentItemInline(admin.TabularInline):
    model = AssessmentItem
    extra = 0
    raw_id_fields = ["criterion"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "status", "submitted_at", "version"]
    list_filter = ["status"]
    raw_id_fields = ["enrolment"]
    readonly_fields = ["version"]
    inlines = [AssessmentItemInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "item", "content_type", "size"]
    raw_id_fields = ["item"]
    readonly_fields = ["original_name", "content_type", "size", "sha256"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "reviewer", "unit", "block", "stage"]
    raw_id_fields = ["unit", "block"]


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["assessment", "criterion", "reviewer", "stage", "score"]
    raw_id_fields = ["assessment", "criterion"]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(admin.ModelAdmin):
    list_display = ["at", "assessment", "actor", "field", "old_value", "new_value"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "subject", "read_at", "emailed_at", "email_attempts"]
    list_filter = ["emailed_at"]
    raw_id_fields = ["user", "campaign"]


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    fields = ["unit_code", "unit_name", "final_score", "rank", "classification", "exemplary"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScoringRun)
class ScoringRunAdmin(admin.ModelAdmin):
    """Runs are made and published through the scoring services; here they are only read."""

    list_display = ["pk", "campaign", "status", "created_at", "finished_at", "is_published"]
    list_filter = ["status", "is_published"]
    readonly_fields = [f.name for f in ScoringRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["run", "unit_code", "unit_name", "final_score", "rank", "classification"]
    list_filter = ["classification", "exemplary"]
    search_fields = ["unit_code", "unit_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
