from django.core.management.base import BaseCommand

from caredesk.analysis.accuracy import report
from caredesk.analysis.text import LANGUAGES


class Command(BaseCommand):
    help = (
        "Print the analysis engine's accuracy on the labelled sets: language detection, "
        "sentiment accuracy and macro-F1 per language (dev half, held-out test half, all), "
        "and the confusion counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", choices=LANGUAGES, action="append")

    def handle(self, *args, **options):
        for line in report(options.get("language") or LANGUAGES):
            self.stdout.write(line)
