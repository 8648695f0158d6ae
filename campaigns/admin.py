"""Campaigns in the admin: read-only. Every change goes through the campaign services (the pages,
the importer and the commands call them), so each writes its history and sends its notices."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

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


class CouncilSeatInline(ReadOnlyInline):
    model = CouncilSeat
    fields = ["user"]
    readonly_fields = fields


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "authority", "status", "starts_on", "window_closes_on"]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    inlines = [CouncilSeatInline]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["code", "title", "parent", "kind", "max_points", "critical", "evidence_required"]
    readonly_fields = fields


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["name", "campaign", "version", "is_template", "frozen_at"]
    list_filter = ["is_template"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "checklist", "kind", "max_points", "critical"]
    list_filter = ["kind", "critical"]
    search_fields = ["code", "title"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "unit", "block", "reopened_until"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "unit", "block"]


class ConferenceFileInline(ReadOnlyInline):
    model = ConferenceFile
    fields = ["original_name", "content_type", "size", "sha256"]
    readonly_fields = fields


@admin.register(Conference)
class ConferenceAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "kind", "held_at", "venue", "chair"]
    list_filter = ["kind"]
    inlines = [ConferenceFileInline]


@admin.register(CampaignAttachment)
class CampaignAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "kind", "title", "original_name", "size"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "status", "sent_at", "decided_at"]
    list_filter = ["status"]


@admin.register(CampaignEvent)
class CampaignEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "campaign", "actor", "action", "subject", "old_value", "new_value"]
    list_filter = ["action"]
