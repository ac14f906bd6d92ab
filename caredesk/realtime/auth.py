"""Who may open a workspace's websocket: the one check the events socket and the desk share."""

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caredesk.workspaces.access import Access, get_access

NOT_LOGGED_IN = 4401
NOT_A_MEMBER = 4403


async def _in_thread(fn, *args):
    return await database_sync_to_async(fn)(*args)


async def workspace_member(consumer, run=_in_thread) -> Access | None:
    """The user's Access to the workspace in the socket's URL, or None once the socket is
    closed (4401: not logged in; 4403: not a member, or no such workspace). `run` runs the
    database read: the desk passes its own thread pool (routing.db.run_db)."""
    user = consumer.scope.get("user")
    if user is None or not user.is_authenticated:
        await consumer.close(code=NOT_LOGGED_IN)
        return None
    try:
        return await run(get_access, user, consumer.scope["url_route"]["kwargs"]["workspace"])
    except (PermissionDenied, Http404):
        await consumer.close(code=NOT_A_MEMBER)
        return None
