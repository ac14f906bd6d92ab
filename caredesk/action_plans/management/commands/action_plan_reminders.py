"""`python -m caredesk action_plan_reminders [--workspace slug] [--now]`: send the due-date
reminders of action plans and tasks now. Without --now only in the workspaces where it is
already the sending hour (as the hourly task); with it, whatever the hour. What was already
reminded for its date is not sent again."""

from django.core.management.base import BaseCommand, CommandError

from caredesk.action_plans.reminders import send_reminders
from caredesk.workspaces.models import Tab, Workspace


class Command(BaseCommand):
    help = "Send the action plans' due-date reminders now."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", default="", help="a workspace's slug (default: all)")
        parser.add_argument("--now", action="store_true", help="send even before the sending hour")

    def handle(self, *args, workspace="", now=False, **options):
        workspaces = Workspace.objects.order_by("pk")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"--workspace: no workspace {workspace!r}")
        total = 0
        for ws in workspaces:
            if Tab.ACTION_PLANS not in ws.enabled_tabs:
                continue
            sent = send_reminders(ws, force=now)
            total += sent
            self.stdout.write(f"{ws.organization.slug}/{ws.slug}: {sent} sent")
        self.stdout.write(f"{total} reminder emails sent")
