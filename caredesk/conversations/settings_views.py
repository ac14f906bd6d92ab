"""Settings → Topics: the workspace's topic taxonomy."""

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@workspace_view(Perm.MANAGE_CARE)
def topic_settings(request, access):
    return render_ws(request, access, "conversations/topic_settings.html", {}, active="settings")
