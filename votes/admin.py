from django.contrib import admin

from .models import Attendance, CouncilSession, Nomination, Title


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = ["name", "threshold_percent", "reward_multiple"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "held_on", "status", "quorum_percent"]
    inlines = [AttendanceInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["session", "enrolment", "title", "final_score"]
    raw_id_fields = ["enrolment"]
