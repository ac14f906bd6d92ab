from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from caredesk.workspaces.models import (
    ApiToken,
    Membership,
    Organization,
    PermissionGrant,
    Segment,
    User,
    UserType,
    Workspace,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Organization", {"fields": ["organization"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Organization", {"fields": ["organization"]}),
    ]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "organization",
        "is_active",
        "is_staff",
    ]
    list_filter = ["organization", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["organization"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organization", "auto_close_days"]
    list_filter = ["organization"]
    search_fields = ["name", "slug"]
    list_select_related = ["organization"]
    readonly_fields = ["next_case_number"]


@admin.register(UserType)
class UserTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization"]
    list_filter = ["organization", "kind"]
    list_select_related = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "user_type"]
    list_filter = ["workspace", "user_type__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user", "workspace", "user_type"]
    list_select_related = ["user", "workspace", "user_type"]


@admin.register(PermissionGrant)
class PermissionGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "permission"]
    list_filter = ["workspace", "permission"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "workspace"]
    list_select_related = ["user", "workspace"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "parent", "path"]
    list_filter = ["organization"]
    search_fields = ["name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["managers"]
    readonly_fields = ["path"]
    list_select_related = ["organization", "parent"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued through the app (shown once); the admin can only look and revoke."""

    list_display = ["prefix", "user", "created_at", "last_used_at"]
    search_fields = ["prefix", "user__username"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False
