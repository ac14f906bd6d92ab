"""The action plans' periodic work (huey imports each app's `tasks` module): every hour, the
due-date reminders of the workspaces where it is SEND_HOUR or later; ReminderSent keeps the
later hours of the same day quiet, and retries what a failed hour did not send."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from caredesk.action_plans.reminders import send_due_reminders


@db_periodic_task(crontab(minute="20"))
def send_action_plan_reminders() -> int:
    return send_due_reminders()
