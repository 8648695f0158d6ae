from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attendance, CouncilSession, Nomination, Title


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = ["name", "threshold_percent", "reward_multiple"]


class AttendanceInline(ReadOnlyInline):
    model = Attendance


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    """Sessions open, vote and close through the votes services (quorum, secrecy, snapshots)."""

    list_display = ["campaign", "held_on", "status", "quorum_percent"]
    inlines = [AttendanceInline]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["session", "enrolment", "title", "final_score"]
