from django.contrib import admin

from .models import (
    Assumption,
    Block,
    CausalLink,
    Entry,
    Intervention,
    Outcome,
    Snapshot,
    ToolInstance,
    ToolTemplate,
)


class BlockInline(admin.TabularInline):
    model = Block
    extra = 0
    fields = ["key", "order", "label", "column", "row", "column_span", "row_span"]


@admin.register(ToolTemplate)
class ToolTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "kind", "licence"]
    inlines = [BlockInline]
    readonly_fields = ["slug", "version"]  # templates come from toolkit/fixtures: change them there


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["block_key", "order", "text", "source", "client_label", "author"]
    raw_id_fields = ["author"]


@admin.register(ToolInstance)
class ToolInstanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "template", "status", "version", "updated_at"]
    list_filter = ["template", "status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "created_by"]
    readonly_fields = ["version"]
    inlines = [EntryInline]
    list_select_related = ["project", "template"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["text", "level", "above_ceiling", "instance"]
    list_filter = ["level"]
    raw_id_fields = ["instance", "indicators"]


@admin.register(CausalLink)
class CausalLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "instance"]
    raw_id_fields = ["instance", "source", "target"]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["text", "instance"]
    raw_id_fields = ["instance", "outcomes"]


@admin.register(Assumption)
class AssumptionAdmin(admin.ModelAdmin):
    list_display = ["text", "status", "instance"]
    raw_id_fields = ["instance", "link", "outcome"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["instance", "number", "note", "instance_version", "created_at"]
    raw_id_fields = ["instance", "created_by"]
    readonly_fields = ["data"]
