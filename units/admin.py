from django.contrib import admin

from .models import Block, BlockMember, Membership, Unit, UnitKind


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["code", "name", "search_name"]
    autocomplete_fields = ["parent", "successor"]
    list_select_related = ["kind", "parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class BlockMemberInline(admin.TabularInline):
    model = BlockMember
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "head_unit"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["head_unit"]
    inlines = [BlockMemberInline]
