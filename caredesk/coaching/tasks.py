"""Background work for coaching: every workspace's coaching plans rebuilt each night, and one
workspace's on demand (the overview's "Refresh" button). huey's Django integration imports
this module in the worker (djhuey loads each installed app's `tasks`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from caredesk.coaching.plans import plans_build
from caredesk.workspaces.models import Workspace


@db_periodic_task(crontab(minute="30", hour="2"))
def build_coaching_plans() -> int:
    """Nightly: the plans of every workspace; returns how many plans were built."""
    return sum(plans_build(ws) for ws in Workspace.objects.order_by("pk"))


@db_task()
def build_workspace_plans(workspace_id: int) -> int:
    ws = Workspace.objects.filter(pk=workspace_id).first()
    return plans_build(ws) if ws is not None else 0
