"""caredesk search-rebuild: index every searchable text again, with progress."""

from django.core.management.base import BaseCommand, CommandError

from caredesk.search import services
from caredesk.search.sources import BY_NAME


class Command(BaseCommand):
    help = "Rebuild the full-text search documents from tickets, activities, chats and responses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            help=f"Only these sources (repeatable): {', '.join(BY_NAME)}",
        )
        parser.add_argument(
            "--batch", type=int, default=services.BATCH, help="Rows per transaction"
        )

    def handle(self, *args, source, batch, **options):
        unknown = [s for s in source if s not in BY_NAME]
        if unknown:
            raise CommandError(f"Unknown source {unknown[0]!r}; one of: {', '.join(BY_NAME)}")
        if batch < 1:
            raise CommandError("--batch must be at least 1")

        def progress(name, done, total):
            pct = 100 if total <= 0 else done * 100 // total
            self.stdout.write(f"{name}: {pct}% ({done}/{max(total, 0)} ids)")

        written = services.rebuild(names=source or None, batch=batch, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{written} documents indexed"))
