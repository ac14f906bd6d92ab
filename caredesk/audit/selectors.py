from caredesk.audit.models import AuditEntry


def audit_for(obj):
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk)
        .select_related("actor")
        .order_by("created_at", "id")
    )
