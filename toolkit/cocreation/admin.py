from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contribution, Invite


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["label", "tool", "language", "expires_at", "revoked_at", "contribution_count"]
    list_filter = ["language"]
    search_fields = ["label"]
    raw_id_fields = ["tool", "created_by", "revoked_by"]
    readonly_fields = ["token_hash", "contribution_count"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "tool", "block_key", "status", "language", "is_on_behalf", "created_at"]
    list_filter = ["status", "language", "is_on_behalf"]
    raw_id_fields = ["tool", "invite", "entry", "outcome", "intervention", "moderated_by", "typed_by"]
    readonly_fields = ["receipt_hash", "consent_version", "consent_at"]
