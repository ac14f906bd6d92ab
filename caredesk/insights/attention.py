"""What needs a manager's attention, as querysets: Home counts them and its lists show them,
so a count and the list it links to are the same query.

Definitions (docs/architecture.md repeats the first three; the inbox uses them too):
- open: status new, open or escalated.
- overdue: open, and either a to-do not done whose due date is before today, or reported
  more than the SLA days ago (`Workspace.sla_days`, else CAREDESK_CASE_SLA_DAYS).
- closed the loop: resolved or closed, with an outbound email or call activity on the case.
- SLA at risk: open, and its resolution deadline (reported + the workspace's resolution target
  in business hours, BusinessHours and Holiday) is already past or passes within the next
  SLA_RISK_HOURS business hours.
- detractor not yet contacted: an NPS response of 0–6 of the last DETRACTOR_DAYS days none of
  whose tickets (opened from it by an alert rule) has closed the loop.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from caredesk.care.models import DONE_STATUSES, OPEN_STATUSES, Case, CaseTodo
from caredesk.care.selectors import cases_visible
from caredesk.core import zones
from caredesk.feedback.models import AlertRuleCase, Response, SurveyKind
from caredesk.feedback.selectors import responses_visible
from caredesk.insights.models import BusinessHours, Holiday
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.workspaces.access import Access

LOOP_MEDIA = (MediaType.EMAIL, MediaType.CALL)
SLA_RISK_HOURS = 4
DETRACTOR_DAYS = 30
DETRACTOR_MAX = 6


def sla_days(workspace) -> int:
    return int(getattr(workspace, "sla_days", None) or settings.CAREDESK_CASE_SLA_DAYS)


def overdue_todo():
    return Exists(
        CaseTodo.objects.filter(case=OuterRef("pk"), done=False, due_date__lt=timezone.localdate())
    )


def looped(case_ref: str = "pk"):
    return Exists(
        Activity.objects.filter(
            case=OuterRef(case_ref), direction=Direction.OUTBOUND, media_type__in=LOOP_MEDIA
        )
    )


def q_open() -> Q:
    return Q(status__in=OPEN_STATUSES)


def q_overdue(workspace) -> Q:
    late = zones.days_before(timezone.now(), sla_days(workspace))
    return q_open() & (Q(overdue_todo()) | Q(reported_at__lt=late))


def q_looped() -> Q:
    return Q(status__in=DONE_STATUSES) & Q(looped())


# --------------------------------------------------------------------------- the lists


def unassigned(access: Access) -> QuerySet[Case]:
    """Open tickets of the area with no owner, whenever they were reported."""
    return cases_visible(access).filter(q_open(), owner__isnull=True)


def my_open(access: Access) -> QuerySet[Case]:
    """The user's own open tickets, whenever they were reported."""
    return cases_visible(access).filter(q_open(), owner=access.user)


def overdue(access: Access) -> QuerySet[Case]:
    return cases_visible(access).filter(q_overdue(access.workspace))


def sla_at_risk(access: Access, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Open tickets whose resolution deadline has passed or passes within SLA_RISK_HOURS
    business hours. A deadline grows with the report time, so the set is one range on
    `reported_at`: reported no later than the horizon moved back by the target."""
    now = now or timezone.now()
    cutoff = sla_risk_cutoff(access.workspace, now)
    qs = cases_visible(access).filter(q_open())
    return qs.none() if cutoff is None else qs.filter(reported_at__lte=cutoff)


def sla_risk_cutoff(workspace, now: dt.datetime) -> dt.datetime | None:
    """The latest report time whose deadline falls within the risk horizon; None when the
    workspace has no business hours at all in its week (no deadline is ever reached)."""
    clock = BusinessClock.of(workspace)
    horizon = clock.shift(now, SLA_RISK_HOURS * 3600)
    if horizon is None:
        return None
    return clock.shift(horizon, -clock.target_hours * 3600)


def detractors_uncontacted(access: Access, *, now: dt.datetime | None = None) -> QuerySet[Response]:
    """NPS responses of 0–6 of the last DETRACTOR_DAYS days with no ticket that closed the
    loop (none opened, or every one opened is still open or was closed without a reply)."""
    now = now or timezone.now()
    since = zones.days_before(now, DETRACTOR_DAYS)
    contacted = AlertRuleCase.objects.filter(
        response=OuterRef("pk"), case__status__in=DONE_STATUSES
    ).filter(looped("case_id"))
    return (
        responses_visible(access)
        .filter(
            survey__kind=SurveyKind.NPS,
            score__gte=0,
            score__lte=DETRACTOR_MAX,
            responded_at__gte=since,
        )
        .exclude(Exists(contacted))
    )


# --------------------------------------------------------------------------- business time


class BusinessClock:
    """Moves an instant forward or back by an amount of business time (the workspace's
    opening hours in its zone, less its holidays). No BusinessHours row: every second counts."""

    # A deadline further than this is treated as never reached (a week with one open minute).
    MAX_DAYS = 3660

    def __init__(self, workspace, week: dict | None, target_hours: int):
        self.tz = zones.zone(workspace.time_zone)
        self.week = week
        self.target_hours = target_hours
        self.workspace = workspace
        self._holidays: set[dt.date] | None = None

    @classmethod
    def of(cls, workspace) -> "BusinessClock":
        hours = BusinessHours.objects.filter(workspace=workspace).first()
        if hours is None:
            default = BusinessHours._meta.get_field("resolution_target_hours").default
            return cls(workspace, None, default)
        return cls(workspace, hours.week, hours.resolution_target_hours)

    def _is_holiday(self, day: dt.date) -> bool:
        if self._holidays is None:
            self._holidays = set(
                Holiday.objects.filter(workspace=self.workspace).values_list("date", flat=True)
            )
        return day in self._holidays

    def _intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if self._is_holiday(day):
            return []
        out = []
        for start, end in self.week.get(str(day.weekday()), []):
            out.append((self._at(day, start), self._at(day, end)))
        return out

    def _at(self, day: dt.date, hhmm: str) -> dt.datetime:
        if hhmm in ("24:00", "23:59:59"):
            return zones.day_start(day + dt.timedelta(days=1), self.tz)
        h, m = (int(x) for x in hhmm.split(":")[:2])
        local = dt.datetime.combine(day, dt.time(h, m), tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    def shift(self, instant: dt.datetime, seconds: int) -> dt.datetime | None:
        if self.week is None:
            return instant + dt.timedelta(seconds=seconds)
        if not any(self.week.get(str(d)) for d in range(7)):
            return None
        left = abs(seconds)
        forward = seconds >= 0
        day = instant.astimezone(self.tz).date()
        step = dt.timedelta(days=1 if forward else -1)
        for _ in range(self.MAX_DAYS):
            spans = self._intervals(day)
            for start, end in spans if forward else reversed(spans):
                if forward:
                    start = max(start, instant)
                    if start >= end:
                        continue
                    if (end - start).total_seconds() >= left:
                        return start + dt.timedelta(seconds=left)
                    left -= (end - start).total_seconds()
                else:
                    end = min(end, instant)
                    if end <= start:
                        continue
                    if (end - start).total_seconds() >= left:
                        return end - dt.timedelta(seconds=left)
                    left -= (end - start).total_seconds()
            day += step
        return None
