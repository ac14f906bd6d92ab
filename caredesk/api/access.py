"""Access for an API operation: workspaces.access.get_access, then the caller's time zone."""

from caredesk.core.i18n import activate_zone_for_workspace
from caredesk.workspaces.access import Access, get_access


def api_access(request, workspace: str, *, require: str) -> Access:
    """get_access for the caller (a token's user or the session's), and their zone (their own,
    else the workspace's) made active for the rest of the operation, as a page does: a date
    in a filter, "today" for a due date or an overdue to-do, is a day of that zone. The
    middleware (core.i18n.LocaleMiddleware) deactivates it when the response leaves."""
    access = get_access(request.auth, workspace, require=require)
    activate_zone_for_workspace(request, access.user, access.workspace)
    return access
