"""The permission vocabulary and the defaults each user type starts with."""

from django.db import models


class Perm(models.TextChoices):
    USE_CARE = "use_care", "Use the care app"
    MANAGE_CARE = "manage_care", "Manage the care app (settings, members, assign to me)"
    INBOX_ACCESS = "inbox_access", "Access tickets / inbox"
    VIEW_ALL_CASES = (
        "view_all_cases",
        "See every ticket of the workspace, not only the management area",
    )
    EXPORT_CASES = "export_cases", "Download tickets to Excel"


class UserKind(models.TextChoices):
    BRAND_ADMIN = "brand_admin", "Brand admin"
    CX_ADMIN = "cx_admin", "CX admin"
    MANAGER = "manager", "Manager"
    COACH = "coach", "Coach"
    AGENT = "agent", "Agent"


ALL_PERMS = frozenset(Perm.values)

DEFAULT_PERMS: dict[str, frozenset[str]] = {
    UserKind.BRAND_ADMIN: ALL_PERMS,
    UserKind.CX_ADMIN: ALL_PERMS,
    UserKind.MANAGER: frozenset({Perm.USE_CARE, Perm.INBOX_ACCESS, Perm.EXPORT_CASES}),
    UserKind.COACH: frozenset({Perm.USE_CARE, Perm.INBOX_ACCESS}),
    UserKind.AGENT: frozenset({Perm.USE_CARE}),
}
