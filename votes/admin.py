from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Attendance,
    Award,
    AwardCondition,
    AwardEntry,
    AwardTerm,
    BaseSalary,
    CatalogueEvent,
    CouncilSession,
    LedgerEvent,
    Nomination,
    Proposal,
    ProposalEvent,
    ProposalRound,
    ProvinceRatio,
)


class AwardTermInline(ReadOnlyInline):
    model = AwardTerm
    fields = [
        "valid_from",
        "valid_to",
        "texts",
        "level",
        "highest_level",
        "rule",
        "threshold_percent",
        "multiple_collective",
        "multiple_individual",
        "multiple_household",
        "multiple_verified",
        "edited_at",
    ]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    """Reference data the province's emulation office keeps in step with the law, each number
    with its period and source: edited on the catalogue page (`votes.services.award_term_update`,
    with history), so that an edited term is kept by the data migrations."""

    list_display = ["name", "kind", "period", "order"]
    list_filter = ["kind"]
    inlines = [AwardTermInline]


@admin.register(BaseSalary)
class BaseSalaryAdmin(ReadOnlyAdmin):
    """Set on the catalogue page (`votes.services.base_salary_set`, with history)."""

    list_display = ["valid_from", "amount", "source", "verified", "edited_at"]


@admin.register(ProvinceRatio)
class ProvinceRatioAdmin(ReadOnlyAdmin):
    """Set by the province's officers on the catalogue page (`votes.services.province_ratio_set`,
    with history)."""

    list_display = ["authority", "award", "valid_from", "valid_to", "rule", "threshold_percent"]


@admin.register(CatalogueEvent)
class CatalogueEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "subject", "field", "old_value", "new_value"]


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


@admin.register(AwardEntry)
class AwardEntryAdmin(ReadOnlyAdmin):
    """Written by the services only: a decision issued (`ledger_record_session`) or the `awards`
    sheet (`award_entries_import`), each with its history line."""

    list_display = ["year", "recipient_kind", "person_name", "unit_name", "award_name"]
    list_filter = ["year", "recipient_kind", "source"]
    search_fields = ["search_text"]


@admin.register(LedgerEvent)
class LedgerEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "subject", "new_value"]


@admin.register(AwardCondition)
class AwardConditionAdmin(ReadOnlyAdmin):
    """Shipped with their legal source by a data migration (votes/catalogue.py, CONDITIONS)."""

    list_display = ["award", "required", "scope", "years", "valid_from", "verified"]


class ProposalEventInline(ReadOnlyInline):
    model = ProposalEvent
    fields = ["at", "actor", "action", "subject", "old_value", "new_value", "reason"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    """A commune's file to its province: made, sent, returned, scheduled and decided only through
    `votes.services` (section "Proposals to the province"), each step in its history."""

    list_display = ["session", "province", "round", "status", "late", "sent_at"]
    list_filter = ["status", "late"]
    inlines = [ProposalEventInline]


@admin.register(ProposalRound)
class ProposalRoundAdmin(ReadOnlyAdmin):
    """Opened by the province's office (`votes.services.proposal_round_create`)."""

    list_display = ["name", "authority", "deadline"]
