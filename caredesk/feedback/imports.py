"""CSV import of existing responses, through the same bulk service as the API.

Columns (header row, any order): external_id, score, comment, customer_email, segment (id or
name), responded_at (ISO 8601; without an offset, a time of the workspace's time zone),
language, answer.<question key> (several options of a multiple choice separated by "|"),
transaction.<field>. Empty cells are left out."""

import csv
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.feedback.models import QuestionKind, Survey
from caredesk.feedback.services import BULK_MAX, responses_ingest

PLAIN = ("external_id", "score", "comment", "customer_email", "segment", "responded_at", "language")


@dataclass
class ImportResult:
    created: int = 0
    duplicate: int = 0
    errors: list[tuple[int, dict]] = field(default_factory=list)  # (line, field errors)


def _item(row: dict, multiple: set[str]) -> dict:
    item: dict = {}
    for column, value in row.items():
        value = (value or "").strip()
        if not value:
            continue
        if column in PLAIN:
            item[column] = value
        elif column.startswith("answer."):
            key = column[len("answer.") :]
            item.setdefault("answers", {})[key] = (
                [v.strip() for v in value.split("|") if v.strip()] if key in multiple else value
            )
        elif column.startswith("transaction."):
            item.setdefault("transaction", {})[column[len("transaction.") :]] = value
    return item


def import_responses(*, survey: Survey, lines) -> ImportResult:
    """`lines`: an iterable of text lines (an open text file)."""
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    bad = [
        c
        for c in header
        if c not in PLAIN and not c.startswith(("answer.", "transaction.")) or not c
    ]
    if not header:
        raise FieldErrors.one("file", _("The file is empty; the first line names the columns."))
    if bad:
        raise FieldErrors.one("file", _("Unknown column: %(name)s") % {"name": repr(bad[0])})
    multiple = set(
        survey.questions.filter(kind=QuestionKind.MULTIPLE).values_list("key", flat=True)
    )
    result = ImportResult()
    batch: list[tuple[int, dict]] = []

    def flush():
        outcome = responses_ingest(survey=survey, items=[item for _, item in batch])
        for (line, _item), r in zip(batch, outcome.results, strict=True):
            if r["status"] == "error":
                result.errors.append((line, r["errors"]))
            elif r["status"] == "created":
                result.created += 1
            else:
                result.duplicate += 1
        batch.clear()

    try:
        for row in reader:
            if None in row:
                result.errors.append((reader.line_num, {"file": _("More cells than columns.")}))
                continue
            batch.append((reader.line_num, _item(row, multiple)))
            if len(batch) == BULK_MAX:
                flush()
    except (csv.Error, UnicodeDecodeError) as e:
        if batch:
            flush()
        result.errors.append((reader.line_num, {"file": f"Not a readable CSV file: {e}"}))
        return result
    if batch:
        flush()
    return result
