"""Small helpers shared by the HTML views."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from caredesk.core.i18n import activate_for_workspace
from caredesk.workspaces.access import Access, get_access
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
        "can_manage": access.has(Perm.MANAGE_CARE),
        "active_tab": active,
    }
    ctx.update(context or {})
    return render(request, template, ctx, status=status)
