import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from caredesk.core import zones
from caredesk.insights import measures
from caredesk.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Measure tickets, chats and emails again (response episodes, resolution, SLA), in "
        "batches with progress: after business hours change, or on an older database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="slug of one workspace (default: all)")
        parser.add_argument(
            "--since", help="YYYY-MM-DD: only what was reported or changed since that day"
        )
        parser.add_argument("--batch", type=int, default=measures.BATCH)

    def handle(self, *args, workspace=None, since=None, batch=measures.BATCH, **options):
        spaces = Workspace.objects.order_by("pk")
        if workspace:
            spaces = spaces.filter(slug=workspace)
            if not spaces.exists():
                raise CommandError(f"--workspace: no workspace {workspace!r}")
        day = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError:
                raise CommandError("--since: a date as YYYY-MM-DD") from None
        if batch < 1:
            raise CommandError("--batch: at least 1")
        started = time.monotonic()
        total = 0
        for ws in spaces:
            start_of = zones.day_start(day, zones.zone(ws.time_zone)) if day else None
            self.stdout.write(f"workspace {ws.slug}")
            t0 = time.monotonic()
            last = [t0]

            def progress(kind, done, of, t0=t0, last=last):
                now = time.monotonic()
                if done == of or now - last[0] >= 1:
                    last[0] = now
                    rate = done / max(now - t0, 1e-6)
                    self.stdout.write(f"  {kind}: {done}/{of} ({rate:,.0f}/s)")

            counts = measures.rebuild(workspace=ws, since=start_of, batch=batch, progress=progress)
            total += sum(counts.values())
        elapsed = time.monotonic() - started
        rate = total / elapsed if elapsed > 0 else 0
        self.stdout.write(f"measured {total} in {elapsed:.1f} s ({rate:,.0f}/s)")
