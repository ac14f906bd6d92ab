"""The tickets list as an Excel workbook, shared by the HTML page and the API.

Rows come from the database in chunks and go straight into the zipped sheet XML
(caredesk.core.xlsx), so 100,000 tickets need little memory and a few seconds."""

import datetime as dt
import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from caredesk.care.filters import CaseFilters
from caredesk.care.models import Origin, Priority, Status
from caredesk.care.selectors import case_export_rows
from caredesk.core import zones
from caredesk.core.xlsx import XlsxSheetWriter
from caredesk.workspaces.access import Access

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    _("Ticket"),
    _("Customer email"),
    _("Source segment"),
    _("Current segment"),
    _("Owner"),
    _("Priority"),
    _("Status"),
    _("Origin"),
    _("Reported on"),
    _("Customer comment"),
    _("Last updated"),
    _("Closed on"),
]
WIDTHS = [9, 32, 22, 22, 22, 10, 11, 16, 18, 50, 18, 18]


def _naive(value: dt.datetime | None, tz) -> dt.datetime | None:
    # Excel has no time zones: a typed date-time cell holds the wall-clock time of the
    # workspace, whoever downloads the file, so every member's copy reads the same.
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(tz)
    return value.replace(tzinfo=None)


def _owner(username, first_name, last_name) -> str:
    if not username:
        return ""
    return f"{first_name or ''} {last_name or ''}".strip() or username


def export_filename(access: Access, filters: CaseFilters) -> str:
    return (
        f"tickets-{access.workspace.slug}-{filters.created_from.isoformat()}"
        f"-{filters.created_to.isoformat()}.xlsx"
    )


def cases_xlsx_response(access: Access, filters: CaseFilters) -> FileResponse:
    """Every ticket of the filtered list (same visibility and filters), newest first."""
    tz = zones.zone(access.workspace.time_zone)
    # The labels are translated lazily; a cell takes their text in the active language.
    priority, status, origin = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Priority, Status, Origin)
    )

    # An anonymous temporary file: gone from disk once the response closes it.
    out = tempfile.TemporaryFile(suffix=".xlsx")
    headers = [str(h) for h in HEADERS]
    with XlsxSheetWriter(out, gettext("Tickets"), headers, WIDTHS) as sheet:
        for (
            number,
            email,
            source,
            segment,
            username,
            first,
            last,
            prio,
            stat,
            orig,
            reported,
            comment,
            updated,
            closed,
        ) in case_export_rows(access, filters):
            sheet.row(
                (
                    number,
                    email,
                    source,
                    segment,
                    _owner(username, first, last),
                    priority.get(prio, prio),
                    status.get(stat, stat),
                    origin.get(orig, orig),
                    _naive(reported, tz),
                    comment,
                    _naive(updated, tz),
                    _naive(closed, tz),
                )
            )
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=export_filename(access, filters),
        content_type=XLSX_CONTENT_TYPE,
    )
