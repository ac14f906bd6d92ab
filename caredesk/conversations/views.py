"""The Conversations tab: analysis of the conversations of the management area."""

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@workspace_view(Perm.VIEW_INSIGHTS)
def conversations_overview(request, access):
    return render_ws(request, access, "conversations/overview.html", {}, active="conversations")
