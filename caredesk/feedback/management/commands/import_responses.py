import sys

from django.core.management.base import BaseCommand, CommandError

from caredesk.core.errors import FieldErrors
from caredesk.feedback.imports import import_responses
from caredesk.feedback.models import Survey


class Command(BaseCommand):
    help = (
        "Import survey responses from a CSV file (columns: external_id, score, comment, "
        "customer_email, segment, responded_at, language, answer.<key>, transaction.<field>). "
        "Idempotent by external_id."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument("--organization", help="organization slug, when slugs repeat")
        parser.add_argument("--survey", required=True, type=int, help="survey id")
        parser.add_argument("file", help="CSV file (UTF-8), or - for standard input")

    def handle(self, *args, **options):
        surveys = Survey.objects.select_related("workspace__organization").filter(
            pk=options["survey"], workspace__slug=options["workspace"]
        )
        if options.get("organization"):
            surveys = surveys.filter(workspace__organization__slug=options["organization"])
        survey = surveys.first()
        if survey is None:
            raise CommandError(
                f"No survey {options['survey']} in workspace {options['workspace']!r}."
            )
        try:
            if options["file"] == "-":
                result = import_responses(survey=survey, lines=sys.stdin)
            else:
                with open(options["file"], encoding="utf-8-sig", newline="") as f:
                    result = import_responses(survey=survey, lines=f)
        except OSError as e:
            raise CommandError(f"Cannot read {options['file']}: {e}") from None
        except FieldErrors as e:
            raise CommandError(str(e)) from None
        for line, errors in result.errors:
            details = "; ".join(f"{k}: {v}" for k, v in errors.items())
            self.stderr.write(f"line {line}: {details}")
        self.stdout.write(
            f"created {result.created}, duplicate {result.duplicate}, errors {len(result.errors)}"
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} line(s) were not imported.")
