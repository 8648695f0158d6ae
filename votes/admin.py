from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attendance, Award, BaseSalary, CouncilSession, Nomination


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    """Reference data an administrator keeps in step with the law, each number with its source."""

    list_display = [
        "name",
        "kind",
        "level",
        "rule",
        "threshold_percent",
        "threshold_verified",
        "multiple_collective",
        "multiple_individual",
        "multiple_household",
        "multiple_verified",
    ]
    list_filter = ["kind", "level", "rule", "threshold_verified", "multiple_verified"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "amount", "source", "verified"]


class AttendanceInline(ReadOnlyInline):
    model = Attendance


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    """Sessions open, vote and close through the votes services (quorum, secrecy, snapshots)."""

    list_display = ["campaign", "held_on", "status", "member_count", "present_count"]
    inlines = [AttendanceInline]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """Counts appear here only once the close has written them (never the sealed boxes)."""

    list_display = ["session", "enrolment", "person_name", "award", "passed", "amount"]
