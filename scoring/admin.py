"""Runs are made, published and cancelled through the scoring services; here they are only read."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import ExportJob, Result, ScoringRun


class ResultInline(ReadOnlyInline):
    model = Result
    fields = ["unit_code", "unit_name", "final_score", "rank", "classification", "exemplary"]
    readonly_fields = fields


@admin.register(ScoringRun)
class ScoringRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "campaign", "status", "created_at", "finished_at", "is_published"]
    list_filter = ["status", "is_published"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["run", "unit_code", "unit_name", "final_score", "rank", "classification"]
    list_filter = ["classification", "exemplary"]
    search_fields = ["unit_code", "unit_name"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["pk", "run", "format", "status", "requested_by", "created_at"]
    list_filter = ["status", "format"]
