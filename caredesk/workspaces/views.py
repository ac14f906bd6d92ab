from caredesk.core.web import render_ws, workspace_view
from caredesk.workspaces.permissions import Perm


@workspace_view(Perm.MANAGE_CARE)
def settings_general(request, access):
    return render_ws(request, access, "workspaces/settings_general.html", active="settings")
