from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from caredesk.routing.services import offers_expire_stale


@db_periodic_task(crontab(minute="*"))
def expire_stale_offers():
    """Backstop for the desk's own offer timer (which runs in the agent's app process)."""
    return offers_expire_stale()
