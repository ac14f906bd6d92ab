from django.contrib import admin

from caredesk.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is append-only: the admin can read it, never write it."""

    list_display = [
        "created_at",
        "workspace",
        "object_type",
        "object_id",
        "action",
        "field",
        "old_value",
        "new_value",
        "actor",
    ]
    list_filter = ["workspace", "object_type", "action"]
    search_fields = ["=object_id", "field", "old_value", "new_value"]
    list_select_related = ["workspace", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
