"""The weekly digest's periodic task. Every hour it sends the digest in the workspaces where it
is Monday from SEND_HOUR on (each in its own zone); DigestSent makes the later hours of the
same Monday send nothing again, and a workspace whose first hour failed is retried. Imported
by InsightsConfig.ready (huey loads only each app's `tasks` module)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from caredesk.insights.digest import send_due_digests


@db_periodic_task(crontab(minute="5"))
def send_weekly_digests() -> int:
    return send_due_digests()
