"""Units and blocks are read here and changed through the unit services (pages, workbook import),
which check the manager's authority. Kinds and memberships (who acts for which unit) are
account administration and stay editable."""

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
    Unit,
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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


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
