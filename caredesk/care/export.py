"""The tickets list as an Excel workbook, shared by the HTML page and the API.

XlsxWriter's constant_memory mode flushes each row to disk as soon as the next one starts,
and the rows come from the database in chunks, so 100,000 tickets need little memory."""

import datetime as dt
import tempfile
import zoneinfo

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

from caredesk.care.filters import CaseFilters
from caredesk.care.models import Origin, Priority, Status
from caredesk.care.selectors import case_export_rows
from caredesk.workspaces.access import Access

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    "Ticket",
    "Customer email",
    "Source segment",
    "Current segment",
    "Owner",
    "Priority",
    "Status",
    "Origin",
    "Reported on",
    "Customer comment",
    "Last updated",
    "Closed on",
]
WIDTHS = [9, 32, 22, 22, 22, 10, 11, 16, 18, 50, 18, 18]
DATE_COLUMNS = {8, 10, 11}


def _tz(workspace):
    # Workspaces have no time zone of their own yet; the site's zone is theirs.
    name = getattr(workspace, "time_zone", "") or ""
    try:
        return zoneinfo.ZoneInfo(name) if name else timezone.get_current_timezone()
    except zoneinfo.ZoneInfoNotFoundError:
        return timezone.get_current_timezone()


def _naive(value: dt.datetime | None, tz) -> dt.datetime | None:
    # Excel has no time zones: write the wall-clock time of the workspace.
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
    tz = _tz(access.workspace)
    priority, status, origin = dict(Priority.choices), dict(Status.choices), dict(Origin.choices)

    # An anonymous temporary file: gone from disk once the response closes it.
    out = tempfile.TemporaryFile(suffix=".xlsx")
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_urls": False})
    sheet = book.add_worksheet("Tickets")
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.set_column(col, col, width, when if col in DATE_COLUMNS else None)
        sheet.write_string(0, col, title, bold)
    sheet.freeze_panes(1, 0)

    def text(row, col, value):
        if value:  # an empty cell rather than an empty string
            sheet.write_string(row, col, value)

    row = 0
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
        row += 1
        sheet.write_number(row, 0, number)
        text(row, 1, email)
        text(row, 2, source)
        text(row, 3, segment)
        text(row, 4, _owner(username, first, last))
        text(row, 5, priority.get(prio, prio))
        text(row, 6, status.get(stat, stat))
        text(row, 7, origin.get(orig, orig))
        sheet.write_datetime(row, 8, _naive(reported, tz), when)
        text(row, 9, comment)
        sheet.write_datetime(row, 10, _naive(updated, tz), when)
        if closed is not None:
            sheet.write_datetime(row, 11, _naive(closed, tz), when)
    if row:
        sheet.autofilter(0, 0, row, len(HEADERS) - 1)
    book.close()
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=export_filename(access, filters),
        content_type=XLSX_CONTENT_TYPE,
    )
