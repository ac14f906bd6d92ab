"""Settings → Business hours: the opening hours and holidays of the workspace."""

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@workspace_view(Perm.MANAGE_CARE)
def business_hours_settings(request, access):
    return render_ws(request, access, "insights/business_hours.html", {}, active="settings")
