"""Small helpers shared by the HTML views."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from caredesk.core.i18n import activate_for_workspace
from caredesk.workspaces.access import Access, get_access, workspaces_for_user
from caredesk.workspaces.models import Tab
from caredesk.workspaces.permissions import Perm

# Tabs that have pages today, with the permission each needs; the nav shows a tab only when
# the workspace enabled it and the user may open it.
TAB_PAGES = {
    Tab.HOME: ("workspace_home", Perm.USE_CARE),
    Tab.DESK: ("desk", Perm.USE_CARE),
    Tab.TICKETS: ("ticket_list", Perm.INBOX_ACCESS),
    # Responses follow the tickets' audience (and visibility); rules and surveys need manage_care.
    Tab.FEEDBACK: ("feedback_responses", Perm.INBOX_ACCESS),
    Tab.CONVERSATIONS: ("conversations_overview", Perm.VIEW_INSIGHTS),
    Tab.INSIGHTS: ("insights_dashboard", Perm.VIEW_INSIGHTS),
    Tab.COACHING: ("coaching_overview", Perm.USE_CARE),
    # Everyone reads the plans of their area and the internal articles; writing needs
    # manage_action_plans / manage_resources.
    Tab.ACTION_PLANS: ("action_plan_list", Perm.USE_CARE),
    Tab.RESOURCES: ("resource_center", Perm.USE_CARE),
}


def workspace_view(perm: str = Perm.USE_CARE):
    """Decorator: log-in required, resolves `workspace` into an Access (404 outside the
    organization, 403 without `perm`) and passes it as `access`."""

    def wrap(view):
        @login_required
        def inner(request, workspace, *args, **kwargs):
            access = get_access(request.user, workspace, require=perm)
            request.access = access
            activate_for_workspace(request, access.workspace)
            return view(request, access, *args, **kwargs)

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return inner

    return wrap


def render_ws(
    request,
    access: Access,
    template: str,
    context: dict | None = None,
    *,
    active: str = "",
    status: int = 200,
):
    nav = [
        (str(Tab(t).label), name, t == active)
        for t, (name, perm) in TAB_PAGES.items()
        if t in access.workspace.enabled_tabs and access.has(perm)
    ]
    ctx = {
        "access": access,
        "workspace": access.workspace,
        "nav": nav,
        "places": places(access, active),
        "my_workspaces": workspaces_for_user(access.user) if access.user else [],
        "can_manage": access.has(Perm.MANAGE_CARE),
        "settings_url": settings_url(access),
        "active_tab": active,
    }
    ctx.update(context or {})
    return render(request, template, ctx, status=status)


def places(access: Access, active: str = "") -> list[tuple[str, str, bool]]:
    """The app switcher's entries (label, address, current): the workspace's tabs, then the
    places that are not tabs (customers, the supervisor view, settings), each only for those
    who may open it."""
    slug = access.workspace.slug
    enabled = access.workspace.enabled_tabs
    out = [
        (str(Tab(t).label), reverse(name, args=[slug]), t == active)
        for t, (name, perm) in TAB_PAGES.items()
        if t in enabled and access.has(perm)
    ]
    if access.has(Perm.USE_CARE):
        customers = reverse("journey_customers", args=[slug])
        out.append((_("Customers"), customers, active == "customers"))
    if Tab.DESK in enabled and access.has(Perm.MANAGE_CARE):
        out.append(
            (_("Supervisor view"), reverse("desk_supervisor", args=[slug]), active == "supervisor")
        )
    if url := settings_url(access):
        out.append((_("Settings"), url, active == "settings"))
    return out


# Where the Settings link leads, by the first permission the user holds: admins land on
# General; a manager holding only manage_scorecards on Scorecards (workspaces.views
# SECTION_PERMS shows them only the sections they may open).
SETTINGS_LANDING = [
    (Perm.MANAGE_CARE, "settings_general"),
    (Perm.MANAGE_SCORECARDS, "scorecard_settings"),
]


def settings_url(access: Access) -> str | None:
    """The Settings page the user's link leads to, or None when they may open none."""
    for perm, name in SETTINGS_LANDING:
        if access.has(perm):
            return reverse(name, args=[access.workspace.slug])
    return None
