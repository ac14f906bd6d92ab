from caredesk.core.web import render_ws, workspace_view
from caredesk.workspaces.permissions import Perm


@workspace_view(Perm.INBOX_ACCESS)
def ticket_list(request, access):
    return render_ws(request, access, "care/ticket_list.html", active="tickets")
