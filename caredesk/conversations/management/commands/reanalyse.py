"""`python -m caredesk reanalyse [--workspace slug] [--since YYYY-MM-DD]`: analyse history
again (after a taxonomy change, or an engine update), in batches, printing progress."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from caredesk.conversations import history
from caredesk.core import zones
from caredesk.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Analyse chats, calls, emails and survey verbatims again (sentiment, topics, signals)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", default="", help="Workspace slug (default: all)")
        parser.add_argument("--since", default="", help="YYYY-MM-DD (default: all history)")

    def handle(self, *args, workspace="", since="", **options):
        found = None
        tz = zones.zone(None)
        if workspace:
            # A slug is unique within an organization: each of that name is re-analysed.
            found = list(Workspace.objects.filter(slug=workspace))
            if not found:
                raise CommandError(f"--workspace: no workspace {workspace!r}")
            if len(found) == 1:
                tz = zones.zone(found[0].time_zone)
        start = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since: not a date (YYYY-MM-DD): {since!r}") from None
            start = zones.days_bounds(day, day, tz)[0]

        def progress(source, done, total):
            self.stdout.write(f"{source}: {done}/{total}")

        ids = [w.pk for w in found] if found is not None else None
        stored = history.reanalyse(ids, start, progress)
        self.stdout.write(self.style.SUCCESS(f"{stored} analyses stored"))
