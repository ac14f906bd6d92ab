"""Search across every text the user may see (a page of the Conversations tab)."""

from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


@workspace_view(Perm.USE_CARE)
def search(request, access):
    return render_ws(request, access, "search/search.html", {}, active="conversations")
