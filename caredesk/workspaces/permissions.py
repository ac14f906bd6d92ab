"""The permission vocabulary and the defaults each user type starts with."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(models.TextChoices):
    USE_CARE = "use_care", _("Use the care app")
    MANAGE_CARE = "manage_care", _("Manage the care app (settings, members, assign to me)")
    INBOX_ACCESS = "inbox_access", _("Access tickets / inbox")
    VIEW_ALL_CASES = (
        "view_all_cases",
        _("See every ticket of the workspace, not only the management area"),
    )
    EXPORT_CASES = "export_cases", _("Download tickets to Excel")
    EVALUATE = "evaluate", _("Evaluate agents' work with scorecards and coach them")
    MANAGE_SCORECARDS = "manage_scorecards", _("Create and edit scorecards and review rules")
    REVIEW_APPEALS = "review_appeals", _("Decide appeals against evaluations")
    VIEW_INSIGHTS = (
        "view_insights",
        _("See the insights and conversation analysis of the management area"),
    )
    MANAGE_ACTION_PLANS = (
        "manage_action_plans",
        _("Create and edit the action plans of the management area"),
    )
    MANAGE_RESOURCES = (
        "manage_resources",
        _("Write and publish articles of the resource center"),
    )


# What a refusal says is missing, in words ("You need access to tickets."), never the code.
PERM_NEEDS = {
    Perm.USE_CARE: _("access to the care app of this workspace"),
    Perm.MANAGE_CARE: _("permission to manage this workspace"),
    Perm.INBOX_ACCESS: _("access to tickets"),
    Perm.VIEW_ALL_CASES: _("permission to see every ticket of the workspace"),
    Perm.EXPORT_CASES: _("permission to download tickets to Excel"),
    Perm.EVALUATE: _("permission to evaluate agents"),
    Perm.MANAGE_SCORECARDS: _("permission to manage scorecards"),
    Perm.REVIEW_APPEALS: _("permission to decide appeals"),
    Perm.VIEW_INSIGHTS: _("permission to see insights"),
    Perm.MANAGE_ACTION_PLANS: _("permission to manage action plans"),
    Perm.MANAGE_RESOURCES: _("permission to write articles"),
}


# Column headings of the permission tables (Settings → Permissions, User types).
PERM_SHORT = {
    Perm.USE_CARE: _("Care app"),
    Perm.MANAGE_CARE: _("Manage"),
    Perm.INBOX_ACCESS: _("Tickets"),
    Perm.VIEW_ALL_CASES: _("All tickets"),
    Perm.EXPORT_CASES: _("Excel export"),
    Perm.EVALUATE: _("Evaluate"),
    Perm.MANAGE_SCORECARDS: _("Scorecards"),
    Perm.REVIEW_APPEALS: _("Appeals"),
    Perm.VIEW_INSIGHTS: _("Insights"),
    Perm.MANAGE_ACTION_PLANS: _("Action plans"),
    Perm.MANAGE_RESOURCES: _("Articles"),
}


class UserKind(models.TextChoices):
    BRAND_ADMIN = "brand_admin", _("Brand admin")
    CX_ADMIN = "cx_admin", _("CX admin")
    MANAGER = "manager", _("Manager")
    COACH = "coach", _("Coach")
    AGENT = "agent", _("Agent")


ALL_PERMS = frozenset(Perm.values)

# Quality: coaches and managers evaluate, manage scorecards and decide appeals (issue 13).
QUALITY_PERMS = frozenset({Perm.EVALUATE, Perm.MANAGE_SCORECARDS, Perm.REVIEW_APPEALS})

DEFAULT_PERMS: dict[str, frozenset[str]] = {
    UserKind.BRAND_ADMIN: ALL_PERMS,
    UserKind.CX_ADMIN: ALL_PERMS,
    UserKind.MANAGER: frozenset(
        {
            Perm.USE_CARE,
            Perm.INBOX_ACCESS,
            Perm.EXPORT_CASES,
            Perm.VIEW_INSIGHTS,
            Perm.MANAGE_ACTION_PLANS,
            Perm.MANAGE_RESOURCES,
        }
    )
    | QUALITY_PERMS,
    # Coaches write the articles agents learn from; plans are the managers'.
    UserKind.COACH: frozenset(
        {Perm.USE_CARE, Perm.INBOX_ACCESS, Perm.VIEW_INSIGHTS, Perm.MANAGE_RESOURCES}
    )
    | QUALITY_PERMS,
    UserKind.AGENT: frozenset({Perm.USE_CARE}),
}
