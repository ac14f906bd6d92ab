from django.contrib import admin

from caredesk.journey.models import Activity, ActivityComment


class CommentInline(admin.TabularInline):
    model = ActivityComment
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "media_type", "direction", "contact", "case", "occurred_at"]
    list_filter = ["media_type", "direction"]
    raw_id_fields = ["contact", "account", "case", "conversation", "agent", "created_by"]
    inlines = [CommentInline]
