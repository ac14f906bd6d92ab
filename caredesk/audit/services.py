from caredesk.audit.models import AuditEntry


def audit_changes(
    *, workspace, obj, actor, action: str, changes: list[tuple[str, str, str]]
) -> None:
    """Record one entry per changed field (field, old, new); an action with no field change
    (e.g. "created") is recorded once with an empty field."""
    rows = [
        AuditEntry(
            workspace=workspace,
            object_type=obj._meta.model_name,
            object_id=obj.pk,
            actor=actor,
            action=action,
            field=f,
            old_value=(old or "")[:500],
            new_value=(new or "")[:500],
        )
        for f, old, new in changes or [("", "", "")]
    ]
    AuditEntry.objects.bulk_create(rows)
