from django.core.management.base import BaseCommand, CommandError

from caredesk.workspaces.models import User
from caredesk.workspaces.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (last line). It is shown only once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        token = api_token_create(user=user)
        self.stdout.write(f"API token for {username} (use it as 'Authorization: Bearer <token>'):")
        self.stdout.write(token)
