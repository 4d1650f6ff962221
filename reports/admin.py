from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "requested_by", "status", "progress_done", "progress_total", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__username", "kind"]
    readonly_fields = [field.name for field in ReportJob._meta.fields]
