"""The Insights tab: the dashboard of the management area and the drill-down lists."""

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@workspace_view(Perm.VIEW_INSIGHTS)
def insights_dashboard(request, access):
    return render_ws(request, access, "insights/dashboard.html", {}, active="insights")
