from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from caredesk.care.services import cases_close_inactive


@db_periodic_task(crontab(minute="*/10"))
def close_inactive_cases():
    return cases_close_inactive()
