"""Reading and changing a workspace's business hours, SLA targets and holidays (the Settings
page and the API call these). Every change is checked whole before anything is written,
audited, and followed (after the commit) by measuring the last 180 days again."""

import datetime as dt
import json

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from caredesk.audit.services import audit_changes
from caredesk.core.errors import FieldErrors
from caredesk.insights.hours import DAY, parse_clock
from caredesk.insights.models import BusinessHours, Holiday, default_week
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

MAX_INTERVALS = 6
MAX_FIRST_RESPONSE_MINUTES = 60 * 24 * 30
MAX_RESOLUTION_HOURS = 24 * 365
MAX_HOLIDAY_NAME = 100


def hours_of(workspace) -> BusinessHours:
    """The workspace's hours; an unsaved default (Monday–Friday 09:00–17:00) when it has
    none, which the measures read as open around the clock until it is saved."""
    found = BusinessHours.objects.filter(workspace=workspace).first()
    return found or BusinessHours(workspace=workspace, week=default_week())


def holidays_of(workspace):
    return Holiday.objects.filter(workspace=workspace).order_by("date")


def clean_week(week) -> dict[str, list[list[str]]]:
    """A week as given (weekday "0"…"6" → [[start, end], …]) checked and normalised:
    intervals in order. Raises FieldErrors keyed "week.<weekday>" (or "week")."""
    if not isinstance(week, dict):
        raise FieldErrors.one("week", _("Give the hours of each weekday, 0 (Monday) to 6."))
    unknown = [k for k in week if k not in {str(d) for d in range(7)}]
    if unknown:
        raise FieldErrors.one(
            f"week.{unknown[0]}", _("Weekdays are numbered 0 (Monday) to 6 (Sunday).")
        )
    errors: dict[str, str] = {}
    out: dict[str, list[list[str]]] = {}
    for day in range(7):
        key = f"week.{day}"
        raw = week.get(str(day)) or []
        if not isinstance(raw, list) or len(raw) > MAX_INTERVALS:
            errors[key] = _("At most %(n)s intervals a day, each [start, end].") % {
                "n": MAX_INTERVALS
            }
            continue
        spans = []
        for item in raw:
            if not (isinstance(item, list | tuple) and len(item) == 2):
                errors[key] = _("Each interval is [start, end].")
                break
            try:
                a, b = parse_clock(item[0]), parse_clock(item[1], end=True)
            except ValueError:
                errors[key] = _("Times are HH:MM, from 00:00 to 24:00.")
                break
            if b <= a:
                errors[key] = _("An interval must end after it starts (%(start)s–%(end)s).") % {
                    "start": item[0],
                    "end": item[1],
                }
                break
            spans.append((a, b))
        if key in errors:
            continue
        spans.sort()
        if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
            errors[key] = _("The intervals of a day must not overlap.")
            continue
        out[str(day)] = [[_clock(a), _clock(b)] for a, b in spans]
    if errors:
        raise FieldErrors(errors)
    return out


def _clock(seconds: int) -> str:
    if seconds >= DAY:
        return "24:00"
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _whole(value, field: str, low: int, high: int, errors: dict) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    return value


def _remeasure(workspace) -> None:
    from caredesk.insights import tasks

    transaction.on_commit(lambda: tasks.remeasure_workspace_task(workspace.pk))


def hours_update(
    *, access: Access, week, first_response_target_minutes, resolution_target_hours
) -> BusinessHours:
    """Replace the week and the two targets. Nothing is saved when any of them is wrong."""
    access.require(Perm.MANAGE_CARE)
    errors: dict[str, str] = {}
    try:
        clean = clean_week(week)
    except FieldErrors as e:
        errors.update(e.errors)
        clean = None
    minutes = _whole(
        first_response_target_minutes,
        "first_response_target_minutes",
        1,
        MAX_FIRST_RESPONSE_MINUTES,
        errors,
    )
    hours = _whole(
        resolution_target_hours, "resolution_target_hours", 1, MAX_RESOLUTION_HOURS, errors
    )
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        current = (
            BusinessHours.objects.select_for_update().filter(workspace=access.workspace).first()
        )
        new = current is None
        if new:
            current = BusinessHours(workspace=access.workspace)
        before = _shown(current, new)
        current.week = clean
        current.first_response_target_minutes = minutes
        current.resolution_target_hours = hours
        after = _shown(current, False)
        changes = [(f, before[f], after[f]) for f in after if before[f] != after[f]]
        if changes or new:
            current.save()
            audit_changes(
                workspace=access.workspace,
                obj=current,
                actor=access.user,
                action="created" if new else "edited",
                changes=changes,
            )
            _remeasure(access.workspace)
    return current


def _shown(hours: BusinessHours, new: bool) -> dict[str, str]:
    if new:
        return {"week": "", "first_response_target_minutes": "", "resolution_target_hours": ""}
    return {
        "week": json.dumps(hours.week, sort_keys=True),
        "first_response_target_minutes": str(hours.first_response_target_minutes),
        "resolution_target_hours": str(hours.resolution_target_hours),
    }


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def holiday_add(*, access: Access, date, name: str = "") -> Holiday:
    """A closed day. Errors: a date that is not YYYY-MM-DD or already a holiday; a name too
    long."""
    access.require(Perm.MANAGE_CARE)
    errors = {}
    day = _parse_date(date)
    if day is None:
        errors["date"] = _("Enter a date as YYYY-MM-DD.")
    elif Holiday.objects.filter(workspace=access.workspace, date=day).exists():
        errors["date"] = _("This day is already a holiday.")
    name = (name or "").strip() if isinstance(name, str) else name
    if not isinstance(name, str) or len(name) > MAX_HOLIDAY_NAME or "\n" in name:
        errors["name"] = _("A name of one line, at most %(n)s characters.") % {
            "n": MAX_HOLIDAY_NAME
        }
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        holiday = Holiday.objects.create(workspace=access.workspace, date=day, name=name)
        audit_changes(
            workspace=access.workspace,
            obj=holiday,
            actor=access.user,
            action="created",
            changes=[("date", "", day.isoformat()), ("name", "", name)],
        )
        _remeasure(access.workspace)
    return holiday


def holiday_get(access: Access, holiday_id) -> Holiday:
    """The workspace's holiday of that id; 404 for any other (or no id)."""
    try:
        pk = int(holiday_id)
    except (TypeError, ValueError):
        raise Http404("No such holiday") from None
    found = Holiday.objects.filter(workspace=access.workspace, pk=pk).first()
    if found is None:
        raise Http404("No such holiday")
    return found


def holiday_remove(*, access: Access, holiday: Holiday) -> None:
    access.require(Perm.MANAGE_CARE)
    with transaction.atomic():
        audit_changes(
            workspace=access.workspace,
            obj=holiday,
            actor=access.user,
            action="deleted",
            changes=[("date", holiday.date.isoformat(), ""), ("name", holiday.name, "")],
        )
        holiday.delete()
        _remeasure(access.workspace)
