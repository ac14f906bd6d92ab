from django.contrib import admin

from caredesk.care.models import Case, CaseComment, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "workspace", "status", "priority", "owner", "reported_at"]
    list_filter = ["workspace", "status", "priority", "origin"]
    search_fields = ["=number", "title", "customer_email"]
    raw_id_fields = [
        "workspace",
        "contact",
        "source_segment",
        "segment",
        "owner",
        "created_by",
        "tags",
    ]
    readonly_fields = ["segment_path", "updated_at"]
    date_hierarchy = "reported_at"
    list_select_related = ["workspace", "owner"]


@admin.register(CaseComment)
class CaseCommentAdmin(admin.ModelAdmin):
    list_display = ["case", "author", "created_at"]
    search_fields = ["body"]
    raw_id_fields = ["case", "author"]
    list_select_related = ["case", "author"]
