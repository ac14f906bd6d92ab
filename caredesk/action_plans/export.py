"""The action plan list as an Excel workbook: the plans the caller reads, under the list's
filters, streamed into the sheet as they are read (caredesk.core.xlsx)."""

import datetime as dt
import tempfile

from django.db.models import Count, Q
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from caredesk.action_plans import present, selectors
from caredesk.action_plans.models import PlanOrigin, PlanPriority, PlanStatus
from caredesk.core import zones
from caredesk.core.xlsx import XlsxSheetWriter
from caredesk.workspaces.access import Access

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    _("Plan"),
    _("Title"),
    _("Status"),
    _("Priority"),
    _("Owner"),
    _("Segment"),
    _("Due date"),
    _("Overdue"),
    _("Origin"),
    _("Metric"),
    _("Baseline"),
    _("Target"),
    _("Tasks"),
    _("Tasks done"),
    _("Started on"),
    _("Created"),
    _("Closed"),
]
WIDTHS = [7, 40, 13, 10, 22, 20, 12, 9, 14, 24, 12, 10, 7, 10, 12, 17, 17]


def _naive(value: dt.datetime | None, tz) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value, tz).replace(tzinfo=None)


def export_filename(access: Access) -> str:
    today = selectors.workspace_today(access)
    return f"action-plans-{access.workspace.slug}-{today.isoformat()}.xlsx"


def plans_xlsx_response(access: Access, filters: selectors.PlanFilters) -> FileResponse:
    tz = zones.zone(access.workspace.time_zone)
    today = selectors.workspace_today(access)
    status, priority, origin = (
        {value: str(label) for value, label in choices.choices}
        for choices in (PlanStatus, PlanPriority, PlanOrigin)
    )
    qs = (
        selectors.plans_filtered(access, filters)
        .select_related("owner", "segment")
        .annotate(
            task_count=Count("tasks", distinct=True),
            tasks_done=Count("tasks", filter=Q(tasks__done=True), distinct=True),
        )
        .order_by("-pk")
    )
    out = tempfile.TemporaryFile(suffix=".xlsx")
    with XlsxSheetWriter(out, gettext("Action plans"), [str(h) for h in HEADERS], WIDTHS) as sheet:
        for plan in qs.iterator(chunk_size=500):
            sheet.row(
                (
                    plan.pk,
                    plan.title,
                    status.get(plan.status, plan.status),
                    priority.get(plan.priority, plan.priority),
                    str(plan.owner) if plan.owner else "",
                    plan.segment.name if plan.segment else "",
                    plan.due_date,
                    gettext("Yes") if selectors.is_overdue(plan, today) else "",
                    origin.get(plan.origin, plan.origin),
                    present.metric_label(plan.metric),
                    plan.baseline_value,
                    plan.target_value,
                    plan.task_count,
                    plan.tasks_done,
                    plan.started_on,
                    _naive(plan.created_at, tz),
                    _naive(plan.closed_at, tz),
                )
            )
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=export_filename(access), content_type=XLSX_CONTENT_TYPE
    )
