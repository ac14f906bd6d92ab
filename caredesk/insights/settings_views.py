"""Settings → Business hours: the opening hours per weekday (several intervals a day), the
SLA targets and the holidays of the workspace, in its time zone. Writes go through
caredesk.insights.business_hours; a POST that fails changes nothing and shows the page again
with each error next to its field (status 400)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.insights import business_hours
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

SECTION = "business_hours"
# Interval rows shown per weekday; the API takes up to business_hours.MAX_INTERVALS.
SLOTS = 3
WEEKDAYS = [
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
]


def _week_from_post(post) -> dict:
    """The form's time fields (d<day>_<slot>_start / _end) as a week; a slot with both
    times blank is unused, one with a single time is an error (an empty end)."""
    week = {}
    for day in range(7):
        spans = []
        for slot in range(SLOTS):
            start = post.get(f"d{day}_{slot}_start", "").strip()
            end = post.get(f"d{day}_{slot}_end", "").strip()
            if start or end:
                spans.append([start, end])
        week[str(day)] = spans
    return week


def _rows(week: dict, errors: dict) -> list[dict]:
    rows = []
    for day, label in enumerate(WEEKDAYS):
        spans = list(week.get(str(day)) or [])
        extra = max(SLOTS, len(spans)) - len(spans)
        rows.append(
            {
                "day": day,
                "label": label,
                "slots": [
                    {"i": i, "start": s[0], "end": s[1]}
                    for i, s in enumerate(spans + [["", ""]] * extra)
                ],
                "error": errors.get(f"week.{day}", ""),
            }
        )
    return rows


def _page(request, access, *, values=None, errors=None, holiday=None, status=200):
    hours = business_hours.hours_of(access.workspace)
    errors = errors or {}
    values = values or {
        "week": hours.week,
        "first_response_target_minutes": hours.first_response_target_minutes,
        "resolution_target_hours": hours.resolution_target_hours,
    }
    context = {
        "sections": settings_sections(access, SECTION),
        "saved": hours.pk is not None,
        "rows": _rows(values["week"], errors),
        "v": values,
        "errors": errors,
        "holiday": holiday or {},
        "holidays": list(business_hours.holidays_of(access.workspace)),
        "time_zone": access.workspace.time_zone,
    }
    return render_ws(
        request, access, "insights/business_hours.html", context, active="settings", status=status
    )


@workspace_view(Perm.MANAGE_CARE)
def business_hours_settings(request, access):
    if request.method != "POST":
        return _page(request, access)
    action = request.POST.get("action", "hours")
    back = redirect("business_hours_settings", access.workspace.slug)
    if action == "holiday_add":
        values = {k: request.POST.get(k, "") for k in ("date", "name")}
        try:
            business_hours.holiday_add(access=access, **values)
        except FieldErrors as e:
            return _page(request, access, errors=e.errors, holiday=values, status=INVALID)
        messages.success(request, _("Holiday added."))
        return back
    if action == "holiday_remove":
        holiday = business_hours.holiday_get(access, request.POST.get("holiday", ""))
        business_hours.holiday_remove(access=access, holiday=holiday)
        messages.success(request, _("Holiday removed."))
        return back
    values = {
        "week": _week_from_post(request.POST),
        "first_response_target_minutes": request.POST.get("first_response_target_minutes", ""),
        "resolution_target_hours": request.POST.get("resolution_target_hours", ""),
    }
    try:
        business_hours.hours_update(access=access, **values)
    except FieldErrors as e:
        return _page(request, access, values=values, errors=e.errors, status=INVALID)
    messages.success(request, _("Business hours saved."))
    return back
