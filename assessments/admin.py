"""Assessments in the admin: read-only. Scores, statuses and reviews change only through the
services, so every change writes its history row and sends its notice."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentItem,
    AssessmentSubmission,
    Evidence,
    ReviewAssignment,
    ReviewItem,
)


class AssessmentItemInline(ReadOnlyInline):
    model = AssessmentItem
    fields = ["criterion", "self_score", "note"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "status", "submitted_at", "version"]
    list_filter = ["status"]
    inlines = [AssessmentItemInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "item", "content_type", "size"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "reviewer", "unit", "block", "stage"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "criterion", "reviewer", "stage", "score"]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "assessment", "actor", "field", "old_value", "new_value"]


@admin.register(AssessmentSubmission)
class AssessmentSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "number", "at", "actor"]
