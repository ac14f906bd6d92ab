from django.core.management.base import BaseCommand

from caredesk.care.services import cases_close_inactive


class Command(BaseCommand):
    help = "Close tickets not updated (nor their activities) for the workspace's auto-close days."

    def handle(self, *args, **options):
        n = cases_close_inactive()
        self.stdout.write(f"closed {n} inactive ticket(s)")
