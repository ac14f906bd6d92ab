from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from caredesk.routing.services import desk_connections_sweep, offers_expire_stale


@db_periodic_task(crontab(minute="*"))
def expire_stale_offers():
    """Backstop for the desk's own offer timer (which runs in the agent's app process)."""
    return offers_expire_stale()


@db_periodic_task(crontab(minute="*"))
def sweep_desk_connections():
    """Desks of an app process that died never ran `disconnect`; forget them."""
    return desk_connections_sweep()
