"""Setting up articles for the resource center's tests: through the services, as a writer."""

from caredesk.resources import services
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import Perm


def writer(world, user=None, workspace=None):
    """The access of a writer (the coach holds manage_resources by default)."""
    workspace = workspace or world.support
    return get_access(user or world.coach, workspace.slug, require=Perm.MANAGE_RESOURCES)


def article(world, title="How to return an order", body="Open **Orders**.", **kw):
    access = kw.pop("access", None) or writer(world)
    return services.article_create(access=access, title=title, body=body, **kw)
