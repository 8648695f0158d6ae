"""Units, blocks, memberships and their histories are read here and changed through the unit and
people services (pages, workbook imports), which check the manager's authority and write the
history. Kinds are reference data and stay editable."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AuthorityEvent,
    AuthorityProfile,
    AuthoritySigner,
    Block,
    BlockMember,
    IssuedDocument,
    Membership,
    PersonEvent,
    Unit,
    UnitEvent,
    UnitKind,
)


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["kind", "parent"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "unit__code", "unit__name"]
    list_select_related = ["user", "unit"]


@admin.register(UnitEvent)
class UnitEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "unit", "actor", "action", "subject", "old_value", "new_value"]
    list_filter = ["action"]
    search_fields = ["unit__code", "unit__name", "subject"]
    list_select_related = ["unit", "actor"]


@admin.register(PersonEvent)
class PersonEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "person", "unit", "actor", "action", "subject", "old_value", "new_value"]
    list_filter = ["action"]
    search_fields = ["person__username", "person__first_name", "subject"]
    list_select_related = ["person", "unit", "actor"]


class BlockMemberInline(ReadOnlyInline):
    model = BlockMember
    fields = ["unit"]
    readonly_fields = fields


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "year", "head_unit"]
    search_fields = ["code", "name"]
    inlines = [BlockMemberInline]


class AuthoritySignerInline(ReadOnlyInline):
    model = AuthoritySigner
    fields = ["post", "full_name", "order"]
    readonly_fields = fields


@admin.register(AuthorityProfile)
class AuthorityProfileAdmin(ReadOnlyAdmin):
    """Changed on the Hồ sơ cơ quan page (`authority_profile_update`), which writes the history."""

    list_display = ["authority", "issuing_body", "code", "place_name"]
    search_fields = ["authority__name", "name"]
    list_select_related = ["authority"]
    inlines = [AuthoritySignerInline]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    """The register: numbers are given by `document_number_allocate` only."""

    list_display = ["reference", "authority", "year", "issued_on", "subject", "withdrawn_on"]
    list_filter = ["year", "doc_type"]
    search_fields = ["reference", "subject", "authority__name"]
    list_select_related = ["authority"]


@admin.register(AuthorityEvent)
class AuthorityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "authority", "actor", "action", "subject"]
    list_filter = ["action"]
    list_select_related = ["authority", "actor"]
