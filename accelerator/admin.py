from django.contrib import admin

from .models import (
    Application,
    Criterion,
    Decision,
    DecisionRecord,
    MentoringSession,
    Milestone,
    MonthlyFigure,
    ReviewAssignment,
    ReviewerProfile,
    Round,
    StartUp,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "opens_at", "closes_at", "places"]
    list_filter = ["status"]
    inlines = [CriterionInline]
    readonly_fields = ["status"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project", "round", "status", "submitted_at"]
    list_filter = ["round", "status"]
    raw_id_fields = ["project", "submitted_by"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "status", "same_country"]
    list_filter = ["status", "same_country"]


@admin.register(DecisionRecord)
class DecisionRecordAdmin(admin.ModelAdmin):
    list_display = ["round", "closed_at", "inputs_sha256"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ReviewerProfile)
admin.site.register(Decision)
admin.site.register(StartUp)
admin.site.register(Milestone)
admin.site.register(MonthlyFigure)
admin.site.register(MentoringSession)
