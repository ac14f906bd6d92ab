"""`python -m caredesk insights_digest [--workspace slug] [--week YYYY-MM-DD]`: send the weekly
digest now (of the week holding --week, default the last full week in each workspace's zone).
Whoever already received that week's digest is not sent it again."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from caredesk.insights.digest import send_digest, week_of
from caredesk.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Send the weekly insights digest now."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", default="", help="a workspace's slug (default: all)")
        parser.add_argument(
            "--week", default="", help="YYYY-MM-DD: a day of the week to send (default: last week)"
        )

    def handle(self, *args, workspace="", week="", **options):
        week_start = None
        if week:
            try:
                week_start = week_of(dt.date.fromisoformat(week))
            except ValueError:
                raise CommandError(f"--week: not a date (YYYY-MM-DD): {week!r}") from None
        workspaces = Workspace.objects.order_by("pk")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"--workspace: no workspace {workspace!r}")
        total = 0
        for ws in workspaces:
            sent = send_digest(ws, week_start)
            total += sent
            self.stdout.write(f"{ws.organization.slug}/{ws.slug}: {sent} sent")
        self.stdout.write(f"{total} digests sent")
